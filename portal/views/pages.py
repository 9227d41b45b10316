from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.middleware import SESSION_KEY
from portal.roles import user_can

# Navigation entries whose feature lands with a later issue; each such issue replaces its URL.
UPCOMING = {
    "certification-summary": "Certification Summary",
    "authorization-lookup": "Authorization Lookup",
}


@login_required
def home(request):
    if user_can(request.user, "review.work_queue"):
        return redirect("review_queue")  # a reviewer's home is the queue
    return render(request, "portal/home.html")


def help_page(request):
    return render(request, "portal/help.html")


@login_required
def not_available(request, feature: str):
    if feature not in UPCOMING:
        raise Http404
    return render(request, "portal/not_available.html", {"title": UPCOMING[feature]})


@require_GET
def session_status(request):
    """Polled by the idle-logoff warning: how long the session has left. Does not extend it."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse({"authenticated": True, "last_activity": request.session.get(SESSION_KEY)})


@require_POST
@login_required
def session_keepalive(request):
    """'Stay logged in' on the warning: any request refreshes the idle clock (middleware)."""
    return JsonResponse({"ok": True})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
