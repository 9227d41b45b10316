"""Demo cases for the reviewers' working day (seed_demo): built the way the portal builds them
(case_submit, then the review services), so the timeline, notices and decisions are real.

Run again, it adds nothing: the cases are found by their contact note.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.models import Case, CaseStatus, Draft, Urgency
from cases.services import Submission, case_submit
from clinical.models import DiagnosisCode, ProcedureCode, Program
from payers.models import DenialReason, Member
from portal.models import DirectoryProvider, Office, User
from review import services as review

MARK = "Demo case"  # in the contact name: how a later run finds them

DENIAL_REASONS = [
    (
        "The records do not show the conservative treatment the guideline asks for before this "
        "imaging (for example six weeks of physical therapy or medication).",
        "Imaging of the spine: conservative management first",
    ),
    (
        "The records do not show new or changed symptoms or findings since the last imaging of "
        "this area.",
        "Repeat imaging",
    ),
    (
        "The information sent does not show findings whose treatment this study would change.",
        "Appropriateness of advanced imaging",
    ),
    (
        "A hospital outpatient department is not medically necessary for this study: a "
        "freestanding imaging center can perform it safely.",
        "Clinical site of care for advanced imaging",
    ),
]

ACUTE_BACK = {
    "cancer": "false",
    "symptoms": "back_only",
    "red_flags": ["none"],
    "xray_done": "false",
    "prior_surgery": "false",
    "conservative_weeks": "2",
    "symptoms_persist": "true",
    "intervention_candidate": "false",
}

# member ID, CPT, diagnosis, urgency, answers, what happens next, hours the decision is due in
CASES = [
    ("SAG100200301", "72148", "M54.50", Urgency.URGENT, ACUTE_BACK, "pend", 5),
    ("M2K100200300", "70553", "G43.909", Urgency.STANDARD, {}, "pend", -3),
    ("YHA300400500", "74177", "R10.9", Urgency.STANDARD, {}, "pend", 30),
    ("BCH700800900", "70450", "R51.9", Urgency.STANDARD, {}, "pend", 2),
    ("SAG100200301", "73221", "M25.511", Urgency.STANDARD, {}, "hold", None),
    ("M2K100200300", "78452", "R07.9", Urgency.STANDARD, {}, "physician", 20),
    ("YHA300400500", "71250", "R91.1", Urgency.STANDARD, {}, "denied", None),
]


def seed_review_demo() -> int:
    """The demo's open and decided cases; returns how many were made this time."""
    for text, guideline in DENIAL_REASONS:
        DenialReason.objects.get_or_create(text=text, defaults={"guideline": guideline})
    _p2p_times()
    office = Office.objects.get(name="Desert Sky Family Medicine")
    if Case.objects.filter(office=office, contact_name__startswith=MARK).exists():
        return 0
    staff = User.objects.get(username="office.staff")
    nurse = User.objects.get(username="nurse")
    physician = User.objects.get(username="physician")
    practitioner = office.practitioners.select_related("provider").first().provider
    site = DirectoryProvider.objects.get(organization_name__iexact="Camelback Imaging Center")
    program = Program.objects.filter(is_active=True).order_by("pk").first()
    made = 0
    for n, (member_id, cpt, icd, urgency, answers, then, due_hours) in enumerate(CASES, 1):
        member = Member.objects.filter(member_id=member_id).first()
        procedure = ProcedureCode.objects.filter(code=cpt).first()
        diagnosis = DiagnosisCode.objects.filter(code=icd).first()
        if member is None or procedure is None or diagnosis is None:
            continue  # a code set not loaded: skip this one rather than stop the demo
        case = _submit(
            office,
            staff,
            program,
            practitioner,
            site,
            member,
            procedure,
            diagnosis,
            urgency=urgency,
            answers=answers,
        )
        if case.status != CaseStatus.IN_REVIEW:
            continue
        made += 1
        _then(case, then, nurse=nurse, physician=physician, n=n)
        if due_hours is not None:
            Case.objects.filter(pk=case.pk).update(
                review_due_at=timezone.now() + timedelta(hours=due_hours)
            )
    return made


def _p2p_times() -> None:
    """The physicians' peer-to-peer times on the next three business days (a later run adds
    the days that came since; a time already there is kept)."""
    from portal.lib.dates import add_business_days

    today = timezone.localdate()
    for n, username in enumerate(("physician", "physician2")):
        doctor = User.objects.filter(username=username).first()
        if doctor is None:
            continue
        for day in range(1, 4):
            on = add_business_days(today, day)
            start = timezone.make_aware(datetime.combine(on, time(9 + 4 * n, 0)))
            review.p2p_slots_publish(physician=doctor, starts_at=start, minutes=15, count=6)


def _submit(
    office, staff, program, practitioner, site, member, procedure, diagnosis, *, urgency, answers
) -> Case:
    draft = Draft.objects.create(
        office=office, created_by=staff, expires_at=timezone.now() + timedelta(days=2)
    )
    return case_submit(
        draft=draft,
        user=staff,
        submission=Submission(
            member=member,
            program=program,
            ordering_provider=practitioner,
            provider_address=f"{office.address_line1}, {office.city}, {office.state}",
            contact={
                "name": f"{MARK}: Luis Ortega",
                "phone": office.phone,
                "fax": office.fax,
                "email": "office.staff@demo.example.org",
            },
            procedure=procedure,
            quantity=1,
            laterality="left" if procedure.laterality_required else "",
            primary_diagnosis=diagnosis,
            secondary_diagnosis=None,
            site=site,
            site_email="",
            place_of_service="freestanding",
            site_of_care_reason="",
            performed_already=False,
            date_of_service=None,
            urgency=urgency,
            raw_answers=answers,
            notes="",
        ),
    )


def _then(case: Case, then: str, *, nurse: User, physician: User, n: int) -> None:
    if then == "hold":
        review.case_claim(case=case, reviewer=nurse)
        review.case_request_info(
            case=case,
            reviewer=nurse,
            expected=CaseStatus.IN_REVIEW,
            items=[
                "Office notes of the visit where the shoulder was examined",
                "Report of the shoulder x-rays, with their date",
            ],
        )
    elif then == "physician":
        review.case_claim(case=case, reviewer=nurse)
        review.case_escalate(
            case=case,
            reviewer=nurse,
            expected=CaseStatus.IN_REVIEW,
            note="Chest pain with a normal stress ECG last year: is perfusion imaging indicated?",
        )
    elif then == "denied":
        review.case_claim(case=case, reviewer=physician)
        review.case_deny(
            case=case,
            reviewer=physician,
            expected=CaseStatus.IN_REVIEW,
            reason=DenialReason.objects.order_by("pk")[1],
            explanation="A chest CT six weeks ago showed the same nodule; nothing has changed.",
        )
