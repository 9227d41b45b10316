"""The status table and the one function that changes a status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseEvent
from cases.models import CaseStatus as S
from cases.transitions import (
    ALLOWED_TRANSITIONS,
    SIDE_EFFECTS,
    TransitionError,
    allowed_targets,
    case_transition,
)
from portal.roles import Role
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def nurse(db):
    return UserFactory(username="nurse1", role=Role.NURSE, office=None)


@pytest.fixture
def physician(db):
    return UserFactory(username="doc1", role=Role.PHYSICIAN, office=None)


@pytest.fixture
def case(alice):
    return CaseFactory(office=alice.office, created_by=alice, status=S.IN_REVIEW)


def test_nurse_escalates_and_the_timeline_records_it(case, nurse):
    case_transition(case=case, to=S.MD_REVIEW, actor=nurse, message="Needs a physician")
    case.refresh_from_db()
    assert case.status == S.MD_REVIEW
    event = CaseEvent.objects.get(case=case)
    assert (event.from_status, event.to_status, event.actor, event.message) == (
        S.IN_REVIEW,
        S.MD_REVIEW,
        nurse,
        "Needs a physician",
    )


@pytest.mark.parametrize(
    ("start", "to", "actor_name", "allowed"),
    [
        (S.IN_REVIEW, S.APPROVED, "nurse", True),
        (S.IN_REVIEW, S.DENIED, "nurse", False),  # only physicians deny
        (S.IN_REVIEW, S.DENIED, "physician", True),  # a physician working it is physician review
        (S.IN_REVIEW, S.PARTIALLY_APPROVED, "nurse", False),
        (S.INFO_REQUESTED, S.MD_REVIEW, "alice", True),  # an answer returns it to the physician
        (S.INFO_REQUESTED, S.MD_REVIEW, "nurse", False),
        (S.MD_REVIEW, S.DENIED, "nurse", False),
        (S.MD_REVIEW, S.DENIED, "physician", True),
        (S.MD_REVIEW, S.PARTIALLY_APPROVED, "physician", True),
        (S.MD_REVIEW, S.PARTIALLY_APPROVED, "nurse", False),
        (S.APPROVED, S.DENIED, "physician", False),  # decisions are final here
        (S.DENIED, S.RECONSIDERATION, "alice", True),
        (S.DENIED, S.RECONSIDERATION, "physician", False),
        (S.IN_REVIEW, S.WITHDRAWN, "alice", True),
        (S.IN_REVIEW, S.WITHDRAWN, "charlie", False),  # another office
        (S.APPROVED, S.WITHDRAWN, "alice", False),
        (S.INFO_REQUESTED, S.DENIED, "system", True),
        (S.INFO_REQUESTED, S.DENIED, "physician", False),
        (S.IN_REVIEW, S.ERROR_ENTRY, "nurse", True),
    ],
)
def test_transition_table_and_roles(
    alice, charlie, nurse, physician, start, to, actor_name, allowed
):
    approved = {"authorization_number": "A000000009", "expiration_date": "2027-01-07"}
    extra = approved if start in (S.APPROVED, S.PARTIALLY_APPROVED) else {}
    case = CaseFactory(office=alice.office, created_by=alice, status=start, **extra)
    actor = {
        "alice": alice,
        "charlie": charlie,
        "nurse": nurse,
        "physician": physician,
        "system": None,
    }[actor_name]
    if allowed:
        changes = {}
        if to in (S.APPROVED, S.PARTIALLY_APPROVED):
            changes = {"authorization_number": "A000000001", "expiration_date": "2027-01-07"}
        case_transition(case=case, to=to, actor=actor, changes=changes)
        case.refresh_from_db()
        assert case.status == to
    else:
        with pytest.raises(TransitionError):
            case_transition(case=case, to=to, actor=actor)
        case.refresh_from_db()
        assert case.status == start
        assert not CaseEvent.objects.filter(case=case).exists()


def test_approval_without_a_number_violates_the_database_constraint(case, nurse):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        case_transition(case=case, to=S.APPROVED, actor=nurse)


def test_the_row_is_locked_while_it_changes(case, nurse):
    with CaptureQueriesContext(connection) as queries:
        case_transition(case=case, to=S.MD_REVIEW, actor=nurse)
    assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_status_cannot_be_passed_as_a_change(case, nurse):
    with pytest.raises(ValueError, match="as `to`"):
        case_transition(case=case, to=S.MD_REVIEW, actor=nurse, changes={"status": S.DENIED})


def test_side_effects_run_after_commit_only(case, nurse, django_capture_on_commit_callbacks):
    seen = []
    SIDE_EFFECTS[S.MD_REVIEW].append(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            case_transition(case=case, to=S.MD_REVIEW, actor=nurse)
            assert seen == []  # not before the commit
        assert seen == [case.pk] and len(callbacks) == 1
    finally:
        SIDE_EFFECTS[S.MD_REVIEW].remove(seen.append)


def test_allowed_targets_follow_the_role(case, nurse, physician, alice):
    assert set(allowed_targets(case=case, actor=nurse)) == {
        S.APPROVED,
        S.INFO_REQUESTED,
        S.MD_REVIEW,
        S.ERROR_ENTRY,
    }
    assert set(allowed_targets(case=case, actor=alice)) == {S.WITHDRAWN, S.DUPLICATE}


def test_every_status_is_reachable():
    reachable = {to for _, to in ALLOWED_TRANSITIONS}
    assert reachable == set(S.values)


@pytest.mark.parametrize(
    "role", [None, Role.OFFICE_STAFF, Role.NURSE, Role.PHYSICIAN, Role.FACILITY, Role.PLAN_ADMIN]
)
def test_every_move_by_every_role_is_what_the_table_says(role):
    """The whole table: each (from, to) pair of statuses, for each role, allowed exactly when a
    row names that role (an office only on its own case)."""
    from types import SimpleNamespace

    from cases.transitions import CREATED, _check, actor_kind

    actor = None if role is None else SimpleNamespace(role=role, office_id=1)
    kind = actor_kind(actor)
    for start in [CREATED, *S.values]:
        for to in S.values:
            allowed = kind in ALLOWED_TRANSITIONS.get((start, to), frozenset())
            own = SimpleNamespace(office_id=1)
            if allowed:
                _check(from_status=start, to=to, actor=actor, case=own)
            else:
                with pytest.raises(TransitionError):
                    _check(from_status=start, to=to, actor=actor, case=own)
            if allowed and role == Role.OFFICE_STAFF:  # another office's case: refused
                with pytest.raises(TransitionError):
                    _check(from_status=start, to=to, actor=actor, case=SimpleNamespace(office_id=2))


def test_a_move_from_a_status_the_case_left_is_refused(case, nurse):
    case_transition(case=case, to=S.MD_REVIEW, actor=nurse)
    with pytest.raises(TransitionError, match="changed meanwhile"):
        case_transition(case=case, to=S.APPROVED, actor=nurse, expected=S.IN_REVIEW)
