"""Times are stored in UTC and shown in the office's own time zone."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseProcedure
from portal.middleware import OfficeTimeZoneMiddleware
from portal.models import Office
from portal.time_zones import US_TIME_ZONES, zone_for_state
from tests.conftest import login
from tests.factories import CaseFactory, ProcedureCodeFactory

# 19:30 UTC on a winter day: 12:30 PM in Arizona, 1:30 PM in Chicago, 2:30 PM in New York.
SUBMITTED = datetime.datetime(2026, 1, 15, 19, 30, tzinfo=datetime.UTC)


def _case(office, user):
    case = CaseFactory(office=office, created_by=user, submitted_at=SUBMITTED)
    CaseProcedure.objects.create(case=case, procedure_code=ProcedureCodeFactory())
    return case


@pytest.mark.django_db
def test_an_arizona_office_sees_arizona_time(client, alice, bob, charlie):
    Office.objects.filter(pk=alice.office_id).update(time_zone="America/Phoenix")
    Office.objects.filter(pk=charlie.office_id).update(time_zone="America/Chicago")
    case = _case(alice.office, bob)
    theirs = _case(charlie.office, charlie)
    login(client, bob)
    html = client.get(reverse("case_detail", args=[case.case_number])).content.decode()
    assert "01/15/2026 12:30 PM MST" in html
    login(client, charlie)
    assert client.get(reverse("case_detail", args=[case.case_number])).status_code == 404
    html = client.get(reverse("case_detail", args=[theirs.case_number])).content.decode()
    assert "01/15/2026 1:30 PM CST" in html
    case.refresh_from_db()
    assert case.submitted_at == SUBMITTED  # stored as it was, in UTC


@pytest.mark.django_db
def test_the_zone_holds_for_the_request_only(alice, nina):
    Office.objects.filter(pk=alice.office_id).update(time_zone="Pacific/Honolulu")
    alice.office.refresh_from_db()
    seen = {}

    def view(request):
        seen[request.user.username] = timezone.get_current_timezone_name()
        return None

    middleware = OfficeTimeZoneMiddleware(view)
    for user in (alice, nina):
        request = RequestFactory().get("/")
        request.user = user
        middleware(request)
    assert seen == {"alice": "Pacific/Honolulu", "nina": "America/New_York"}
    assert timezone.get_current_timezone_name() == "America/New_York"  # not left behind


@pytest.mark.django_db
def test_a_zone_no_one_knows_is_never_stored(office):
    office.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(IntegrityError), transaction.atomic():
        office.save(update_fields=["time_zone"])


@pytest.mark.django_db
def test_a_zone_the_system_lacks_falls_back_to_the_portals(alice):
    # A server whose time zone database lacks a zone shows the portal's time, never a 500.
    alice.office.time_zone = "Mars/Olympus_Mons"
    seen = []
    middleware = OfficeTimeZoneMiddleware(
        lambda request: seen.append(timezone.get_current_timezone_name())
    )
    request = RequestFactory().get("/")
    request.user = alice
    middleware(request)
    assert seen == ["America/New_York"]


@pytest.mark.django_db
def test_the_office_admin_sets_the_time_zone(client, alice, bob, charlie):
    login(client, alice)
    page = client.get(reverse("account_edit")).content.decode()
    assert 'name="office-time_zone"' in page
    data = {
        "me-first_name": "Alice",
        "me-last_name": alice.last_name,
        "me-email": alice.email,
        "me-phone": "(602) 555-0100",
        "office-name": alice.office.name,
        "office-address_line1": "100 Main St",
        "office-city": "Phoenix",
        "office-state": "AZ",
        "office-zip_code": "85016",
        "office-phone": "(602) 555-0100",
        "office-fax": "(602) 555-0101",
        "office-time_zone": "America/Phoenix",
    }
    response = client.post(reverse("account_edit"), data)
    assert response.status_code == 302, response.context and [
        f.errors for f in (response.context["profile_form"], response.context["office_form"])
    ]
    alice.office.refresh_from_db()
    assert alice.office.time_zone == "America/Phoenix"
    assert "Arizona" in client.get(reverse("account")).content.decode()
    # Office staff change their own details only; charlie never reaches alice's office.
    login(client, bob)
    assert 'name="office-time_zone"' not in client.get(reverse("account_edit")).content.decode()
    login(client, charlie)
    client.post(reverse("account_edit"), {**data, "office-time_zone": "America/Denver"})
    alice.office.refresh_from_db()
    assert alice.office.time_zone == "America/Phoenix"


@pytest.mark.parametrize(
    ("state", "zone"),
    [
        ("AZ", "America/Phoenix"),
        ("TN", "America/Chicago"),
        ("NY", "America/New_York"),
        ("CO", "America/Denver"),
        ("CA", "America/Los_Angeles"),
        ("AK", "America/Anchorage"),
        ("HI", "Pacific/Honolulu"),
        ("PR", "America/Puerto_Rico"),
        ("", "America/New_York"),
    ],
)
def test_an_office_starts_in_the_zone_of_its_state(state, zone):
    assert zone_for_state(state) == zone


def test_every_state_has_a_zone_on_the_list():
    from localflavor.us.us_states import STATE_CHOICES

    names = {name for name, _label in US_TIME_ZONES}
    assert {zone_for_state(state) for state, _label in STATE_CHOICES} <= names


@pytest.mark.django_db
def test_a_registered_office_gets_the_zone_of_its_state():
    from portal.services import office_register

    user = office_register(
        office_data={
            "name": "Red Rock Imaging Referrals",
            "address_line1": "1 Main St",
            "city": "Sedona",
            "state": "AZ",
            "zip_code": "86336",
            "phone": "(928) 555-0100",
            "fax": "(928) 555-0101",
        },
        user_data={"username": "rr.admin", "email": "rr@example.org", "first_name": "R"},
        password="a-long-enough-pass-9",
    )
    assert user.office.time_zone == "America/Phoenix"


@pytest.mark.django_db
def test_demo_offices_are_in_their_own_zones():
    from portal.management.commands.seed_demo import OFFICES, Command

    zones = {key: Command()._office(spec).time_zone for key, spec in OFFICES.items()}
    assert zones == {"desert-sky": "America/Phoenix", "cumberland": "America/Chicago"}


@pytest.mark.django_db
def test_existing_offices_are_given_the_zone_of_their_state():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("portal.migrations.0002_office_time_zone")
    arizona = Office.objects.create(
        name="A", address_line1="1", city="Tucson", state="AZ", zip_code="85701", phone="1", fax="1"
    )
    texas = Office.objects.create(
        name="T", address_line1="1", city="Austin", state="TX", zip_code="73301", phone="1", fax="1"
    )
    migration.zones_from_states(apps, None)
    arizona.refresh_from_db()
    texas.refresh_from_db()
    assert (arizona.time_zone, texas.time_zone) == ("America/Phoenix", "America/Chicago")
