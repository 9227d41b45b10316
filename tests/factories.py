import datetime

import factory
from django.utils import timezone

from portal.models import DirectoryProvider, Office, OfficePractitioner, User
from portal.npi import npi_check_digit
from portal.roles import Role

PASSWORD = "correct-horse-battery-9"


def _npi(n: int) -> str:
    stem = f"1{n:08d}"
    return stem + npi_check_digit(stem)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    address_line1 = "100 Main St"
    city = "Phoenix"
    state = "AZ"
    zip_code = "85016"
    phone = "(602) 555-0100"
    fax = "(602) 555-0101"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    role = Role.OFFICE_STAFF
    office = factory.SubFactory(OfficeFactory)
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create:
            obj.save()


class DirectoryProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryProvider

    npi = factory.Sequence(_npi)
    entity_type = DirectoryProvider.EntityType.INDIVIDUAL
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Doctor{n}")
    credential = "MD"
    address_line1 = "2400 E Camelback Rd"
    city = "Phoenix"
    state = "AZ"
    zip_code = "850161234"
    phone = "(602) 555-0110"
    fax = "(602) 555-0111"


class OfficePractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficePractitioner

    office = factory.SubFactory(OfficeFactory)
    provider = factory.SubFactory(DirectoryProviderFactory)


# --- payers and clinical -------------------------------------------------------------------


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clinical.Program"
        django_get_or_create = ("code",)

    code = "radiology-cardiology"
    name = "Radiology and Cardiology"
    is_active = True


class ProcedureCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clinical.ProcedureCode"
        django_get_or_create = ("code",)

    code = "73721"
    description = "MRI of a lower-extremity joint, without contrast"
    modality = "MRI"
    body_region = "lower_extremity"
    contrast = "without"
    laterality_required = True
    program = factory.SubFactory(ProgramFactory)


class DiagnosisCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clinical.DiagnosisCode"
        django_get_or_create = ("code",)

    code = "M25.562"
    compact = factory.LazyAttribute(lambda d: d.code.replace(".", ""))
    description = "Pain in left knee"
    search_text = factory.LazyAttribute(lambda d: f"{d.code} {d.compact} {d.description}".lower())


class HealthPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payers.HealthPlan"

    name = factory.Sequence(lambda n: f"Health Plan {n}")


class BenefitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payers.BenefitPlan"

    health_plan = factory.SubFactory(HealthPlanFactory)
    name = factory.Sequence(lambda n: f"PPO {n}")
    line_of_business = "commercial"
    member_id_prefix = "TST"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payers.Member"

    benefit_plan = factory.SubFactory(BenefitPlanFactory)
    health_plan = factory.SelfAttribute("benefit_plan.health_plan")
    member_id = factory.Sequence(lambda n: f"TST{n:09d}")
    first_name = "Olivia"
    last_name = "Marsh"
    date_of_birth = datetime.date(1971, 3, 14)
    coverage_start = datetime.date(2020, 1, 1)


class SiteFactory(DirectoryProviderFactory):
    entity_type = DirectoryProvider.EntityType.ORGANIZATION
    first_name = ""
    last_name = ""
    credential = ""
    organization_name = factory.Sequence(lambda n: f"Imaging Center {n}")
    site_type = DirectoryProvider.SiteType.FREESTANDING_IMAGING
    tin = "861234567"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Case"

    case_number = factory.Sequence(lambda n: f"{100000000 + n}")
    status = "in_review"
    office = factory.SubFactory(OfficeFactory)
    created_by = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..office"))
    program = factory.SubFactory(ProgramFactory)
    ordering_provider = factory.SubFactory(DirectoryProviderFactory)
    provider_address = "2400 E Camelback Rd, Phoenix, AZ 85016"
    contact_name = "Luis Ortega"
    contact_phone = "(602) 555-0140"
    contact_fax = "(602) 555-0141"
    member = factory.SubFactory(MemberFactory)
    health_plan = factory.SelfAttribute("member.health_plan")
    member_snapshot = factory.LazyAttribute(lambda c: {"member_id": c.member.member_id})
    primary_diagnosis = factory.SubFactory(DiagnosisCodeFactory)
    rendering_site = factory.SubFactory(SiteFactory)
    place_of_service = "freestanding"
    attested_by = factory.SelfAttribute("created_by")
    attested_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)
