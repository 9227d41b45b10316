"""The one table of allowed status changes, and the one function that makes them.

Nothing else assigns `Case.status`. `case_transition` checks the table and the actor's role,
locks the row, saves with update_fields, writes the timeline event, and runs side effects
(letters, notices) only after the transaction commits.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import OPEN_STATUSES, Case, CaseEvent
from cases.models import CaseStatus as S
from portal.roles import OFFICE_ROLES, Role

SYSTEM = "system"
OFFICE = "office"
NURSE = Role.NURSE.value
PHYSICIAN = Role.PHYSICIAN.value
REVIEWERS = frozenset({NURSE, PHYSICIAN})
CREATED = ""  # the "from" status of a case being created

# (from status, to status) -> who may make that change.
ALLOWED_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # Submission: the determination is the system's (pathway criteria, eligibility).
    (CREATED, S.APPROVED): frozenset({SYSTEM}),
    (CREATED, S.NOT_REQUIRED): frozenset({SYSTEM}),
    (CREATED, S.IN_REVIEW): frozenset({SYSTEM}),
    # Clinical review: nurses approve, ask for information or escalate; only physicians make
    # adverse decisions (deny, partially approve).
    (S.IN_REVIEW, S.APPROVED): REVIEWERS,
    (S.IN_REVIEW, S.INFO_REQUESTED): REVIEWERS,
    (S.IN_REVIEW, S.MD_REVIEW): REVIEWERS,
    # A physician working a case is its physician review.
    (S.IN_REVIEW, S.PARTIALLY_APPROVED): frozenset({PHYSICIAN}),
    (S.IN_REVIEW, S.DENIED): frozenset({PHYSICIAN}),
    # The answer returns the case to the review it was held from.
    (S.INFO_REQUESTED, S.IN_REVIEW): frozenset({OFFICE, NURSE, PHYSICIAN, SYSTEM}),
    (S.INFO_REQUESTED, S.MD_REVIEW): frozenset({OFFICE, PHYSICIAN, SYSTEM}),
    (S.INFO_REQUESTED, S.DENIED): frozenset({SYSTEM}),  # no answer by the hold's due date
    (S.MD_REVIEW, S.APPROVED): frozenset({PHYSICIAN}),
    (S.MD_REVIEW, S.PARTIALLY_APPROVED): frozenset({PHYSICIAN}),
    (S.MD_REVIEW, S.DENIED): frozenset({PHYSICIAN}),
    (S.MD_REVIEW, S.INFO_REQUESTED): frozenset({PHYSICIAN}),
    # After a denial.
    (S.DENIED, S.RECONSIDERATION): frozenset({OFFICE}),
    (S.RECONSIDERATION, S.APPROVED): frozenset({PHYSICIAN}),
    (S.RECONSIDERATION, S.DENIED): frozenset({PHYSICIAN}),
    # Open cases can be ended without a decision.
    **{(s, S.WITHDRAWN): frozenset({OFFICE}) for s in OPEN_STATUSES},
    **{(s, S.DUPLICATE): frozenset({OFFICE}) for s in OPEN_STATUSES},
    **{(s, S.ERROR_ENTRY): REVIEWERS for s in OPEN_STATUSES},
}

# Side effects by target status, run after commit with the case id (letters, notices...).
SIDE_EFFECTS: dict[str, list[Callable[[int], Any]]] = defaultdict(list)


class TransitionError(ValidationError):
    """A status change the table or the actor's role does not allow."""


def actor_kind(actor) -> str:
    if actor is None:
        return SYSTEM
    if actor.role in OFFICE_ROLES:
        return OFFICE
    return actor.role


def allowed_targets(*, case: Case, actor) -> list[str]:
    kind = actor_kind(actor)
    return [
        to for (frm, to), who in ALLOWED_TRANSITIONS.items() if frm == case.status and kind in who
    ]


def _check(*, from_status: str, to: str, actor, case: Case | None) -> None:
    who = ALLOWED_TRANSITIONS.get((from_status, to))
    label = dict(S.choices)
    if who is None:
        raise TransitionError(
            f"A case cannot go from {label.get(from_status, 'new')} to {label.get(to, to)}."
        )
    kind = actor_kind(actor)
    if kind not in who:
        raise TransitionError(f"Your role cannot move a case to {label.get(to, to)}.")
    if kind == OFFICE and case is not None and actor.office_id != case.office_id:
        raise TransitionError("Only the case's own office can do this.")


def _event(
    *,
    case: Case,
    actor,
    kind: str,
    from_status: str,
    to_status: str,
    message: str,
    office_message: str = "",
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        message=message,
        office_message=office_message,
    )


def case_event_record(
    *, case: Case, actor, kind: str, message: str = "", office_message: str = ""
) -> CaseEvent:
    """A timeline entry that changes no status (a claim, a release, a note)."""
    return _event(
        case=case,
        actor=actor,
        kind=kind,
        from_status=case.status,
        to_status=case.status,
        message=message,
        office_message=office_message,
    )


def _schedule_side_effects(case_id: int, status: str) -> None:
    for effect in SIDE_EFFECTS.get(status, ()):
        transaction.on_commit(lambda effect=effect: effect(case_id))


def case_opened(*, case: Case, actor, message: str = "") -> None:
    """Record the creation of a case in its first status (called inside the submit transaction)."""
    _check(from_status=CREATED, to=case.status, actor=None, case=None)
    _event(
        case=case,
        actor=actor,
        kind="submitted",
        from_status=CREATED,
        to_status=case.status,
        message=message,
    )
    _schedule_side_effects(case.pk, case.status)


def case_transition(
    *,
    case: Case,
    to: str,
    actor,
    message: str = "",
    office_message: str = "",
    changes: dict[str, Any] | None = None,
    expected: str | None = None,
) -> Case:
    """Move a case to `to` (with any other field `changes`), or raise TransitionError.

    `expected`: the status the actor saw; a case that moved meanwhile (another reviewer decided
    it) is refused rather than decided twice."""
    changes = dict(changes or {})
    if "status" in changes:
        raise ValueError("pass the new status as `to`")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if expected is not None and locked.status != expected:
            label = dict(S.choices)
            raise TransitionError(
                f"This case changed meanwhile: it is now {label.get(locked.status)}."
            )
        _check(from_status=locked.status, to=to, actor=actor, case=locked)
        from_status = locked.status
        locked.status = to
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", "modified", *changes])
        _event(
            case=locked,
            actor=actor,
            kind="status",
            from_status=from_status,
            to_status=to,
            message=message,
            office_message=office_message,
        )
        _schedule_side_effects(locked.pk, to)
    case.refresh_from_db()
    return locked
