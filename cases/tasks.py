from celery import shared_task
from django.utils import timezone

from cases.models import Draft


@shared_task
def expire_drafts() -> int:
    """Mark drafts past their two-business-day limit as expired.

    One conditional UPDATE: running it twice, or twice at once, expires each draft once.
    """
    return Draft.objects.filter(
        expired_at__isnull=True, submitted_case__isnull=True, expires_at__lt=timezone.now()
    ).update(expired_at=timezone.now())
