"""The admin has one way in: the portal's login (issue 11, item 29)."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_the_admin_login_sends_everyone_to_the_portal_login_and_back(client, paula):
    response = client.get("/admin/")
    assert response.status_code == 302
    admin_login = client.get(response.url)
    assert admin_login.status_code == 302
    assert admin_login.url == f"{reverse('login')}?next=%2Fadmin%2F"
    # The plan administrator logs in there (HIPAA agreement and all) and lands in the admin.
    data = {"username": "PAULA", "password": PASSWORD, "hipaa_agree": "on"}
    logged_in = client.post(admin_login.url, data)
    assert logged_in.status_code == 302
    assert logged_in.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_admin_login_no_longer_takes_a_password_itself(client, paula):
    data = {"username": "paula", "password": PASSWORD, "next": "/admin/"}
    response = client.post(reverse("admin:login"), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_logged_in_user_without_the_admin_role_is_refused_not_looped(client, alice):
    login(client, alice)
    response = client.get(reverse("admin:login") + "?next=/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 0


@pytest.mark.django_db
def test_a_plan_admin_already_logged_in_goes_straight_in(client, paula):
    login(client, paula)
    response = client.get(reverse("admin:login") + "?next=/admin/payers/")
    assert response.status_code == 302
    assert response.url == "/admin/payers/"
    # Never to another site.
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response.url == reverse("admin:index")
