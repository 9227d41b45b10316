import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

SESSION_KEY = "portal_last_activity"
# Requests the page makes on its own must not count as the user being active.
PASSIVE_PATHS = ("/session/status/",)


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
            if request.path not in PASSIVE_PATHS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
