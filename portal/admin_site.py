from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from portal.roles import user_can


class PortalAdminSite(admin.AdminSite):
    """The admin is for plan administrators (and superusers), decided by role, not is_staff."""

    site_header = "Imaging Precert Portal administration"
    site_title = "Portal administration"
    index_title = "Plans, code sets, pathways and audit"

    def has_permission(self, request):
        return user_can(request.user, "admin.site")

    def login(self, request, extra_context=None):
        """One way in: the portal's login (HIPAA agreement, lockout), then back here.

        Django's admin login would ask for a "staff account" and refuse a plan administrator
        whom the portal's login lets in. A user already logged in without the admin's role is
        refused here rather than sent round to a login that would send them straight back.
        """
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = index
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return redirect(target)
        return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
