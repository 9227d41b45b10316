"""Reads for accounts, offices and practitioners. Anything not the user's is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from portal.models import DirectoryProvider, OfficePractitioner, User
from portal.roles import user_can


def office_practitioners(*, user: User) -> QuerySet[OfficePractitioner]:
    if not user_can(user, "practitioners.view"):
        return OfficePractitioner.objects.none()
    return (
        OfficePractitioner.objects.filter(office_id=user.office_id)
        .select_related("provider")
        .order_by("provider__last_name", "provider__first_name", "provider__organization_name")
    )


def office_practitioner_for_user(*, user: User, pk: int) -> OfficePractitioner:
    try:
        return office_practitioners(user=user).get(pk=pk)
    except OfficePractitioner.DoesNotExist as exc:
        raise Http404 from exc


def office_users(*, user: User) -> QuerySet[User]:
    if not user_can(user, "office.manage_users"):
        return User.objects.none()
    return User.objects.filter(office_id=user.office_id).order_by("last_name", "first_name")


def office_user_for_user(*, user: User, pk: int) -> User:
    try:
        return office_users(user=user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def directory_search_by_npi(*, npi: str, state: str, zip_code: str) -> QuerySet[DirectoryProvider]:
    """The 'Add Practitioner' search: NPI, state and the first five digits of the zip."""
    return DirectoryProvider.objects.filter(
        npi=npi, state=state, zip_code__startswith=zip_code[:5]
    ).order_by("last_name", "organization_name")
