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
