"""Writes for cases: drafts, submission with the immediate determination."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import (
    Attachment,
    Case,
    CaseProcedure,
    CaseStatus,
    Decision,
    Draft,
    Requester,
    Urgency,
)
from cases.transitions import case_opened
from clinical.engine import CaseFacts, Outcome, evaluate
from clinical.models import DiagnosisCode, ProcedureCode, Program
from clinical.selectors import compiled_pathway, pathway_version_for
from payers.eligibility import Answer
from payers.models import HealthPlan, Member, PlanPolicy
from payers.selectors import eligibility_for_procedure, in_network_ids, plan_policy, retro_limit
from portal.lib.dates import add_business_days, end_of_day
from portal.models import AccessLog, DirectoryProvider, User
from portal.services import access_log_record

DRAFT_LIFETIME_BUSINESS_DAYS = 2
EXPIRED_DRAFT_KEPT_DAYS = 30  # "Requests In Progress" says why a draft expired, this long


def draft_expiry(created: date) -> datetime:
    """Drafts not submitted within two business days expire at the end of the second one."""
    return end_of_day(add_business_days(created, DRAFT_LIFETIME_BUSINESS_DAYS))


def draft_create(*, user: User, provider_initial: dict | None = None) -> Draft:
    """A new draft; `provider_initial` prefills the first page (reusing an earlier case)."""
    return Draft.objects.create(
        office=user.office,
        created_by=user,
        state={"data": {}, "raw": {}, "locked": False, "initial": provider_initial or {}},
        expires_at=draft_expiry(timezone.localdate()),
    )


def draft_save(*, draft: Draft, fields: list[str]) -> None:
    draft.save(update_fields=[*fields, "modified"])


def draft_is_expired(draft: Draft, *, now: datetime | None = None) -> bool:
    """Past its two business days, whether or not the periodic job has marked it yet."""
    return draft.expired_at is not None or draft.expires_at <= (now or timezone.now())


def drafts_expire_due(*, office_id: int | None = None, now: datetime | None = None) -> int:
    """Mark drafts past their limit as expired and discard their uploads (patient documents that
    will never reach a case). One conditional UPDATE: run twice, or twice at once, each draft
    expires once."""
    now = now or timezone.now()
    due = Draft.objects.filter(
        expired_at__isnull=True, submitted_case__isnull=True, expires_at__lte=now
    )
    if office_id is not None:
        due = due.filter(office_id=office_id)
    count = due.update(expired_at=now)
    attachments = Attachment.objects.filter(
        case__isnull=True, draft__expired_at__isnull=False, draft__submitted_case__isnull=True
    )
    if office_id is not None:
        attachments = attachments.filter(draft__office_id=office_id)
    attachments.delete()  # their files go after the commit (cases.signals)
    # An expired draft is shown (with why) for a while, then goes: it holds patient data. One
    # nobody typed anything into (a "Start a new request" click, a prefetched link) goes at once.
    stale = Draft.objects.filter(submitted_case__isnull=True, expired_at__isnull=False).filter(
        Q(expired_at__lt=now - timedelta(days=EXPIRED_DRAFT_KEPT_DAYS)) | Q(state__raw={})
    )
    if office_id is not None:
        stale = stale.filter(office_id=office_id)
    stale.delete()
    return count


def draft_discard(*, draft: Draft) -> bool:
    """Cancel a request: the draft and its uploads, files included. False if it was submitted
    meanwhile (its documents are the case's now: nothing is deleted)."""
    with transaction.atomic():
        locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None or locked.submitted_case_id is not None:
            return False
        locked.attachments.filter(case__isnull=True).delete()
        locked.delete()
    return True


class SubmissionRefused(Exception):  # noqa: N818 (a refusal the user is told about, not a bug)
    """The request can't be submitted as it stands; `message` says why, for the user."""

    def __init__(self, message: str, *, expired: bool = False, needs_clinical: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired
        self.needs_clinical = needs_clinical  # "no authorization required" no longer holds


EXPIRED_MESSAGE = "This request expired: it was not submitted within two business days."


def requester_refusal(*, policy: PlanPolicy, requester: str, plan: HealthPlan) -> str:
    """Why this plan takes no request from this requester (empty when it does)."""
    if requester != Requester.OTHER or policy.requester != PlanPolicy.Requester.ORDERING_ONLY:
        return ""
    whose = (
        f" for its {policy.get_line_of_business_display()} members"
        if policy.line_of_business
        else ""
    )
    exceptions = (
        f" Exceptions: {policy.requester_exceptions}" if policy.requester_exceptions else ""
    )
    return f"{plan.name} accepts requests{whose} from the ordering provider only.{exceptions}"


def retro_refusal(*, dos: date, policy: PlanPolicy, plan: HealthPlan, today: date) -> str:
    """Why a retrospective request for that date of service is no longer taken (or empty)."""
    limit = retro_limit(dos, policy)
    if today <= limit:
        return ""
    return (
        f"{plan.name} takes retrospective requests within {policy.retro_window} "
        f"{policy.get_retro_window_unit_display()} of the date of service: for this one the "
        f"window closed on {limit:%m/%d/%Y}. Please follow the plan's post-service (claim) "
        "review instructions instead."
    )


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _new_number(prefix: str = "") -> str:
    return prefix + str(secrets.randbelow(900_000_000) + 100_000_000)


def authorization_number_new() -> str:
    """A free authorization number for a case approved after review."""
    while True:
        number = _new_number("A")
        if not Case.objects.filter(authorization_number=number).exists():
            return number


@dataclass(frozen=True)
class Determination:
    status: str
    reasons: list[str]
    pathway_version_id: int | None
    answers: dict


def determine(
    *,
    member: Member,
    procedure: ProcedureCode,
    on_date: date,
    setting: str,
    diagnoses: tuple[str, ...],
    raw_answers: dict,
    health_plan_id: int,
    policy: PlanPolicy | None = None,
) -> Determination:
    """Eligibility first (not required?), then the pathway: meets criteria → approved at once."""
    eligibility = eligibility_for_procedure(
        member=member, procedure=procedure, on_date=on_date, setting=setting, policy=policy
    )
    if eligibility.answer == Answer.NOT_REQUIRED:
        return Determination(CaseStatus.NOT_REQUIRED, [eligibility.reason], None, {})
    if eligibility.answer != Answer.REQUIRED:  # coverage ended, or the plan stopped managing it
        raise SubmissionRefused(f"{eligibility.label}: {eligibility.reason}")
    version = pathway_version_for(
        procedure_code=procedure.code,
        on_date=on_date,
        age=age_on(member.date_of_birth, on_date),
        health_plan_id=health_plan_id,
    )
    if version is None:
        return Determination(
            CaseStatus.IN_REVIEW,
            ["No clinical pathway covers this procedure: clinical review."],
            None,
            {},
        )
    facts = CaseFacts(
        age=age_on(member.date_of_birth, on_date),
        sex=member.sex,
        diagnoses=diagnoses,
        procedure=procedure.code,
        as_of=on_date,  # the prior study's interval counts to the date of service, not today
    )
    result = evaluate(compiled_pathway(version), raw_answers, facts)
    answers = {link: _stored_answer(value) for link, value in result.answers.items()}
    status = (
        CaseStatus.APPROVED if result.outcome == Outcome.MEETS_CRITERIA else CaseStatus.IN_REVIEW
    )
    return Determination(status, list(result.reasons), version.pk, answers)


def _needs_a_reviewer(
    decision: Determination, *, submission: "Submission", policy
) -> Determination:
    """What the pathway alone cannot approve goes to a nurse (reference/003): a request the
    office confirmed is not a duplicate of one on file, and a hospital outpatient site where the
    plan reviews the site of care for this modality (both the study and the site must meet
    their criteria)."""
    if decision.status != CaseStatus.APPROVED:
        return decision
    why = []
    if submission.duplicate_of is not None:
        why.append(
            f"Possible duplicate of case {submission.duplicate_of.case_number}: the office "
            "confirmed it is a new request; a nurse verifies it."
        )
    hospital = submission.site.site_type == DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT
    if hospital and policy.reviews_site_of_care(submission.procedure.modality):
        why.append(
            "Site-of-care review: a hospital outpatient site was chosen "
            f"({submission.site_of_care_reason or 'no reason given'})."
        )
    if not why:
        return decision
    return Determination(
        CaseStatus.IN_REVIEW,
        [*why, *decision.reasons],
        decision.pathway_version_id,
        decision.answers,
    )


def _stored_answer(value):
    """A parsed answer as JSON keeps it: lists for several choices, booleans, text otherwise."""
    if isinstance(value, tuple):
        return list(value)
    return value if isinstance(value, bool) else str(value)


URGENT_CAP_HOURS = 72


def review_due(*, submitted, urgency: str, policy: PlanPolicy):
    """Urgent: the plan's hours. Standard: N business days, never beyond the calendar cap."""
    if urgency == Urgency.URGENT:  # the federal limit from 2026 caps what a plan may set
        return submitted + timedelta(hours=min(policy.urgent_turnaround_hours, URGENT_CAP_HOURS))
    local = timezone.localtime(submitted).date()
    by_business_days = end_of_day(
        add_business_days(local, policy.standard_turnaround_business_days)
    )
    cap = submitted + timedelta(days=policy.standard_max_calendar_days)
    return min(by_business_days, cap)


@dataclass(frozen=True)
class Submission:
    member: Member
    program: Program
    ordering_provider: DirectoryProvider
    provider_address: str
    contact: dict
    procedure: ProcedureCode
    quantity: int
    laterality: str
    primary_diagnosis: DiagnosisCode
    secondary_diagnosis: DiagnosisCode | None
    site: DirectoryProvider
    site_email: str
    place_of_service: str
    site_of_care_reason: str
    performed_already: bool
    date_of_service: date | None
    urgency: str
    raw_answers: dict
    notes: str
    duplicate_of: Case | None = None
    requester: str = Requester.ORDERING
    attested: bool = True  # a "no authorization required" case asks no attestation


def authorization_expires(
    *, decided_on: date, date_of_service: date | None, performed_already: bool, validity_days: int
) -> date:
    """The last day an approval holds. Validity counts from the date of service for a procedure
    already performed (a retrospective approval covers the day it was done, not the weeks after
    the decision); otherwise from the day of the decision."""
    start = date_of_service if performed_already and date_of_service else decided_on
    return start + timedelta(days=validity_days)


def case_submit(*, draft: Draft, user: User, submission: Submission, request=None) -> Case:
    """Create the case from a draft and determine it at once; a second submit returns that case.

    The rules the wizard applied along the way are applied again here, as they stand now: the
    draft may have expired, the retro window closed, the member's coverage ended. Raises
    SubmissionRefused (nothing written) when one no longer holds."""
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        if locked.submitted_case_id:
            return locked.submitted_case
        s = submission
        now = timezone.now()
        if draft_is_expired(locked, now=now):
            raise SubmissionRefused(EXPIRED_MESSAGE, expired=True)
        on_date = s.date_of_service or timezone.localdate()
        diagnoses = tuple(d.code for d in (s.primary_diagnosis, s.secondary_diagnosis) if d)
        plan = s.member.health_plan
        policy = plan_policy(
            health_plan=plan, line_of_business=s.member.benefit_plan.line_of_business
        )
        refusal = requester_refusal(policy=policy, requester=s.requester, plan=plan)
        if not refusal and s.performed_already and s.date_of_service:
            refusal = retro_refusal(
                dos=s.date_of_service, policy=policy, plan=plan, today=timezone.localdate()
            )
        if refusal:
            raise SubmissionRefused(refusal)
        # Kept on the case as found on the day the rules apply (the page and letters say so).
        networked = in_network_ids(
            health_plan=plan, provider_ids=[s.ordering_provider.pk, s.site.pk], on_date=on_date
        )
        decision = determine(
            member=s.member,
            procedure=s.procedure,
            on_date=on_date,
            setting=s.place_of_service,
            diagnoses=diagnoses,
            raw_answers=s.raw_answers,
            health_plan_id=s.member.health_plan_id,
            policy=policy,
        )
        if not s.attested and decision.status != CaseStatus.NOT_REQUIRED:
            raise SubmissionRefused(
                "This procedure now needs authorization for this member: please answer the "
                "clinical questions and attest.",
                needs_clinical=True,
            )
        decision = _needs_a_reviewer(decision, submission=s, policy=policy)
        member = s.member
        fields = dict(
            status=decision.status,
            office=user.office,
            created_by=user,
            program=s.program,
            ordering_provider=s.ordering_provider,
            provider_address=s.provider_address,
            contact_name=s.contact["name"],
            contact_phone=s.contact["phone"],
            contact_phone_ext=s.contact.get("phone_ext", ""),
            contact_fax=s.contact["fax"],
            contact_cell=s.contact.get("cell", ""),
            contact_email=s.contact.get("email", ""),
            health_plan=member.health_plan,
            member=member,
            member_snapshot={
                "member_id": member.member_id,
                "first_name": member.first_name,
                "last_name": member.last_name,
                "date_of_birth": member.date_of_birth.isoformat(),
                "benefit_plan": member.benefit_plan.name,
                "line_of_business": member.benefit_plan.line_of_business,
            },
            primary_diagnosis=s.primary_diagnosis,
            secondary_diagnosis=s.secondary_diagnosis,
            rendering_site=s.site,
            ordering_in_network=s.ordering_provider.pk in networked,
            site_in_network=s.site.pk in networked,
            site_email=s.site_email,
            place_of_service=s.place_of_service,
            site_of_care_reason=s.site_of_care_reason,
            performed_already=s.performed_already,
            date_of_service=s.date_of_service,
            answered_for=on_date,
            urgency=s.urgency,
            pathway_version_id=decision.pathway_version_id,
            pathway_answers=decision.answers,
            determination_reasons=decision.reasons,
            notes=s.notes,
            attested_by=user if s.attested else None,
            attested_at=now if s.attested else None,
            requester=s.requester,
            duplicate_of=s.duplicate_of,
            submitted_at=now,
            source_draft=locked.token,
        )
        if decision.status in (CaseStatus.APPROVED, CaseStatus.NOT_REQUIRED):
            fields["decided_at"] = now
        if decision.status == CaseStatus.APPROVED:
            fields["expiration_date"] = authorization_expires(
                decided_on=timezone.localdate(),
                date_of_service=s.date_of_service,
                performed_already=s.performed_already,
                validity_days=policy.validity_days,
            )
        if decision.status == CaseStatus.IN_REVIEW:
            fields["review_due_at"] = review_due(submitted=now, urgency=s.urgency, policy=policy)
            fields["clock_started_at"] = now
        case = _create_with_unique_numbers(fields, approved=decision.status == CaseStatus.APPROVED)
        procedure = CaseProcedure.objects.create(
            case=case,
            procedure_code=s.procedure,
            quantity_requested=s.quantity,
            quantity_approved=s.quantity if decision.status == CaseStatus.APPROVED else None,
            laterality=s.laterality,
        )
        _procedures_known(case, [procedure])
        if decision.status in (CaseStatus.APPROVED, CaseStatus.NOT_REQUIRED):
            Decision.objects.create(  # decided by the portal: no reviewer
                case=case,
                outcome=decision.status,
                urgency=s.urgency,
                received_at=now,
                decided_at=now,
                reason="; ".join(decision.reasons)[:2000],
            )
        locked.attachments.update(case=case)
        case_opened(case=case, actor=user, message="; ".join(decision.reasons)[:2000])
        locked.submitted_case = case
        draft_save(draft=locked, fields=["submitted_case"])
        access_log_record(request=request, user=user, obj=case, action=AccessLog.Action.CREATE)
    return case


def _procedures_known(case: Case, procedures: list[CaseProcedure]) -> None:
    """What prefetch_related("procedures") would have read: the submission shows the case it
    just wrote (with its related rows, set on it by create()) without reading it back."""
    known = CaseProcedure.objects.filter(case=case)
    known._result_cache = procedures
    known._prefetch_done = True
    case._prefetched_objects_cache = {"procedures": known}


def _create_with_unique_numbers(fields: dict, *, approved: bool) -> Case:
    for _ in range(5):
        candidate = {**fields, "case_number": _new_number()}
        if approved:
            candidate["authorization_number"] = _new_number("A")
        try:
            with transaction.atomic():
                return Case.objects.create(**candidate)
        except IntegrityError as exc:  # a number already taken (1 in 10^8): draw again
            if "number" not in str(exc):
                raise
    raise RuntimeError("could not draw a free case number")


# --- after submission: the office answers a request for information ----------------------------

ANSWER_MAX_CHARS = 4000


class AnswerRefusedError(Exception):
    """The answer cannot be taken (nothing sent, the hold is closed); the message says why."""


def info_request_answer(*, case: Case, user: User, text: str, files=()) -> list[str]:
    """The office's answer to the open request for information: its documents and text are kept,
    the case returns to the review it was held from, and the standard clock starts again now
    (reference/002: the turnaround counts from receipt of all the information). Returns why any
    file was refused; raises AnswerRefusedError when nothing can be taken."""
    from cases.transitions import case_transition
    from cases.uploads import case_attachments_add

    text = text.strip()
    if not text and not files:
        raise AnswerRefusedError("Add a note or at least one document to answer the request.")
    with transaction.atomic():
        hold = (
            case.info_requests.select_for_update()
            .filter(answered_at__isnull=True, expired_at__isnull=True)
            .first()
        )
        if hold is None or case.status != CaseStatus.INFO_REQUESTED:
            raise AnswerRefusedError("This request for information is closed: nothing was changed.")
        stored, refused = case_attachments_add(case=case, user=user, files=files)
        if not text and not stored:
            raise AnswerRefusedError(" ".join(refused) or "No document could be read.")
        now = timezone.now()
        hold.answered_at, hold.answered_by, hold.answer_text = now, user, text
        hold.save(update_fields=["answered_at", "answered_by", "answer_text", "modified"])
        policy = plan_policy(
            health_plan=case.health_plan,
            line_of_business=case.member_snapshot.get("line_of_business", ""),
        )
        names = ", ".join(a.original_name for a in stored)
        case_transition(
            case=case,
            to=hold.held_from,
            actor=user,
            expected=CaseStatus.INFO_REQUESTED,
            message=text[:2000],
            office_message="Information sent" + (f": {names}" if names else "") + ".",
            changes={
                "clock_started_at": now,
                # Urgent: still due within the hours of the first receipt (reference/003).
                "review_due_at": review_due(
                    submitted=case.submitted_at if case.urgency == Urgency.URGENT else now,
                    urgency=case.urgency,
                    policy=policy,
                ),
            },
        )
    return refused


# --- after a denial: the office asks again; the office withdraws --------------------------------


def reconsideration_deadline(*, case: Case, policy: PlanPolicy) -> date | None:
    """The last day a reconsideration is taken (reference/003: within 10 calendar days of the
    denial), or None when the plan offers none for this line of business."""
    if not policy.reconsideration_allowed or case.decided_at is None:
        return None
    decided = timezone.localdate(case.decided_at)
    return decided + timedelta(days=policy.reconsideration_window_days)


def reconsideration_request(*, case: Case, user: User, text: str, files=()) -> list[str]:
    """The office asks for the denial to be looked at again, with new information; a physician
    other than the one who denied decides. Returns why any file was refused."""
    from cases.transitions import case_transition
    from cases.uploads import case_attachments_add

    text = text.strip()
    policy = plan_policy(
        health_plan=case.health_plan,
        line_of_business=case.member_snapshot.get("line_of_business", ""),
    )
    deadline = reconsideration_deadline(case=case, policy=policy)
    if case.status != CaseStatus.DENIED:
        raise AnswerRefusedError("Only a denied request can be reconsidered.")
    if deadline is None:
        raise AnswerRefusedError(
            "This plan offers no reconsideration for this member's line of business: see the "
            "appeal instructions in the denial letter."
        )
    if timezone.localdate() > deadline:
        raise AnswerRefusedError(
            f"The reconsideration window closed on {deadline:%m/%d/%Y}: an appeal to the plan "
            "is still possible (see the denial letter)."
        )
    if not text:
        raise AnswerRefusedError("Say what is new: the reconsideration needs new information.")
    with transaction.atomic():
        stored, refused = case_attachments_add(case=case, user=user, files=files)
        now = timezone.now()
        case_transition(
            case=case,
            to=CaseStatus.RECONSIDERATION,
            actor=user,
            expected=CaseStatus.DENIED,
            message=text[:2000],
            office_message="Reconsideration requested"
            + (f" with {', '.join(a.original_name for a in stored)}" if stored else "")
            + ".",
            changes={
                "clock_started_at": now,
                "review_due_at": review_due(submitted=now, urgency=case.urgency, policy=policy),
                "assigned_to": None,
                "assigned_at": None,
            },
        )
    return refused


def case_withdraw(*, case: Case, user: User, duplicate: bool = False) -> Case:
    """The office cancels a request still open (reference/003 "Voluntarily Cancelled"), or
    withdraws it as a duplicate of one already submitted ("Voluntarily Withdrawn")."""
    from cases.transitions import TransitionError, case_transition

    try:
        return case_transition(
            case=case,
            to=CaseStatus.DUPLICATE if duplicate else CaseStatus.WITHDRAWN,
            actor=user,
            expected=case.status,
            office_message="Withdrawn by the office"
            + (" as a duplicate of a request already submitted." if duplicate else "."),
            changes={"assigned_to": None, "assigned_at": None},
        )
    except TransitionError as exc:
        raise AnswerRefusedError(" ".join(exc.messages)) from exc


# --- peer-to-peer: offered by plan policy and case state; the office books a published slot -----


@dataclass(frozen=True)
class PeerToPeerOffer:
    offered: bool
    consultative_only: bool
    message: str


def p2p_offer(*, case: Case, policy: PlanPolicy) -> PeerToPeerOffer:
    """Whether a peer-to-peer is offered now, and what it can do (reference/002, /003: offered
    before any adverse determination; after a denial as the line of business allows)."""
    before = {CaseStatus.IN_REVIEW, CaseStatus.MD_REVIEW, CaseStatus.INFO_REQUESTED}
    if case.status in before and policy.p2p_before_decision:
        return PeerToPeerOffer(
            True,
            False,
            "Available: the ordering physician can discuss the request with a physician "
            "reviewer before a decision is made, which may change the outcome.",
        )
    if case.status == CaseStatus.DENIED and policy.p2p_after_decision:
        if policy.p2p_consultative_only:
            return PeerToPeerOffer(
                True,
                True,
                "Consultative only: a conversation with a physician reviewer about the denial "
                "cannot change it for this member's plan; a reconsideration or an appeal can.",
            )
        return PeerToPeerOffer(
            True,
            False,
            "Available: a physician reviewer can discuss the denial with the ordering physician.",
        )
    return PeerToPeerOffer(False, False, "Not available for this request now.")


def p2p_open_slots(*, limit: int = 20):
    from cases.models import PeerToPeerSlot

    return (
        PeerToPeerSlot.objects.filter(case__isnull=True, starts_at__gt=timezone.now())
        .select_related("physician")
        .order_by("starts_at", "pk")[:limit]
    )


def p2p_book(*, case: Case, user: User, slot_id: int, caller_name: str, caller_phone: str):
    """Book a published slot for this case: one conditional UPDATE, so two offices clicking the
    same slot cannot both have it. Raises AnswerRefusedError saying why not."""
    from cases.models import PeerToPeerSlot
    from cases.transitions import case_event_record

    policy = plan_policy(
        health_plan=case.health_plan,
        line_of_business=case.member_snapshot.get("line_of_business", ""),
    )
    offer = p2p_offer(case=case, policy=policy)
    if not offer.offered:
        raise AnswerRefusedError("A peer-to-peer is not available for this request now.")
    now = timezone.now()
    with transaction.atomic():
        already = PeerToPeerSlot.objects.filter(
            case=case, starts_at__gt=now, outcome_at__isnull=True
        ).first()
        if already is not None:
            raise AnswerRefusedError(
                f"A peer-to-peer is already booked for this request on "
                f"{timezone.localtime(already.starts_at):%m/%d/%Y at %I:%M %p}."
            )
        taken = PeerToPeerSlot.objects.filter(
            pk=slot_id, case__isnull=True, starts_at__gt=now
        ).update(
            case=case,
            booked_by=user,
            booked_at=now,
            caller_name=caller_name,
            caller_phone=caller_phone,
            consultative_only=offer.consultative_only,
            modified=now,
        )
        if not taken:
            raise AnswerRefusedError("That time was just booked by someone else: choose another.")
        slot = PeerToPeerSlot.objects.select_related("physician").get(pk=slot_id)
        when = timezone.localtime(slot.starts_at)
        case_event_record(
            case=case,
            actor=user,
            kind="p2p_booked",
            message=f"{caller_name}, {caller_phone}",
            office_message=f"Peer-to-peer booked for {when:%m/%d/%Y at %I:%M %p}"
            + (" (consultative only)." if offer.consultative_only else "."),
        )
    return slot


def appeal_record(*, case: Case, user: User, filed_on: date, note: str = "") -> Case:
    """The office records that it appealed the denial to the plan (the plan decides appeals;
    the portal keeps the date and says where it went)."""
    from cases.transitions import case_event_record

    policy = plan_policy(
        health_plan=case.health_plan,
        line_of_business=case.member_snapshot.get("line_of_business", ""),
    )
    if case.status != CaseStatus.DENIED:
        raise AnswerRefusedError("Only a denied request can be appealed.")
    if not policy.appeal_to_plan:
        raise AnswerRefusedError("This plan takes no appeals through the portal.")
    if filed_on > timezone.localdate():
        raise AnswerRefusedError("The appeal's date cannot be in the future.")
    if case.decided_at and filed_on < timezone.localdate(case.decided_at):
        raise AnswerRefusedError("An appeal is filed after the denial: check the date.")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.appealed_on is not None:
            raise AnswerRefusedError(
                f"An appeal filed on {locked.appealed_on:%m/%d/%Y} is on record."
            )
        locked.appealed_on = filed_on
        locked.save(update_fields=["appealed_on", "modified"])
        case_event_record(
            case=locked,
            actor=user,
            kind="appeal",
            message=note.strip()[:2000],
            office_message=f"Appeal to {case.health_plan.name} recorded, filed "
            f"{filed_on:%m/%d/%Y}: the plan decides it and writes to the member and the ordering "
            "provider.",
        )
    return locked
