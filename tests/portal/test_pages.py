from io import StringIO

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import login

HOME_LINKS = [
    "Review a summary of recent certifications",
    "Request a clinical certification / procedure",
    "Resume a certification request in progress",
    "Look up an existing authorization",
    "Check member eligibility",
]
NAV = [
    "Home",
    "Certification Summary",
    "Authorization Lookup",
    "Eligibility Lookup",
    "Clinical Certification",
    "Requests In Progress",
    "Manage Your Account",
    "Help",
]


def test_office_home_has_the_five_entry_links_and_the_navigation(client, alice):
    login(client, alice)
    html = client.get(reverse("home")).content.decode()
    for text in HOME_LINKS + NAV:
        assert text in html
    assert "Add a practitioner by NPI" in html  # no practitioners yet


def test_nurse_home_is_the_queue_without_office_navigation(client, nina):
    login(client, nina)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("review_queue")
    html = response.content.decode()
    assert "Review Queue" in html and reverse("pathway_list") in html
    assert "Manage Your Account" not in html


def test_unbuilt_features_say_so_with_a_way_back(client, alice):
    login(client, alice)
    response = client.get(reverse("not_available", args=["authorization-lookup"]))
    assert response.status_code == 200
    assert "not available yet" in response.content.decode()
    assert reverse("home") in response.content.decode()
    assert client.get(reverse("not_available", args=["nope"])).status_code == 404


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_help_is_public(client, db):
    assert client.get(reverse("help")).status_code == 200


@override_settings(DEBUG=False)
def test_unknown_page_is_a_friendly_404(client, alice):
    login(client, alice)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "could not find that page" in response.content.decode()


def test_static_assets_are_local(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_idempotent(client):
    from django.core.management import call_command

    from portal.models import DirectoryProvider, OfficePractitioner, User

    call_command("seed_demo", stdout=StringIO())
    counts = (
        User.objects.count(),
        DirectoryProvider.objects.count(),
        OfficePractitioner.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        User.objects.count(),
        DirectoryProvider.objects.count(),
        OfficePractitioner.objects.count(),
    )
    assert counts[0] == 8 and counts[1] >= 50
    assert DirectoryProvider.objects.exclude(site_type="").count() >= 20
    # Every demo site says what it performs; what an administrator changed is kept.
    assert not DirectoryProvider.objects.exclude(site_type="").filter(modalities=[]).exists()
    valley = DirectoryProvider.objects.get(organization_name__iexact="Valley Open MRI")
    assert valley.modalities == ["MRI", "MRA"]
    DirectoryProvider.objects.filter(pk=valley.pk).update(modalities=["MRI"])
    call_command("seed_demo", stdout=StringIO())
    valley.refresh_from_db()
    assert valley.modalities == ["MRI"]
    assert User.objects.get(username="office.admin").check_password("precert-demo-2026")
