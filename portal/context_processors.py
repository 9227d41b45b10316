from django.conf import settings

from portal.roles import user_can


def portal(request):
    user = getattr(request, "user", None)
    return {
        "idle_logoff_seconds": settings.IDLE_LOGOFF_MINUTES * 60,
        "idle_logoff_minutes": settings.IDLE_LOGOFF_MINUTES,
        "idle_warning_seconds": settings.IDLE_WARNING_SECONDS,
        "can_build_cases": user_can(user, "cases.build"),
        "can_manage_office_users": user_can(user, "office.manage_users"),
        "can_use_admin": user_can(user, "admin.site"),
    }
