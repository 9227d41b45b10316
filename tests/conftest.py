"""Named users, as in healthchecks: alice owns, bob works in alice's office, charlie is elsewhere.

Every view test asks what charlie gets.
"""

import pytest
from django.core.cache import cache

from portal.lib import refcache
from portal.roles import Role
from tests.factories import OfficeFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    # Each test's database is rolled back: what a process kept of the last one must go too.
    cache.clear()
    refcache.clear()
    yield
    cache.clear()
    refcache.clear()


@pytest.fixture
def office(db):
    return OfficeFactory(name="Desert Sky Family Medicine")


@pytest.fixture
def alice(office):
    return UserFactory(username="alice", first_name="Alice", role=Role.OFFICE_ADMIN, office=office)


@pytest.fixture
def bob(office):
    return UserFactory(username="bob", first_name="Bob", role=Role.OFFICE_STAFF, office=office)


@pytest.fixture
def charlie(db):
    return UserFactory(
        username="charlie",
        first_name="Charlie",
        role=Role.OFFICE_ADMIN,
        office=OfficeFactory(name="Cumberland Family Practice"),
    )


@pytest.fixture
def nina(db):
    """A nurse reviewer: not an office user."""
    return UserFactory(username="nina", role=Role.NURSE, office=None)


@pytest.fixture
def paula(db):
    """A plan administrator."""
    return UserFactory(username="paula", role=Role.PLAN_ADMIN, office=None)


def login(client, user):
    client.force_login(user, backend="portal.backends.LoginBackend")
    return client


@pytest.fixture
def demo_payers(db):
    """Programs, the procedure codes and the three demo plans with their members."""
    from clinical import codesets
    from payers.demo import seed_payers_demo

    codesets.load_programs()
    codesets.load_procedure_codes()
    seed_payers_demo()


@pytest.fixture
def world(demo_payers, alice):
    """Demo plans, pathways, two diagnosis codes, alice's practitioner and an in-network site."""
    from clinical.services import pathways_load
    from payers.models import HealthPlan, NetworkParticipation
    from tests.factories import (
        DiagnosisCodeFactory,
        DirectoryProviderFactory,
        OfficePractitionerFactory,
        SiteFactory,
    )

    pathways_load()
    DiagnosisCodeFactory(code="M25.562", description="Pain in left knee")
    DiagnosisCodeFactory(code="M54.50", description="Low back pain, unspecified")
    doctor = DirectoryProviderFactory(last_name="Alvarez", first_name="Maria", state="AZ")
    OfficePractitionerFactory(office=alice.office, provider=doctor)
    site = SiteFactory(organization_name="Camelback Imaging Center", state="AZ", zip_code="85016")
    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    NetworkParticipation.objects.create(
        health_plan=plan, provider=site, effective_date="2015-01-01"
    )
    return {"doctor": doctor, "site": site, "plan": plan}


@pytest.fixture
def renee(db):
    """A nurse reviewer."""
    return UserFactory(username="renee", first_name="Renee", role=Role.NURSE, office=None)


@pytest.fixture
def arjun(db):
    """A physician reviewer."""
    return UserFactory(username="arjun", first_name="Arjun", role=Role.PHYSICIAN, office=None)


@pytest.fixture
def priya(db):
    """A second physician (reconsiderations go to a physician other than the one who denied)."""
    return UserFactory(username="priya", first_name="Priya", role=Role.PHYSICIAN, office=None)
