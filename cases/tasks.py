from celery import shared_task

from cases import services
from cases.uploads import attachment_orphans_sweep


@shared_task
def expire_drafts() -> int:
    """Mark drafts past their two-business-day limit as expired, and discard their uploads.

    One conditional UPDATE: running it twice, or twice at once, expires each draft once.
    """
    expired = services.drafts_expire_due()
    attachment_orphans_sweep()  # files whose row never got written (a crash mid-upload)
    return expired
