"""A notice record per recipient for each decision and request for information, written after
the transaction commits (the side-effect registry of cases.transitions). The letters work
renders them; until then they say who is owed what."""

from cases.models import Case, CaseStatus, Notice
from cases.transitions import SIDE_EFFECTS

R = Notice.Recipient
EVERYONE = (R.ORDERING_PROVIDER, R.MEMBER, R.FACILITY)
# kind, recipients: a request for information goes to the ordering provider, who must answer.
NOTICES = {
    CaseStatus.APPROVED: ("approval", EVERYONE),
    CaseStatus.PARTIALLY_APPROVED: ("partial_approval", EVERYONE),
    CaseStatus.DENIED: ("denial", EVERYONE),
    CaseStatus.INFO_REQUESTED: ("information_request", (R.ORDERING_PROVIDER,)),
}


def notices_create(case_id: int) -> int:
    """Idempotent: the notices of the case's latest move into its status, once each."""
    case = Case.objects.filter(pk=case_id).only("status").first()
    if case is None or case.status not in NOTICES:
        return 0
    event = case.events.filter(to_status=case.status).exclude(from_status=case.status).last()
    if event is None:
        return 0
    kind, recipients = NOTICES[case.status]
    made = Notice.objects.bulk_create(
        [Notice(case=case, event=event, kind=kind, recipient=r) for r in recipients],
        ignore_conflicts=True,
    )
    return len(made)


def register() -> None:
    for status in NOTICES:
        if notices_create not in SIDE_EFFECTS[status]:
            SIDE_EFFECTS[status].append(notices_create)
