"""Writes for reviewers: claim and release, then each action through the one transition function.

Every action takes the status the reviewer saw (`expected`): a case another reviewer decided
meanwhile is refused, never decided twice.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseProcedure, CaseStatus, Decision, InformationRequest, Urgency
from cases.services import authorization_expires, authorization_number_new
from cases.transitions import TransitionError, case_event_record, case_transition
from payers.models import DenialReason, PlanPolicy
from payers.selectors import plan_policy
from portal.lib.dates import add_business_days, end_of_day
from portal.models import User
from portal.roles import Role, user_can

MAX_ITEMS = 10
ITEM_MAX_CHARS = 200


class ClaimTakenError(Exception):
    def __init__(self, holder: User | None):
        self.holder = holder
        name = holder.get_full_name() or holder.get_username() if holder else "nobody"
        super().__init__(f"{name} has this case.")


def _policy(case: Case) -> PlanPolicy:
    return plan_policy(
        health_plan=case.health_plan,
        line_of_business=case.member_snapshot.get("line_of_business", ""),
    )


def _reviewer(user: User) -> None:
    if not user_can(user, "review.work_queue"):
        raise TransitionError("Only a nurse or physician reviewer can do this.")


def _must_hold(case: Case, reviewer: User) -> None:
    """Only the reviewer who claimed the case acts on it (called inside the action's
    transaction: the row lock keeps a claim from landing in between)."""
    holder = (
        Case.objects.select_for_update().filter(pk=case.pk).values_list("assigned_to", flat=True)
    )[0]
    if holder != reviewer.pk:
        raise TransitionError(
            "Claim the case before acting on it."
            if holder is None
            else "Another reviewer has "
            "this case: ask them, or a physician, to release or reassign it."
        )


# --- assignment -------------------------------------------------------------------------------


def case_claim(*, case: Case, reviewer: User) -> Case:
    """Take an unassigned case. One conditional UPDATE: of two reviewers claiming at once, one
    changes the row and the other finds it taken (ClaimTakenError names who has it)."""
    _reviewer(reviewer)
    with transaction.atomic():
        taken = Case.objects.filter(pk=case.pk, assigned_to__isnull=True).update(
            assigned_to=reviewer, assigned_at=timezone.now(), modified=timezone.now()
        )
        fresh = Case.objects.select_related("assigned_to").get(pk=case.pk)
        if not taken:
            if fresh.assigned_to_id == reviewer.pk:
                return fresh
            raise ClaimTakenError(fresh.assigned_to)
        case_event_record(case=fresh, actor=reviewer, kind="claimed")
    return fresh


def case_release(*, case: Case, reviewer: User) -> Case:
    """Give the case back to the queue: its holder, or a physician (the supervisor)."""
    _reviewer(reviewer)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.assigned_to_id is None:
            return locked
        if locked.assigned_to_id != reviewer.pk and reviewer.role != Role.PHYSICIAN:
            raise TransitionError(
                "Only the reviewer who has the case, or a physician, can release it."
            )
        locked.assigned_to, locked.assigned_at = None, None
        locked.save(update_fields=["assigned_to", "assigned_at", "modified"])
        case_event_record(case=locked, actor=reviewer, kind="released")
    return locked


def case_reassign(*, case: Case, reviewer: User, to: User) -> Case:
    """A physician (the supervisor) gives the case to another reviewer."""
    _reviewer(reviewer)
    if reviewer.role != Role.PHYSICIAN:
        raise TransitionError("Only a physician can reassign a case.")
    if not user_can(to, "review.work_queue"):
        raise TransitionError("A case can only be assigned to a nurse or physician reviewer.")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.assigned_to, locked.assigned_at = to, timezone.now()
        locked.save(update_fields=["assigned_to", "assigned_at", "modified"])
        case_event_record(
            case=locked, actor=reviewer, kind="reassigned", message=f"to {to.get_username()}"
        )
    return locked


# --- actions -----------------------------------------------------------------------------------


def _decision(
    case: Case, *, decided_from: str, outcome: str, reviewer: User, now: datetime, **extra
) -> None:
    round_ = (
        Decision.Round.RECONSIDERATION
        if decided_from == CaseStatus.RECONSIDERATION
        else Decision.Round.INITIAL
    )
    Decision.objects.create(
        case=case,
        round=round_,
        outcome=outcome,
        urgency=case.urgency,
        received_at=case.submitted_at,
        decided_at=now,
        decided_by=reviewer,
        **extra,
    )


def case_approve(
    *, case: Case, reviewer: User, expected: str, quantities: dict[int, int], note: str = ""
) -> Case:
    """Approve, with the quantity approved of each procedure: all of it is an approval (nurse
    or physician); less than requested is a partial approval, adverse, so a physician's."""
    _reviewer(reviewer)
    procedures = list(case.procedures.all())
    approved = {p.pk: quantities.get(p.pk, p.quantity_requested) for p in procedures}
    for p in procedures:
        if not 0 <= approved[p.pk] <= p.quantity_requested:
            raise TransitionError(
                f"{p.procedure_code.code}: approve between 0 and {p.quantity_requested}."
            )
    partial = any(approved[p.pk] < p.quantity_requested for p in procedures)
    if not any(approved.values()):
        raise TransitionError("Nothing would be approved: deny the request instead.")
    to = CaseStatus.PARTIALLY_APPROVED if partial else CaseStatus.APPROVED
    now = timezone.now()
    policy = _policy(case)
    with transaction.atomic():
        _must_hold(case, reviewer)
        _not_the_denier(case, reviewer, expected)
        for p in procedures:
            CaseProcedure.objects.filter(pk=p.pk).update(quantity_approved=approved[p.pk])
        decided = case_transition(
            case=case,
            to=to,
            actor=reviewer,
            expected=expected,
            message=note,
            office_message=(
                ("Reconsidered: overturned. " if expected == CaseStatus.RECONSIDERATION else "")
                + ("Partially approved." if partial else "Approved.")
            ),
            changes={
                "authorization_number": case.authorization_number or authorization_number_new(),
                "expiration_date": authorization_expires(
                    decided_on=timezone.localdate(),
                    date_of_service=case.date_of_service,
                    performed_already=case.performed_already,
                    validity_days=policy.validity_days,
                ),
                "decided_at": now,
                "assigned_to": None,
                "assigned_at": None,
            },
        )
        _decision(case, decided_from=expected, outcome=to, reviewer=reviewer, now=now, reason=note)
    return decided


def info_hold_due(*, case: Case, policy: PlanPolicy, now: datetime) -> datetime:
    """When the answer to a request for information is due: hours for urgent, the end of a
    business day for standard (reference/002: "the date by which it is needed")."""
    if case.urgency == Urgency.URGENT:
        return now + timedelta(hours=policy.info_hold_urgent_hours)
    return end_of_day(add_business_days(timezone.localdate(now), policy.info_hold_business_days))


def case_request_info(*, case: Case, reviewer: User, expected: str, items: list[str]) -> Case:
    """Hold the case for the items listed, all in one request (never a drip of calls)."""
    _reviewer(reviewer)
    items = [" ".join(i.split())[:ITEM_MAX_CHARS] for i in items if i.strip()]
    if not items:
        raise TransitionError("List at least one item the office should send.")
    if len(items) > MAX_ITEMS:
        raise TransitionError(f"At most {MAX_ITEMS} items in one request.")
    now = timezone.now()
    due = info_hold_due(case=case, policy=_policy(case), now=now)
    with transaction.atomic():
        _must_hold(case, reviewer)
        held = case_transition(
            case=case,
            to=CaseStatus.INFO_REQUESTED,
            actor=reviewer,
            expected=expected,
            message="; ".join(items),
            office_message="Information requested: " + "; ".join(items),
            changes={"review_due_at": due},
        )
        InformationRequest.objects.create(
            case=held, requested_by=reviewer, items=items, due_at=due, held_from=expected
        )
    return held


def case_escalate(*, case: Case, reviewer: User, expected: str, note: str) -> Case:
    """To physician review, with a note for the physician (internal)."""
    _reviewer(reviewer)
    if not note.strip():
        raise TransitionError("Say what the physician should look at.")
    with transaction.atomic():
        _must_hold(case, reviewer)
        return case_transition(
            case=case,
            to=CaseStatus.MD_REVIEW,
            actor=reviewer,
            expected=expected,
            message=note.strip(),
            office_message="Sent to a physician reviewer.",
            changes={"assigned_to": None, "assigned_at": None},
        )


def _not_the_denier(case: Case, reviewer: User, expected: str) -> None:
    """A reconsideration is decided by a physician other than the one who denied."""
    if expected != CaseStatus.RECONSIDERATION:
        return
    denial = case.decisions.filter(outcome=CaseStatus.DENIED).order_by("-decided_at").first()
    if denial is not None and denial.decided_by_id == reviewer.pk:
        raise TransitionError(
            "You denied this request: a physician other than you decides its reconsideration."
        )


def case_deny(
    *,
    case: Case,
    reviewer: User,
    expected: str,
    reason: DenialReason,
    explanation: str,
) -> Case:
    """Deny: a physician only (the table refuses anyone else), with a specific reason from the
    plan's list, the guideline it rests on, and words of the physician's own."""
    _reviewer(reviewer)
    if reason is None or not reason.is_active:
        raise TransitionError("Choose the reason for the denial.")
    if reason.health_plan_id not in (None, case.health_plan_id):
        raise TransitionError("That reason is not one of this plan's.")
    if not explanation.strip():
        raise TransitionError("Explain the denial for this patient in plain language.")
    now = timezone.now()
    with transaction.atomic():
        _must_hold(case, reviewer)
        _not_the_denier(case, reviewer, expected)
        denied = case_transition(
            case=case,
            to=CaseStatus.DENIED,
            actor=reviewer,
            expected=expected,
            message=explanation.strip(),
            office_message=(
                "Reconsidered: upheld. " if expected == CaseStatus.RECONSIDERATION else ""
            )
            + f"Denied: {reason.text} ({reason.guideline}).",
            changes={"decided_at": now, "assigned_to": None, "assigned_at": None},
        )
        _decision(
            case,
            decided_from=expected,
            outcome=CaseStatus.DENIED,
            reviewer=reviewer,
            now=now,
            denial_reason=reason,
            reason=f"{reason.text} {explanation.strip()}",
            guideline=reason.guideline,
        )
    return denied


def holds_expire_due(*, now: datetime | None = None) -> int:
    """Deny, for lack of information, each case whose hold passed its due time unanswered.

    Each hold is taken under a row lock and skipped if it was answered or expired meanwhile, so
    two runs at once, or one run twice, deny each case once."""
    now = now or timezone.now()
    denied = 0
    due = InformationRequest.objects.filter(
        answered_at__isnull=True, expired_at__isnull=True, due_at__lt=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            hold = (
                InformationRequest.objects.select_for_update(skip_locked=True)
                .select_related("case")
                .filter(pk=pk, answered_at__isnull=True, expired_at__isnull=True)
                .first()
            )
            if hold is None or hold.case.status != CaseStatus.INFO_REQUESTED:
                continue
            hold.expired_at = now
            hold.save(update_fields=["expired_at", "modified"])
            case = hold.case
            reason = "The information requested was not received by the date it was needed."
            case_transition(
                case=case,
                to=CaseStatus.DENIED,
                actor=None,
                expected=CaseStatus.INFO_REQUESTED,
                message=reason,
                office_message=f"Denied: {reason}",
                changes={"decided_at": now, "assigned_to": None, "assigned_at": None},
            )
            Decision.objects.create(
                case=case,
                outcome=CaseStatus.DENIED,
                urgency=case.urgency,
                received_at=case.submitted_at,
                decided_at=now,
                reason=reason,
            )
            denied += 1
    return denied


# --- peer-to-peer: physicians publish times and record what came of the call ----------------


def p2p_slots_publish(*, physician: User, starts_at: datetime, minutes: int, count: int) -> int:
    """`count` consecutive slots of `minutes` from `starts_at`; a time already published is
    skipped. Returns how many were made."""
    from cases.models import PeerToPeerSlot

    if physician.role != Role.PHYSICIAN:
        raise TransitionError("Only a physician reviewer holds peer-to-peer calls.")
    if starts_at <= timezone.now():
        raise TransitionError("Publish times in the future.")
    times = [starts_at + timedelta(minutes=minutes * n) for n in range(count)]
    taken = set(
        PeerToPeerSlot.objects.filter(physician=physician, starts_at__in=times).values_list(
            "starts_at", flat=True
        )
    )
    slots = [
        PeerToPeerSlot(physician=physician, starts_at=t, minutes=minutes)
        for t in times
        if t not in taken
    ]
    # ignore_conflicts: a time published at the same moment by a second tab is kept once.
    PeerToPeerSlot.objects.bulk_create(slots, ignore_conflicts=True)
    return len(slots)


def p2p_outcome_record(*, slot, physician: User, outcome: str) -> None:
    """What the call concluded, on the slot and the case's timeline (the decision itself is
    still made with the actions: approve, deny)."""
    from cases.models import PeerToPeerSlot

    if slot.physician_id != physician.pk:
        raise TransitionError("Only the physician who held the call records its outcome.")
    if slot.case_id is None:
        raise TransitionError("Nobody booked this time.")
    if not outcome.strip():
        raise TransitionError("Say what the call concluded.")
    with transaction.atomic():
        now = timezone.now()
        PeerToPeerSlot.objects.filter(pk=slot.pk).update(
            outcome=outcome.strip(), outcome_at=now, modified=now
        )
        case_event_record(
            case=slot.case,
            actor=physician,
            kind="p2p_held",
            message=outcome.strip(),
            office_message="Peer-to-peer held: " + outcome.strip()[:500],
        )


def case_close_not_reviewed(*, case: Case, reviewer: User, expected: str, note: str) -> Case:
    """Close an open request without review: entered in error (reference/003 "Not
    Reviewed/Error Entry"), with why."""
    _reviewer(reviewer)
    if not note.strip():
        raise TransitionError("Say why the request is closed without review.")
    with transaction.atomic():
        _must_hold(case, reviewer)
        return case_transition(
            case=case,
            to=CaseStatus.ERROR_ENTRY,
            actor=reviewer,
            expected=expected,
            message=note.strip(),
            office_message="Not reviewed: closed as entered in error.",
            changes={"assigned_to": None, "assigned_at": None},
        )
