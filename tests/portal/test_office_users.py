import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

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


# --- sending an invitation again (issue 11, item 33) ----------------------------------------

LINK = re.compile(r"/accounts/invitation/[^/\s]+/[^/\s]+/")


def _invite(client, alice, mailoutbox, capture):
    login(client, alice)
    with capture(execute=True):
        client.post(reverse("office_user_invite"), INVITE)
    return User.objects.get(username="newhire"), LINK.search(mailoutbox[-1].body).group(0)


def _two_days_later(monkeypatch, invited):
    """The invitation was sent two days ago: its one-day link has run out."""
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    later = PasswordResetTokenGenerator._now(default_token_generator) + timedelta(days=2)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    User.objects.filter(pk=invited.pk).update(invited_at=timezone.now() - timedelta(days=2))


@pytest.mark.django_db
def test_an_expired_invitation_is_sent_again_with_a_new_link(
    client, alice, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    invited, old_link = _invite(client, alice, mailoutbox, django_capture_on_commit_callbacks)
    _two_days_later(monkeypatch, invited)
    page = client.get(reverse("office_users")).content.decode()
    assert "Invitation expired" in page
    resend = reverse("office_user_invitation_resend", args=[invited.pk])
    assert f'action="{resend}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, follow=True)
    assert "Invitation sent again to newhire@example.org" in response.content.decode()
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["newhire@example.org"]
    new_link = LINK.search(mailoutbox[1].body).group(0)
    assert new_link != old_link
    invited.refresh_from_db()
    assert timezone.now() - invited.invited_at < timedelta(minutes=1)
    assert "Invitation expired" not in client.get(reverse("office_users")).content.decode()

    client.post(reverse("logout"))
    assert client.get(old_link).status_code == 400
    assert client.get(new_link).status_code == 200
    new = "my-Own-strong-phrase-3"
    assert client.post(new_link, {"new_password1": new, "new_password2": new}).status_code == 302


@pytest.mark.django_db
def test_sending_again_before_expiry_kills_the_first_link(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    invited, old_link = _invite(client, alice, mailoutbox, django_capture_on_commit_callbacks)
    assert "Invited" in client.get(reverse("office_users")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("office_user_invitation_resend", args=[invited.pk]))
    new_link = LINK.search(mailoutbox[-1].body).group(0)
    client.post(reverse("logout"))
    assert client.get(old_link).status_code == 400  # a link mailed to a wrong address is dead
    assert client.get(new_link).status_code == 200


@pytest.mark.django_db
def test_an_accepted_invitation_is_not_sent_again(
    client, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, alice)
    page = client.get(reverse("office_users")).content.decode()
    assert reverse("office_user_invitation_resend", args=[bob.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("office_user_invitation_resend", args=[bob.pk]), follow=True)
    assert "already chose a password" in response.content.decode()
    bob.refresh_from_db()
    assert bob.has_usable_password() and not mailoutbox


@pytest.mark.django_db
def test_a_deactivated_invitee_is_not_sent_again(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    invited, _ = _invite(client, alice, mailoutbox, django_capture_on_commit_callbacks)
    User.objects.filter(pk=invited.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("office_user_invitation_resend", args=[invited.pk]), follow=True
        )
    assert "Reactivate" in response.content.decode() and len(mailoutbox) == 1


@pytest.mark.django_db
def test_only_the_offices_admin_sends_an_invitation_again(
    client, alice, bob, charlie, nina, mailoutbox, django_capture_on_commit_callbacks
):
    invited, link = _invite(client, alice, mailoutbox, django_capture_on_commit_callbacks)
    resend = reverse("office_user_invitation_resend", args=[invited.pk])
    for user, status in ((charlie, 404), (bob, 403), (nina, 403)):
        login(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(resend).status_code == status, user.username
    login(client, alice)
    assert client.get(resend).status_code == 405  # sending is a POST
    assert len(mailoutbox) == 1
    client.post(reverse("logout"))
    assert client.get(link).status_code == 200  # still the first link


@pytest.mark.django_db
def test_invitations_on_file_get_their_sending_time(office, alice):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("portal.migrations.0003_user_invited_at")
    pending = UserFactory(office=office, role=Role.OFFICE_STAFF)
    pending.set_unusable_password()
    pending.save()
    migration.invitations_sent_at_joining(apps, None)
    pending.refresh_from_db()
    alice.refresh_from_db()
    assert pending.invited_at == pending.date_joined
    assert alice.invited_at is None  # chose a password: nothing pending
