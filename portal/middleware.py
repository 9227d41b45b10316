import logging
import time
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

logger = logging.getLogger(__name__)

SESSION_KEY = "portal_last_activity"
# Requests the page makes on its own must not count as the user being active.
PASSIVE_PATHS = ("/session/status/",)
# "Stay logged in" always restarts the idle clock, to the second.
ACTIVE_PATHS = ("/session/keepalive/",)
# A page load writes the idle clock to the session at most this often rather than on every
# request, so the session is saved (a database write) only when something in it changed. The
# session then ends IDLE_LOGOFF_MINUTES after the last *recorded* activity, which is never later
# than the page's warning timer says: each page is told how long ago that was (data-idle-elapsed,
# and the X-Idle-Elapsed header on htmx replies).
ACTIVITY_RESOLUTION_SECONDS = 30
# htmx replies say the same (seconds since the recorded activity) in this header.
ELAPSED_HEADER = "X-Idle-Elapsed"


class IdleLogoffMiddleware:
    """HIPAA automatic logoff: ends the session after IDLE_LOGOFF_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if last is not None and now - last > settings.IDLE_LOGOFF_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were logged off after {settings.IDLE_LOGOFF_MINUTES} minutes without "
                    "activity, to protect patient information. Please log in again.",
                )
                back_to = request.headers.get("HX-Current-URL") or request.get_full_path()
                if request.method != "GET" and not request.headers.get("HX-Current-URL"):
                    back_to = ""
                login_url = reverse("login") + (
                    f"?{urlencode({'next': back_to})}" if back_to else ""
                )
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(login_url)
                return redirect(login_url)
            if request.path in ACTIVE_PATHS or (
                request.path not in PASSIVE_PATHS
                and (last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS)
            ):
                request.session[SESSION_KEY] = last = now
            response = self.get_response(request)
            if getattr(request, "htmx", False):
                # The page's warning timer restarts after each htmx reply, from this.
                response.headers[ELAPSED_HEADER] = str(max(0, int(now - last)))
            return response
        return self.get_response(request)


class OfficeTimeZoneMiddleware:
    """Times are stored in UTC and shown in the office's own zone: an Arizona office sees Arizona
    time on every page. Anyone without an office (reviewers, facilities, the plan administrator)
    sees the portal's TIME_ZONE. "Today" during the request is the office's today too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _office_zone(getattr(request, "user", None))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # A thread serves other requests next: none may inherit this office's zone.
            timezone.deactivate()


def _office_zone(user) -> zoneinfo.ZoneInfo | None:
    # The office comes with the user (portal.backends), so this costs no query.
    if user is None or not user.is_authenticated or user.office_id is None:
        return None
    name = user.office.time_zone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.error("office %s: time zone %r is not known here", user.office_id, name)
        return None
