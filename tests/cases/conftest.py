import pytest

from clinical.services import pathways_load
from payers.models import HealthPlan, NetworkParticipation
from tests.factories import (
    DiagnosisCodeFactory,
    DirectoryProviderFactory,
    OfficePractitionerFactory,
    SiteFactory,
)

SAGUARO = "Saguaro Blue Cross Blue Shield"


@pytest.fixture
def world(demo_payers, alice):
    pathways_load()
    DiagnosisCodeFactory(code="M25.562", description="Pain in left knee")
    DiagnosisCodeFactory(code="M54.50", description="Low back pain, unspecified")
    doctor = DirectoryProviderFactory(last_name="Alvarez", first_name="Maria", state="AZ")
    OfficePractitionerFactory(office=alice.office, provider=doctor)
    site = SiteFactory(organization_name="Camelback Imaging Center", state="AZ", zip_code="85016")
    plan = HealthPlan.objects.get(name=SAGUARO)
    NetworkParticipation.objects.create(
        health_plan=plan, provider=site, effective_date="2015-01-01"
    )
    return {"doctor": doctor, "site": site, "plan": plan}
