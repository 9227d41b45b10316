from celery import shared_task

from review import services


@shared_task
def expire_holds() -> int:
    """Deny the holds whose information did not come by their due time (each once)."""
    return services.holds_expire_due()
