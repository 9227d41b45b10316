import time

from django.conf import settings

from portal.middleware import SESSION_KEY
from portal.roles import user_can


def portal(request):
    user = getattr(request, "user", None)
    last = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return {
        "idle_logoff_seconds": settings.IDLE_LOGOFF_MINUTES * 60,
        # Seconds since the activity the server last recorded: the warning timer starts there.
        "idle_elapsed_seconds": max(0, int(time.time() - last)) if last else 0,
        "idle_logoff_minutes": settings.IDLE_LOGOFF_MINUTES,
        "idle_warning_seconds": settings.IDLE_WARNING_SECONDS,
        "can_build_cases": user_can(user, "cases.build"),
        "can_manage_office_users": user_can(user, "office.manage_users"),
        "can_use_admin": user_can(user, "admin.site"),
    }
