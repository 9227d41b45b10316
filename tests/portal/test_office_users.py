import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import services
from portal.models import User
from portal.roles import Role
from tests.conftest import login
from tests.factories import UserFactory

INVITE = {
    "username": "newhire",
    "email": "newhire@example.org",
    "first_name": "Nora",
    "last_name": "Hale",
    "phone": "",
    "role": Role.OFFICE_STAFF,
}


@pytest.mark.django_db(transaction=True)
def test_admin_invites_and_the_invitee_sets_a_password(client, alice, mailoutbox):
    login(client, alice)
    response = client.post(reverse("office_user_invite"), INVITE)
    assert response.status_code == 302
    invited = User.objects.get(username="newhire")
    assert invited.office == alice.office
    assert invited.role == Role.OFFICE_STAFF
    assert not invited.has_usable_password()
    assert len(mailoutbox) == 1
    path = re.search(r"/accounts/invitation/[^/\s]+/[^/\s]+/", mailoutbox[0].body).group(0)

    client.post(reverse("logout"))
    page = client.get(path)
    assert "newhire" in page.content.decode()
    new = "my-Own-strong-phrase-3"
    done = client.post(path, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(new)
    assert invited.email_confirmed
    # The link is spent once the password is set.
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_invite_refuses_a_taken_user_name(client, alice, bob):
    login(client, alice)
    response = client.post(reverse("office_user_invite"), {**INVITE, "username": "BOB"})
    assert response.status_code == 200
    assert "taken" in " ".join(response.context["form"].errors["username"])


@pytest.mark.django_db
def test_admin_deactivates_and_reactivates_bob(client, alice, bob):
    login(client, alice)
    client.post(reverse("office_user_set_active", args=[bob.pk]), {"active": "0"})
    bob.refresh_from_db()
    assert not bob.is_active
    client.post(reverse("office_user_set_active", args=[bob.pk]), {"active": "1"})
    bob.refresh_from_db()
    assert bob.is_active


@pytest.mark.django_db
def test_admin_cannot_lock_themselves_out(client, alice):
    login(client, alice)
    response = client.post(
        reverse("office_user_set_active", args=[alice.pk]), {"active": "0"}, follow=True
    )
    assert "cannot deactivate your own account" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active
    client.post(reverse("office_user_remove", args=[alice.pk]))
    assert User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_the_last_active_admin_is_never_deactivated_or_removed(alice, bob):
    # Through the pages an admin never acts on themselves, so this guards the service itself.
    with pytest.raises(ValidationError, match="at least one active administrator"):
        services.office_user_set_active(actor=bob, target=alice, active=False)
    with pytest.raises(ValidationError, match="at least one active administrator"):
        services.office_user_remove(actor=bob, target=alice)
    alice.refresh_from_db()
    assert alice.is_active


@pytest.mark.django_db
def test_one_of_two_admins_can_be_deactivated(client, alice, office):
    other_admin = UserFactory(role=Role.OFFICE_ADMIN, office=office)
    login(client, other_admin)
    client.post(reverse("office_user_set_active", args=[alice.pk]), {"active": "0"})
    alice.refresh_from_db()
    assert not alice.is_active


@pytest.mark.django_db
def test_admin_removes_bob_after_confirming(client, alice, bob):
    login(client, alice)
    assert client.get(reverse("office_user_remove", args=[bob.pk])).status_code == 200
    assert User.objects.filter(pk=bob.pk).exists()
    client.post(reverse("office_user_remove", args=[bob.pk]))
    assert not User.objects.filter(pk=bob.pk).exists()


@pytest.mark.django_db
def test_a_user_who_submitted_cases_is_deactivated_not_removed(client, alice, bob):
    from tests.factories import CaseFactory

    case = CaseFactory(office=alice.office, created_by=bob, attested_by=bob)
    login(client, alice)
    response = client.post(reverse("office_user_remove", args=[bob.pk]), follow=True)
    assert response.status_code == 200
    assert "has requests on record" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.is_active
    case.refresh_from_db()
    assert case.created_by == bob  # who submitted it is still known


@pytest.mark.django_db
def test_charlie_gets_404_for_alices_office_users(client, alice, bob, charlie):
    login(client, charlie)
    page = client.get(reverse("office_users"))
    assert "bob" not in page.content.decode()
    assert (
        client.post(reverse("office_user_set_active", args=[bob.pk]), {"active": "0"}).status_code
        == 404
    )
    assert client.get(reverse("office_user_remove", args=[bob.pk])).status_code == 404
    assert client.post(reverse("office_user_remove", args=[bob.pk])).status_code == 404
    bob.refresh_from_db()
    assert bob.is_active


@pytest.mark.django_db
def test_office_staff_cannot_manage_users(client, alice, bob):
    login(client, bob)
    assert client.get(reverse("office_users")).status_code == 403
    assert client.post(reverse("office_user_invite"), INVITE).status_code == 403
    assert (
        client.post(reverse("office_user_set_active", args=[alice.pk]), {"active": "0"}).status_code
        == 403
    )
