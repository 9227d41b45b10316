"""The one place that decides what each role may do.

Views ask `user_can(user, "capability")`; the admin asks through RolePermissionBackend. Adding a
capability means adding it here, never testing `user.role == ...` in a view.
"""

from django.db import models


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", "Office staff"
    OFFICE_ADMIN = "office_admin", "Office administrator"
    NURSE = "nurse", "Nurse reviewer"
    PHYSICIAN = "physician", "Physician reviewer"
    FACILITY = "facility", "Facility staff"
    PLAN_ADMIN = "plan_admin", "Plan administrator"


OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.OFFICE_ADMIN})
REVIEWER_ROLES = frozenset({Role.NURSE, Role.PHYSICIAN})

_OFFICE_WORK = {
    "practitioners.view",
    "practitioners.manage",
    "cases.build",
    "cases.view_own_office",
    "eligibility.lookup",
    "authorizations.lookup",
}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OFFICE_STAFF: frozenset(_OFFICE_WORK),
    Role.OFFICE_ADMIN: frozenset(_OFFICE_WORK | {"office.manage_users"}),
    Role.NURSE: frozenset({"review.work_queue", "review.approve", "review.request_info"}),
    Role.PHYSICIAN: frozenset(
        {"review.work_queue", "review.approve", "review.request_info", "review.deny"}
    ),
    Role.FACILITY: frozenset({"authorizations.lookup", "authorizations.print"}),
    Role.PLAN_ADMIN: frozenset({"admin.site", "admin.plan_data", "audit.view"}),
}

# Django apps whose models a plan administrator edits in the admin (all permissions on them).
PLAN_ADMIN_APPS = frozenset({"payers", "clinical"})


def user_can(user, capability: str) -> bool:
    """True when the user's role carries the capability (superusers carry everything)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return capability in CAPABILITIES.get(user.role, frozenset())
