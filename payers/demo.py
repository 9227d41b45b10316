"""Demo payer data modelled on the reference documents (synthetic plans and members).

- Saguaro Blue Cross Blue Shield (AZ) follows reference/002: commercial and Medicare Advantage
  (prefixes M2K, M2V, M3P; MA managed for dates of service from 06/01/2020), 45-day validity,
  any provider may request; FEP, BlueCard, TPA and PCP-coordinated HMO members are not managed.
- Yellowhammer Blue Cross (AL) follows reference/000 and 003: referring providers only,
  CT/MRI/PET only, 30-day validity, retro within 2 business days, hospital site-of-care review.
- Buckeye Community Health Plan (OH) follows reference/004: Medicaid and dual, ordering physician
  only, out-of-network notice, 60-day validity; echo codes join its list on 01/01/2027.
"""

import random
from datetime import date

from django.db import transaction

from clinical.models import ProcedureCode, Program
from payers.models import (
    BenefitPlan,
    CodeRule,
    HealthPlan,
    LineOfBusiness,
    Member,
    NetworkParticipation,
    PlanPolicy,
    PlanProgram,
)
from portal.lib import refcache
from portal.models import DirectoryProvider

LOB = LineOfBusiness

ID_CARD = "Follow the precertification instructions on the back of the member's ID card."

PLANS = [
    {
        "name": "Saguaro Blue Cross Blue Shield",
        "short_name": "Saguaro BCBS",
        "state": "AZ",
        "member_services_phone": "(602) 555-0300",
        "provider_services_phone": "(602) 555-0301",
        "benefit_plans": [
            ("PPO Choice", LOB.COMMERCIAL, "SAG", "Arizona", True, ""),
            ("HMO Select", LOB.COMMERCIAL, "SAH", "Maricopa and Pima counties", True, ""),
            (
                "PCP Coordinated Care HMO",
                LOB.COMMERCIAL,
                "PCC",
                "Maricopa County",
                False,
                "PCP Coordinated Care HMO members are managed by the plan itself. " + ID_CARD,
            ),
            (
                "Employer group (TPA administered)",
                LOB.COMMERCIAL,
                "TPA",
                "",
                False,
                "TPA-administered employer groups are not managed by this program. " + ID_CARD,
            ),
            (
                "Blue Medicare Advantage Classic (HMO)",
                LOB.MEDICARE_ADVANTAGE,
                "M2K",
                "Maricopa County and parts of Pinal County",
                True,
                "",
            ),
            (
                "BluePathway Plan 2 (HMO)",
                LOB.MEDICARE_ADVANTAGE,
                "M2V",
                "Maricopa County",
                True,
                "",
            ),
            (
                "BlueJourney (PPO)",
                LOB.MEDICARE_ADVANTAGE,
                "M3P",
                "Maricopa and Pima counties",
                True,
                "",
            ),
            (
                "Federal Employee Program",
                LOB.FEP,
                "R",
                "",
                False,
                "Federal Employee Program (FEP) members are not managed by this program. "
                + ID_CARD,
            ),
            (
                "BlueCard (out of area)",
                LOB.BLUECARD,
                "XBC",
                "",
                False,
                "BlueCard (out-of-area) members follow their home plan's rules. " + ID_CARD,
            ),
        ],
        "programs": [("", date(2015, 1, 1)), (LOB.MEDICARE_ADVANTAGE, date(2020, 6, 1))],
        "modalities": {"CT", "CTA", "MRI", "MRA", "PET", "NM"},
        "policies": {
            "": {
                "validity_days": 45,
                "urgent_turnaround_hours": 24,
                "retro_window": 30,
                "retro_window_unit": PlanPolicy.RetroUnit.CALENDAR_DAYS,
                "requester": PlanPolicy.Requester.ANY_PROVIDER,
            },
            LOB.MEDICARE_ADVANTAGE: {
                "validity_days": 45,
                "urgent_turnaround_hours": 72,
                "retro_window": 30,
                "retro_window_unit": PlanPolicy.RetroUnit.CALENDAR_DAYS,
                "requester": PlanPolicy.Requester.ANY_PROVIDER,
                "reconsideration_allowed": False,
                "p2p_consultative_only": True,
            },
        },
        "out_of_network": ["PIMA REGIONAL HOSPITAL RADIOLOGY", "HUGHES"],
    },
    {
        "name": "Yellowhammer Blue Cross",
        "short_name": "Yellowhammer",
        "state": "AL",
        "member_services_phone": "(205) 555-0400",
        "provider_services_phone": "(205) 555-0401",
        "benefit_plans": [
            ("Blue Advantage PPO", LOB.COMMERCIAL, "YHA", "Alabama", True, ""),
            ("Preferred Care PPO", LOB.COMMERCIAL, "YHP", "Alabama", True, ""),
            (
                "Federal Employee Program",
                LOB.FEP,
                "R",
                "",
                False,
                "Federal Employee Program (FEP) members are not managed by this program. "
                + ID_CARD,
            ),
            (
                "BlueCard (out of area)",
                LOB.BLUECARD,
                "XYH",
                "",
                False,
                "BlueCard (out-of-area) members follow their home plan's rules. " + ID_CARD,
            ),
        ],
        "programs": [("", date(2012, 1, 1))],
        "modalities": {"CT", "CTA", "MRI", "MRA", "PET"},
        "policies": {
            "": {
                "validity_days": 30,
                "urgent_turnaround_hours": 72,
                "retro_window": 2,
                "retro_window_unit": PlanPolicy.RetroUnit.BUSINESS_DAYS,
                "requester": PlanPolicy.Requester.ORDERING_ONLY,
                "requester_exceptions": "A rendering facility may request when the ordering "
                "physician is unavailable and the study is needed the same day; a radiologist "
                "may request a change of modality recommended after review.",
                "hospital_outpatient_site_review": True,
                "reconsideration_window_days": 10,
            },
        },
        "out_of_network": ["HUNTSVILLE REGIONAL HOSPITAL RADIOLOGY"],
    },
    {
        "name": "Buckeye Community Health Plan",
        "short_name": "Buckeye",
        "state": "OH",
        "member_services_phone": "(614) 555-0500",
        "provider_services_phone": "(614) 555-0501",
        "benefit_plans": [
            ("Buckeye Medicaid", LOB.MEDICAID, "BCH", "Ohio", True, ""),
            (
                "Buckeye MyCare (Medicare-Medicaid)",
                LOB.DUAL,
                "BCD",
                "Central and southwest Ohio",
                True,
                "",
            ),
        ],
        "programs": [("", date(2019, 1, 1))],
        "modalities": {"CT", "CTA", "MRI", "MRA", "PET", "NM"},
        "policies": {
            "": {
                "validity_days": 60,
                "urgent_turnaround_hours": 72,
                "retro_window": 2,
                "retro_window_unit": PlanPolicy.RetroUnit.BUSINESS_DAYS,
                "requester": PlanPolicy.Requester.ORDERING_ONLY,
                "out_of_network_notice": "Prior authorization must be obtained before sending "
                "a patient to a non-participating provider, except for emergency and "
                "post-stabilization services.",
                "reconsideration_allowed": False,
                "appeal_window_days": 60,
            },
        },
        "out_of_network": ["MIAMI VALLEY OPEN MRI"],
        "future_echo": date(2027, 1, 1),
    },
]

# Members named in the README, for trying the eligibility lookup by hand.
NAMED_MEMBERS = [
    # plan, benefit plan prefix, member ID, first, last, dob, sex, coverage start, end
    (
        "Saguaro Blue Cross Blue Shield",
        "SAG",
        "SAG100200301",
        "Olivia",
        "Marsh",
        date(1971, 3, 14),
        "F",
        date(2020, 1, 1),
        None,
    ),
    (
        "Saguaro Blue Cross Blue Shield",
        "R",
        "R10020030",
        "Henry",
        "Caldwell",
        date(1965, 7, 22),
        "M",
        date(2018, 1, 1),
        None,
    ),
    (
        "Saguaro Blue Cross Blue Shield",
        "SAG",
        "SAG100200399",
        "Nadia",
        "Ferris",
        date(1980, 11, 2),
        "F",
        date(2019, 1, 1),
        date(2025, 12, 31),
    ),
    (
        "Saguaro Blue Cross Blue Shield",
        "M2K",
        "M2K100200300",
        "Walter",
        "Benson",
        date(1950, 5, 5),
        "M",
        date(2016, 1, 1),
        None,
    ),
    (
        "Saguaro Blue Cross Blue Shield",
        "XBC",
        "XBC900100200",
        "Grace",
        "Lindell",
        date(1988, 9, 9),
        "F",
        date(2021, 1, 1),
        None,
    ),
    (
        "Yellowhammer Blue Cross",
        "YHA",
        "YHA300400500",
        "Samuel",
        "Pruitt",
        date(1979, 2, 28),
        "M",
        date(2022, 1, 1),
        None,
    ),
    (
        "Buckeye Community Health Plan",
        "BCH",
        "BCH700800900",
        "Keisha",
        "Dawson",
        date(2012, 6, 18),
        "F",
        date(2023, 7, 1),
        None,
    ),
    (
        "Buckeye Community Health Plan",
        "BCD",
        "BCD700800901",
        "Frank",
        "Orsini",
        date(1956, 4, 1),
        "M",
        date(2021, 1, 1),
        None,
    ),
]

FIRST = [
    "Ava",
    "Liam",
    "Mia",
    "Noah",
    "Zoe",
    "Eli",
    "Ivy",
    "Owen",
    "Ruby",
    "Leo",
    "Nora",
    "Caleb",
    "Jade",
    "Miles",
    "Ella",
    "Isaac",
    "Lucy",
    "Ezra",
    "Hazel",
    "Jonah",
]
LAST = [
    "Abbott",
    "Barlow",
    "Cortez",
    "Dunn",
    "Ellison",
    "Frey",
    "Gaines",
    "Holt",
    "Irwin",
    "Joyner",
    "Kemp",
    "Lowry",
    "Mercer",
    "Nash",
    "Ochoa",
    "Pratt",
    "Quinn",
    "Rios",
    "Sutter",
    "Tate",
]


@transaction.atomic
def seed_payers_demo() -> dict[str, int]:
    program = Program.objects.get(code="radiology-cardiology")
    rnd = random.Random(7)  # noqa: S311 - reproducible demo data, not security
    for spec in PLANS:
        plan, _ = HealthPlan.objects.update_or_create(
            name=spec["name"],
            defaults={
                k: spec[k]
                for k in ("short_name", "state", "member_services_phone", "provider_services_phone")
            },
        )
        for name, lob, prefix, area, managed, reason in spec["benefit_plans"]:
            BenefitPlan.objects.update_or_create(
                health_plan=plan,
                name=name,
                defaults={
                    "line_of_business": lob,
                    "member_id_prefix": prefix,
                    "service_area": area,
                    "managed": managed,
                    "not_managed_reason": reason,
                },
            )
        for lob, start in spec["programs"]:
            PlanProgram.objects.get_or_create(
                health_plan=plan, program=program, line_of_business=lob, effective_date=start
            )
        for lob, values in spec["policies"].items():
            PlanPolicy.objects.update_or_create(
                health_plan=plan, line_of_business=lob, defaults=values
            )
        _code_rules(plan, program, spec)
        _network(plan, spec)
        _members(plan, spec, rnd)
    return {
        "plans": HealthPlan.objects.count(),
        "benefit_plans": BenefitPlan.objects.count(),
        "members": Member.objects.count(),
        "code_rules": CodeRule.objects.count(),
    }


def _code_rules(plan, program, spec) -> None:
    start = min(s for _, s in spec["programs"])
    codes = ProcedureCode.objects.filter(modality__in=spec["modalities"], is_active=True)
    existing = set(
        CodeRule.objects.filter(health_plan=plan).values_list(
            "procedure_code_id", "line_of_business", "effective_date"
        )
    )
    new = [
        CodeRule(health_plan=plan, program=program, procedure_code=code, effective_date=start)
        for code in codes
        if (code.pk, "", start) not in existing
    ]
    if spec.get("future_echo"):
        new += [
            CodeRule(
                health_plan=plan,
                program=program,
                procedure_code=code,
                effective_date=spec["future_echo"],
                note="Echo joins the list in 2027",
            )
            for code in ProcedureCode.objects.filter(modality="ECHO", is_active=True)
            if (code.pk, "", spec["future_echo"]) not in existing
        ]
    CodeRule.objects.bulk_create(new)
    refcache.changed()  # a bulk write sends no signals


def _network(plan, spec) -> None:
    out = {name.upper() for name in spec["out_of_network"]}
    providers = DirectoryProvider.objects.filter(state=plan.state)
    for provider in providers:
        key = (provider.organization_name or provider.last_name).upper()
        if key in out:
            continue
        NetworkParticipation.objects.get_or_create(
            health_plan=plan, provider=provider, defaults={"effective_date": date(2015, 1, 1)}
        )


def _members(plan, spec, rnd: random.Random) -> None:
    benefit_plans = {bp.member_id_prefix: bp for bp in plan.benefit_plans.all()}
    for plan_name, prefix, member_id, first, last, dob, sex, start, end in NAMED_MEMBERS:
        if plan_name == plan.name:
            _member(benefit_plans[prefix], member_id, first, last, dob, sex, start, end)
    # A spread of generated members: mostly eligible, some terminated, some not yet covered.
    for n, bp in enumerate(sorted(benefit_plans.values(), key=lambda b: b.name)):
        for k in range(4):
            seq = 500000 + n * 10 + k
            member_id = f"{bp.member_id_prefix}{seq:08d}"
            senior = bp.line_of_business in (LOB.MEDICARE_ADVANTAGE, LOB.DUAL)
            age = rnd.randint(66, 90) if senior else rnd.randint(2, 64)
            dob = date(2026 - age, rnd.randint(1, 12), rnd.randint(1, 28))
            start = date(rnd.randint(2016, 2024), 1, 1)
            end = None
            if k == 3:
                end = date(2025, 6, 30)  # terminated
            elif k == 2 and n % 3 == 0:
                start = date(2027, 1, 1)  # coverage not started yet
            _member(
                bp,
                member_id,
                rnd.choice(FIRST),
                rnd.choice(LAST),
                dob,
                rnd.choice("FM"),
                start,
                end,
            )


def _member(bp, member_id, first, last, dob, sex, start, end) -> None:
    Member.objects.update_or_create(
        health_plan=bp.health_plan,
        member_id=member_id,
        defaults={
            "benefit_plan": bp,
            "first_name": first,
            "last_name": last,
            "date_of_birth": dob,
            "sex": sex,
            "coverage_start": start,
            "coverage_end": end,
            "phone": "(602) 555-0199",
        },
    )
