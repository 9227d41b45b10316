from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from payers.demo import seed_payers_demo
from portal.management.demo_review import seed_review_demo
from portal.models import DirectoryProvider, Office, OfficePractitioner, User
from portal.roles import Role

DEMO_PASSWORD = "precert-demo-2026"  # noqa: S105 - demo data only, printed for the newcomer
DIRECTORY_CSV = Path(settings.BASE_DIR) / "fixtures" / "demo" / "directory_nppes.csv"

OFFICES = {
    "desert-sky": {
        "name": "Desert Sky Family Medicine",
        "address_line1": "2400 E Camelback Rd",
        "address_line2": "Suite 210",
        "city": "Phoenix",
        "state": "AZ",
        "zip_code": "85016",
        "phone": "(602) 555-0140",
        "fax": "(602) 555-0141",
        "time_zone": "America/Phoenix",
        # Dr Hughes is outside Saguaro's network: the confirmation says so.
        "practitioners": ["ALVAREZ", "BENNETT", "CHEN", "HUGHES"],
    },
    "cumberland": {
        "name": "Cumberland Family Practice",
        "address_line1": "730 Cool Springs Blvd",
        "city": "Franklin",
        "state": "TN",
        "zip_code": "37067",
        "phone": "(615) 555-0150",
        "fax": "(615) 555-0151",
        "time_zone": "America/Chicago",
        "practitioners": ["PARK", "ROMERO"],
    },
}

ALL = ["CT", "CTA", "MRI", "MRA", "PET", "NM", "ECHO"]
# What each demo site performs (NPPES does not say): alternatives to a hospital outpatient site
# are the freestanding ones nearby that do the study.
SITE_MODALITIES = {
    "CAMELBACK IMAGING CENTER": ["CT", "CTA", "MRI", "MRA", "PET", "NM"],
    "VALLEY OPEN MRI": ["MRI", "MRA"],
    "SONORAN DIAGNOSTIC IMAGING": ["CT", "CTA", "MRI", "MRA"],
    "DESERT HEART NUCLEAR CARDIOLOGY": ["PET", "NM", "ECHO"],
    "ST. AGNES MEDICAL CENTER OUTPATIENT IMAGING": ALL,
    "PIMA REGIONAL HOSPITAL RADIOLOGY": ALL,
    "TEMPE FAMILY PHYSICIANS": ["ECHO"],
    "MESA ORTHOPEDIC AND SPINE GROUP": ["MRI"],
    "BUCKEYE MULTISPECIALTY GROUP": ["ECHO"],
    "FRANKLIN INTERNAL MEDICINE": ["ECHO"],
    "MAGIC CITY IMAGING": ["CT", "CTA", "MRI", "MRA", "PET"],
    "SOUTHSIDE RADIOLOGY ASSOCIATES": ["CT", "MRI"],
    "ROCKET CITY MRI & CT": ["CT", "CTA", "MRI", "MRA"],
    "VULCAN MEDICAL CENTER OUTPATIENT IMAGING": ALL,
    "MONTGOMERY BAPTIST HOSPITAL IMAGING": ALL,
    "HUNTSVILLE REGIONAL HOSPITAL RADIOLOGY": ALL,
    "CAPITAL CITY IMAGING": ["CT", "CTA", "MRI", "MRA", "PET", "NM"],
    "MIAMI VALLEY OPEN MRI": ["MRI", "MRA"],
    "QUEEN CITY DIAGNOSTIC CENTER": ["CT", "MRI", "NM"],
    "RIVERSIDE GENERAL HOSPITAL OUTPATIENT RADIOLOGY": ALL,
    "DAYTON HEART CENTER": ["CTA", "NM", "ECHO"],
    "COOL SPRINGS IMAGING": ["CT", "CTA", "MRI", "MRA"],
    "MUSIC CITY RADIOLOGY": ["CT", "MRI", "PET"],
    "HARPETH MEDICAL CENTER OUTPATIENT IMAGING": ALL,
}

USERS = [
    # username, first, last, role, office key or facility name
    ("office.admin", "Dana", "Whitfield", Role.OFFICE_ADMIN, "desert-sky"),
    ("office.staff", "Luis", "Ortega", Role.OFFICE_STAFF, "desert-sky"),
    ("other.admin", "Beth", "Carraway", Role.OFFICE_ADMIN, "cumberland"),
    ("nurse", "Renee", "Holloway", Role.NURSE, None),
    ("physician", "Arjun", "Mehta", Role.PHYSICIAN, None),
    # A second physician: a reconsideration is decided by one who did not deny.
    ("physician2", "Lena", "Brooks", Role.PHYSICIAN, None),
    ("facility", "Tom", "Becker", Role.FACILITY, "CAMELBACK IMAGING CENTER"),
    ("planadmin", "Alex", "Morgan", Role.PLAN_ADMIN, None),
]


class Command(BaseCommand):
    help = (
        "Load code sets, the demo directory, plans and members, offices and one user per role. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        call_command("load_codesets", icd_if_empty=True, stdout=self.stdout)
        call_command("load_pathways", stdout=self.stdout)
        call_command("import_nppes", str(DIRECTORY_CSV), verbosity=0, stdout=self.stdout)
        with transaction.atomic():
            self._site_modalities()
            offices = {key: self._office(spec) for key, spec in OFFICES.items()}
            for username, first, last, role, where in USERS:
                self._user(username, first, last, role, where, offices)
        counts = seed_payers_demo()
        self.stdout.write(
            f"Payers: {counts['plans']} health plans, {counts['benefit_plans']} benefit plans, "
            f"{counts['members']} members, {counts['code_rules']} code rules."
        )
        with transaction.atomic():
            made = seed_review_demo()
        self.stdout.write(f"Review: {made} demo cases in the queue and decided.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is loaded. Demo logins (password for all: {DEMO_PASSWORD}):"
            )
        )
        for username, _first, _last, role, where in USERS:
            place = OFFICES[where]["name"] if where in OFFICES else (where or "").title()
            self.stdout.write(f"  {username:<14} {role.label}{' · ' + place if place else ''}")

    def _site_modalities(self) -> None:
        # Only where none is set: what an administrator entered since is kept.
        for name, modalities in SITE_MODALITIES.items():
            DirectoryProvider.objects.filter(organization_name__iexact=name, modalities=[]).update(
                modalities=modalities
            )

    def _office(self, spec: dict) -> Office:
        spec = dict(spec)
        surnames = spec.pop("practitioners")
        office, _ = Office.objects.get_or_create(name=spec["name"], defaults=spec)
        for surname in surnames:
            provider = DirectoryProvider.objects.filter(last_name__iexact=surname).first()
            if provider:
                OfficePractitioner.objects.get_or_create(office=office, provider=provider)
        return office

    def _user(self, username, first, last, role, where, offices) -> None:
        if User.objects.filter(username__iexact=username).exists():
            return  # keep whatever the demo user changed (password included)
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.example.org",
            role=role,
            email_confirmed_at=timezone.now(),
            phone="(602) 555-0100",
        )
        if where in offices:
            user.office = offices[where]
        elif where:
            user.facility = DirectoryProvider.objects.get(organization_name__iexact=where)
        user.set_password(DEMO_PASSWORD)
        user.save()
