import pytest
from django.urls import reverse

from portal.models import OfficePractitioner
from tests.conftest import login
from tests.factories import DirectoryProviderFactory, OfficePractitionerFactory


@pytest.fixture
def dr_alvarez(db):
    return DirectoryProviderFactory(
        last_name="Alvarez", first_name="Maria", state="AZ", zip_code="850161234"
    )


@pytest.fixture
def dr_chen(db):
    return DirectoryProviderFactory(
        last_name="Chen", first_name="Linh", state="AZ", zip_code="85251"
    )


def _search(client, provider, **overrides):
    params = {"npi": provider.npi, "state": provider.state, "zip_code": provider.zip5, **overrides}
    return client.get(reverse("practitioner_add"), params)


def test_search_finds_the_record_by_npi_state_and_zip(client, alice, dr_alvarez):
    login(client, alice)
    response = _search(client, dr_alvarez)
    assert response.status_code == 200
    assert [m.pk for m in response.context["matches"]] == [dr_alvarez.pk]
    assert "Alvarez, Maria" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "found"),
    [({"state": "TN"}, False), ({"zip_code": "85001"}, False), ({"zip_code": "85016-1234"}, True)],
)
def test_search_needs_the_matching_state_and_zip(client, alice, dr_alvarez, overrides, found):
    login(client, alice)
    response = _search(client, dr_alvarez, **overrides)
    assert bool(response.context["matches"]) is found
    if not found:
        assert "No practitioner with NPI" in response.content.decode()


def test_search_rejects_an_invalid_npi(client, alice, dr_alvarez):
    login(client, alice)
    response = client.get(
        reverse("practitioner_add"), {"npi": "1234567890", "state": "AZ", "zip_code": "85016"}
    )
    assert "not a valid NPI" in " ".join(response.context["form"].errors["npi"])
    assert response.context["matches"] is None
    assert response.context["form"]["npi"].value() == "1234567890"  # kept for correction


def _choose(client, provider, **overrides):
    data = {
        "provider": provider.pk,
        "npi": provider.npi,
        "state": provider.state,
        "zip_code": provider.zip5,
        **overrides,
    }
    return client.post(reverse("practitioner_add"), data, follow=True)


def test_add_two_practitioners_and_see_them_listed(client, alice, dr_alvarez, dr_chen):
    login(client, alice)
    for provider in (dr_alvarez, dr_chen):
        response = _choose(client, provider)
        assert response.status_code == 200
        assert "Add another practitioner" in response.content.decode()
    page = client.get(reverse("account"))
    names = [link.provider.last_name for link in page.context["practitioners"]]
    assert names == ["Alvarez", "Chen"]
    assert OfficePractitioner.objects.filter(office=alice.office).count() == 2


def test_adding_the_same_practitioner_twice_is_refused_kindly(client, alice, dr_alvarez):
    login(client, alice)
    _choose(client, dr_alvarez)
    response = _choose(client, dr_alvarez)
    assert "already on your account" in response.content.decode()
    assert OfficePractitioner.objects.filter(office=alice.office).count() == 1
    search = _search(client, dr_alvarez)
    assert search.context["matches"][0].already_added


def test_bob_sees_and_adds_for_his_office(client, alice, bob, dr_alvarez):
    OfficePractitionerFactory(office=alice.office, provider=dr_alvarez)
    login(client, bob)
    page = client.get(reverse("account"))
    assert [link.provider for link in page.context["practitioners"]] == [dr_alvarez]


def test_charlie_cannot_see_or_remove_alices_practitioners(client, alice, charlie, dr_alvarez):
    link = OfficePractitionerFactory(office=alice.office, provider=dr_alvarez)
    login(client, charlie)
    page = client.get(reverse("account"))
    assert list(page.context["practitioners"]) == []
    assert "Alvarez" not in page.content.decode()
    assert client.get(reverse("practitioner_remove", args=[link.pk])).status_code == 404
    assert client.post(reverse("practitioner_remove", args=[link.pk])).status_code == 404
    assert OfficePractitioner.objects.filter(pk=link.pk).exists()


def test_alice_removes_after_confirming(client, alice, dr_alvarez):
    link = OfficePractitionerFactory(office=alice.office, provider=dr_alvarez)
    login(client, alice)
    confirm = client.get(reverse("practitioner_remove", args=[link.pk]))
    assert "Remove" in confirm.content.decode() and confirm.status_code == 200
    assert OfficePractitioner.objects.filter(pk=link.pk).exists()
    client.post(reverse("practitioner_remove", args=[link.pk]))
    assert not OfficePractitioner.objects.filter(pk=link.pk).exists()


def test_adding_an_unknown_directory_id_is_404(client, alice):
    login(client, alice)
    assert client.post(reverse("practitioner_add"), {"provider": 999999}).status_code == 404
    assert client.post(reverse("practitioner_add"), {"provider": "x"}).status_code == 404


def test_a_record_the_search_did_not_find_cannot_be_added(client, alice, dr_alvarez, dr_chen):
    login(client, alice)
    # dr_chen's id with dr_alvarez's search: refused, whatever the id.
    response = _choose(client, dr_chen, npi=dr_alvarez.npi, zip_code=dr_alvarez.zip5)
    assert response.status_code == 404
    assert not OfficePractitioner.objects.exists()


def test_reviewers_do_not_manage_practitioners(client, nina):
    login(client, nina)
    assert client.get(reverse("account")).status_code == 403
    assert client.get(reverse("practitioner_add")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
