import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Office, User
from portal.roles import Role
from tests.factories import UserFactory

VALID = {
    "username": "jsmith",
    "email": "jsmith@example.org",
    "email_confirm": "JSmith@example.org",
    "first_name": "Jane",
    "last_name": "Smith",
    "office_name": "Smith Family Practice",
    "address_line1": "730 Cool Springs Blvd",
    "city": "Franklin",
    "state": "TN",
    "zip_code": "37067",
    "phone": "615-548-4000",
    "phone_ext": "12",
    "fax": "(615) 548 4001",
    "password1": "a-long-Pass-phrase-42",
    "password2": "a-long-Pass-phrase-42",
}


def _without_tokens(content: bytes) -> bytes:
    """A page with its per-request tokens (CSRF) blanked, to compare two answers."""
    return re.sub(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"', rb"\1", content)


def _confirmation_link() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"/accounts/confirm/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)


@pytest.mark.django_db(transaction=True)
def test_register_confirm_and_log_in(client):
    response = client.post(reverse("register"), VALID)
    assert response.status_code == 302
    assert response.url == reverse("register_done")

    user = User.objects.get(username="jsmith")
    assert user.role == Role.OFFICE_ADMIN
    assert user.office.name == "Smith Family Practice"
    assert user.office.phone == "(615) 548-4000"
    assert user.fax == "(615) 548-4001"
    assert not user.email_confirmed

    # Before confirming, login is refused with a clear reason.
    login = {"username": "jsmith", "password": VALID["password1"], "hipaa_agree": "on"}
    response = client.post(reverse("login"), login)
    assert response.status_code == 200
    assert "confirm your email" in response.content.decode()

    link = _confirmation_link()
    response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed

    # The link is single-use.
    response = client.get(link)
    assert response.status_code == 400

    response = client.post(reverse("login"), {**login, "username": "JSMITH"})
    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email_confirm": "other@example.org"}, "email_confirm", "do not match"),
        ({"password2": "something-else-42"}, "password2", "do not match"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"zip_code": "3706"}, "zip_code", "zip"),
        ({"phone": "555-1234"}, "phone", "10-digit"),
        ({"state": ""}, "state", "required"),
        ({"fax": ""}, "fax", "required"),
    ],
)
def test_register_bad_input_saves_nothing(client, changes, field, message):
    UserFactory(username="alice")
    before_users, before_offices = User.objects.count(), Office.objects.count()
    response = client.post(reverse("register"), {**VALID, **changes})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message.lower() in " ".join(form.errors[field]).lower()
    assert User.objects.count() == before_users
    assert Office.objects.count() == before_offices
    assert not mail.outbox
    # What the user typed is kept (except passwords).
    assert form["first_name"].value() == "Jane"


@pytest.mark.django_db
def test_register_page_is_for_anonymous_users(client, alice):
    client.force_login(alice)
    assert client.get(reverse("register")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_resend_confirmation_says_the_same_for_unknown_users(client):
    client.post(reverse("register"), VALID)
    mail.outbox.clear()
    known = client.post(reverse("resend_confirmation"), {"username": "jsmith"}, follow=True)
    unknown = client.post(reverse("resend_confirmation"), {"username": "nobody"}, follow=True)
    assert len(mail.outbox) == 1
    assert [str(m) for m in known.context["messages"]] == [
        str(m) for m in unknown.context["messages"]
    ]


@pytest.mark.django_db
def test_tampered_confirmation_link_is_refused(client, alice):
    response = client.get(reverse("confirm_email", kwargs={"uidb64": "MQ", "token": "abc-def"}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_taken_user_id_is_told_by_email_not_on_the_page(client):
    UserFactory(username="jsmith", email="owner@example.org")
    free = client.post(reverse("register"), {**VALID, "username": "jdoe"}, follow=True)
    mail.outbox.clear()
    for spelling in ("jsmith", "JSmith"):
        taken = client.post(reverse("register"), {**VALID, "username": spelling}, follow=True)
        # The same page as for a free User ID: nothing on it says the ID exists.
        assert taken.redirect_chain == free.redirect_chain
        assert _without_tokens(taken.content) == _without_tokens(free.content)
    assert User.objects.filter(username__iexact="jsmith").count() == 1
    assert not Office.objects.filter(name="Smith Family Practice", users__username="JSmith")
    # The address typed is told instead, and gets no confirmation link.
    assert [m.to for m in mail.outbox] == [["jsmith@example.org"], ["jsmith@example.org"]]
    assert "already in use" in mail.outbox[0].body
    assert "/accounts/confirm/" not in mail.outbox[0].body


@pytest.mark.django_db
def test_registration_is_throttled_per_address_and_keeps_what_was_typed(client, settings):
    from portal.views.accounts import REGISTRATIONS_PER_HOUR

    bad = {**VALID, "password2": "does-not-match-42"}
    for _ in range(REGISTRATIONS_PER_HOUR):
        assert client.post(reverse("register"), bad, REMOTE_ADDR="10.3.0.1").status_code == 200
    response = client.post(reverse("register"), VALID, REMOTE_ADDR="10.3.0.1")
    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()
    assert response.context["form"]["first_name"].value() == "Jane"
    assert not User.objects.filter(username="jsmith").exists()
    # Another address is not held back.
    assert client.post(reverse("register"), VALID, REMOTE_ADDR="10.3.0.2").status_code == 302
