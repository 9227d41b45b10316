from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from portal.roles import user_can


class PortalAdminSite(admin.AdminSite):
    """The admin is for plan administrators (and superusers), decided by role, not is_staff."""

    site_header = "Imaging Precert Portal administration"
    site_title = "Portal administration"
    index_title = "Plans, code sets, pathways and audit"

    def has_permission(self, request):
        return user_can(request.user, "admin.site")


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
