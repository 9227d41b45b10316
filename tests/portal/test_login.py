import re
import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.middleware import ACTIVITY_RESOLUTION_SECONDS, SESSION_KEY
from portal.views.accounts import REMEMBER_COOKIE
from tests.conftest import login
from tests.factories import PASSWORD


def _login(client, username, password=PASSWORD, **extra):
    data = {"username": username, "password": password, "hipaa_agree": "on", **extra}
    return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.7")


@pytest.mark.django_db
def test_login_requires_the_hipaa_agreement(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert "agree to the HIPAA disclosure" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_agreement_lands_on_home(client, alice):
    response = _login(client, "alice")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_remember_user_id_prefills_the_next_login(client, alice):
    response = _login(client, "alice", remember_user_id="on")
    cookie = response.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"]
    assert "alice" in cookie.value  # signed, so it cannot be forged for another User ID
    client.post(reverse("logout"))
    page = client.get(reverse("login"))
    assert page.context["form"]["username"].value() == "alice"

    # Unticking it forgets the User ID.
    response = _login(client, "alice")
    assert response.cookies[REMEMBER_COOKIE].value == ""


@pytest.mark.django_db
def test_deactivated_user_is_told_why(client, alice):
    alice.is_active = False
    alice.save()
    response = _login(client, "alice")
    assert response.status_code == 200
    assert "deactivated" in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_user_id_from_that_address(client, alice):
    for _ in range(3):
        response = _login(client, "alice", password="wrong-password")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, "alice").status_code == 429
    # Another address is not locked out for that user.
    other = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD, "hipaa_agree": "on"},
        REMOTE_ADDR="10.0.0.99",
    )
    assert other.status_code == 302


@pytest.mark.django_db
@override_settings(IDLE_LOGOFF_MINUTES=15)
def test_idle_session_is_logged_off_with_a_message(client, alice):
    login(client, alice)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - 16 * 60
    session.save()
    response = client.get(reverse("account"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "logged off after 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_active_session_stays_and_status_poll_does_not_extend_it(client, alice):
    login(client, alice)
    client.get(reverse("home"))
    session = client.session
    stale = time.time() - 10 * 60
    session[SESSION_KEY] = stale
    session.save()
    client.get(reverse("session_status"))
    assert client.session[SESSION_KEY] == stale  # polling is not activity
    client.post(reverse("session_keepalive"))
    assert client.session[SESSION_KEY] > stale  # "Stay logged in" is


@pytest.mark.django_db
def test_idle_logoff_answers_htmx_with_a_client_redirect(client, alice):
    login(client, alice)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_KEY] = time.time() - 60 * 60
    session.save()
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith(reverse("login"))


@pytest.mark.django_db
def test_password_change_validates_and_keeps_the_session(client, alice):
    login(client, alice)
    url = reverse("password_change")
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and weak.context["form"].errors
    new = "another-Strong-phrase-7"
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(new)


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_works(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": alice.email})
    assert len(mailoutbox) == 1
    path = mailoutbox[0].body.split("testserver", 1)[1].split()[0]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    new = "reset-Strong-phrase-8"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)


@pytest.mark.django_db
def test_password_reset_for_unknown_email_looks_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert not mailoutbox


@pytest.mark.django_db
def test_a_deactivated_users_open_session_stops_working(client, alice, bob):
    login(client, bob)
    assert client.get(reverse("home")).status_code == 200
    bob.is_active = False
    bob.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_idle_logoff_keeps_the_whole_address_for_after_login(client, alice):
    login(client, alice)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_KEY] = time.time() - 60 * 60
    session.save()
    response = client.get("/help/?a=1&b=2")
    assert response.url == reverse("login") + "?next=%2Fhelp%2F%3Fa%3D1%26b%3D2"


@pytest.mark.django_db
def test_idle_logoff_of_a_post_returns_to_login_without_next(client, alice):
    login(client, alice)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_KEY] = time.time() - 60 * 60
    session.save()
    response = client.post(reverse("session_keepalive"))
    assert response.url == reverse("login")


def test_session_outlives_the_idle_limit(settings):
    # The middleware ends idle sessions with a message; the cookie must not expire first.
    assert settings.SESSION_COOKIE_AGE > settings.IDLE_LOGOFF_MINUTES * 60


@pytest.mark.django_db
def test_page_loads_record_activity_at_most_every_half_minute(client, alice):
    login(client, alice)
    client.get(reverse("home"))
    recent = time.time() - (ACTIVITY_RESOLUTION_SECONDS - 10)
    session = client.session
    session[SESSION_KEY] = recent
    session.save()
    page = client.get(reverse("home"))
    assert client.session[SESSION_KEY] == recent  # no session write for this page
    # The page's warning timer starts from what the server recorded, not from the page load.
    elapsed = int(re.search(r'data-idle-elapsed="(\d+)"', page.content.decode()).group(1))
    assert ACTIVITY_RESOLUTION_SECONDS - 11 <= elapsed <= ACTIVITY_RESOLUTION_SECONDS - 9
    older = time.time() - (ACTIVITY_RESOLUTION_SECONDS + 5)
    session = client.session
    session[SESSION_KEY] = older
    session.save()
    client.get(reverse("home"))
    assert client.session[SESSION_KEY] > older + ACTIVITY_RESOLUTION_SECONDS


@pytest.mark.django_db
def test_htmx_replies_say_how_long_ago_activity_was_recorded(client, alice):
    login(client, alice)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_KEY] = time.time() - 20
    session.save()
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert 19 <= int(response.headers["X-Idle-Elapsed"]) <= 21
    assert "X-Idle-Elapsed" not in client.get(reverse("home")).headers  # pages carry it inline


def test_the_user_is_read_once_then_kept_until_changed(client, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, alice)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not any('FROM "portal_user"' in q["sql"] for q in queries.captured_queries)
    # A change to the office shows on the next page.
    alice.office.name = "Desert Sky Renamed"
    alice.office.save()
    assert "Desert Sky Renamed" in client.get(reverse("home")).content.decode()
    # A deactivated user's next request is logged out, whatever was kept.
    alice.is_active = False
    alice.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url
    # Another user's session is untouched by alice's changes.
    login(client, bob)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_counts_every_spelling_of_the_user_id_as_one(client, alice):
    # Failures in three spellings add up to one lock...
    for spelling in ("alice", "ALICE", "Alice"):
        response = _login(client, spelling, password="wrong-password")
    assert response.status_code == 429
    # ...and no spelling gets past it, even with the right password.
    for spelling in ("alice", "ALICE", " Alice "):
        assert _login(client, spelling).status_code == 429


def _login_from(client, address, username="alice", password=PASSWORD):
    data = {"username": username, "password": password, "hipaa_agree": "on"}
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(
    AXES_FAILURE_LIMIT=3, PORTAL_ACCOUNT_FAILURE_LIMIT=6, PORTAL_ACCOUNT_LOCK_MINUTES=5
)
def test_failures_from_many_addresses_lock_the_account_for_a_few_minutes(client, alice):
    from axes.models import AccessFailureLog

    # Two guesses from each of three addresses: no address reaches its own limit of three...
    for n in range(3):
        for spelling in ("alice", "ALICE"):
            assert _login_from(client, f"10.1.0.{n}", spelling, "wrong-password").status_code == 200
    # ...but the account has had six, so a new address is refused, even with the right password.
    assert _login_from(client, "10.1.0.50").status_code == 429
    # The account lock is short: once those failures are older than the window, the owner gets in.
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=6))
    assert _login_from(client, "10.1.0.50").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, PORTAL_ACCOUNT_FAILURE_LIMIT=6)
def test_the_account_limit_counts_only_that_account(client, alice, bob):
    for n in range(6):
        _login_from(client, f"10.2.0.{n}", "alice", "wrong-password")
    assert _login_from(client, "10.2.0.9", "bob").status_code == 302
