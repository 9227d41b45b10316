from celery import shared_task

from cases import services


@shared_task
def expire_drafts() -> int:
    """Mark drafts past their two-business-day limit as expired, and discard their uploads.

    One conditional UPDATE: running it twice, or twice at once, expires each draft once.
    """
    return services.drafts_expire_due()
