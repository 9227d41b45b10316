"""How django-axes counts login failures: on the normalised User ID, per address and per account."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


def axes_username(request, credentials=None) -> str:
    """One counter for every spelling: User IDs are case-insensitive (unique on Lower(username))."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return str(value or "").strip().lower()


def account_failures(username: str) -> int:
    """Failures for this User ID from every address within the account window."""
    since = timezone.now() - timedelta(minutes=settings.PORTAL_ACCOUNT_LOCK_MINUTES)
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler plus a limit per account across addresses.

    The address-and-User-ID limit (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME) stops one source guessing.
    An attacker moving between addresses meets the account limit: PORTAL_ACCOUNT_FAILURE_LIMIT
    failures from anywhere within PORTAL_ACCOUNT_LOCK_MINUTES lock the User ID everywhere, but only
    until the oldest of them leaves that short window, so nobody can keep a victim out for long by
    failing on purpose (they would have to go on failing, and each failure is logged).
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if username and account_failures(username) >= settings.PORTAL_ACCOUNT_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
