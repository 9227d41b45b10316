"""Eligibility: does this member need authorization for this program (and code) on this date?

Pure functions over plain values; `payers.selectors` gathers the facts from the database. The
wizard and the eligibility lookup page both come through `eligibility_answer`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Answer(StrEnum):
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    NOT_MANAGED = "not_managed"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def label(self) -> str:
        return {
            "required": "Authorization is required",
            "not_required": "Authorization is not required",
            "not_managed": "Not managed by this program: follow the member's ID card",
            "not_eligible": "Not eligible on that date",
        }[self.value]


class Setting(StrEnum):
    """Where the service is performed. Some settings are excluded from precertification."""

    OFFICE = "office"
    FREESTANDING = "freestanding"
    HOSPITAL_OUTPATIENT = "hospital_outpatient"
    EMERGENCY = "emergency"
    OBSERVATION = "observation"
    INPATIENT = "inpatient"
    PROCEDURE = "procedure"  # used during an interventional procedure or surgery


SETTING_WORDS = {
    Setting.EMERGENCY: "in the emergency room",
    Setting.OBSERVATION: "during a 23-hour observation stay",
    Setting.INPATIENT: "during an inpatient stay",
    Setting.PROCEDURE: "used during an interventional procedure or surgery",
}


@dataclass(frozen=True, slots=True)
class Coverage:
    start: date
    end: date | None
    line_of_business: str
    managed: bool = True
    not_managed_reason: str = ""


@dataclass(frozen=True, slots=True)
class ProgramWindow:
    """The plan manages `program` for `line_of_business` ("" = every line) over these dates."""

    program: str
    line_of_business: str
    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class CodeRuleFact:
    code: str
    line_of_business: str  # "" = every line of business
    requires_auth: bool
    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Eligibility:
    answer: Answer
    reason: str

    @property
    def label(self) -> str:
        return self.answer.label


def _covers(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day <= end)


def _fmt(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _applies(line: str, member_line: str) -> bool:
    return line in ("", member_line)


def _not_covered(coverage: Coverage, on_date: date) -> str:
    """Why the member is not covered on the date ("" when covered)."""
    if on_date < coverage.start:
        return f"coverage begins on {_fmt(coverage.start)}"
    if coverage.end is not None and on_date > coverage.end:
        return f"coverage ended on {_fmt(coverage.end)}"
    return ""


def eligibility_answer(
    *,
    coverage: Coverage,
    program: str,
    program_name: str,
    program_active: bool,
    windows: Iterable[ProgramWindow],
    on_date: date,
    code: str | None = None,
    rules: Sequence[CodeRuleFact] = (),
    setting: str | None = None,
    excluded_settings: frozenset[str] = frozenset(),
) -> Eligibility:
    """The answer for one program (and, when `code` is given, one procedure code)."""
    lob = coverage.line_of_business
    why = _not_covered(coverage, on_date)
    if why:
        return Eligibility(
            Answer.NOT_ELIGIBLE, f"The member is not covered on {_fmt(on_date)}: {why}."
        )
    if not coverage.managed:
        reason = coverage.not_managed_reason or (
            "This member's benefit plan is not managed by this program."
        )
        return Eligibility(Answer.NOT_MANAGED, reason)
    if not program_active:
        return Eligibility(
            Answer.NOT_MANAGED, f"{program_name} requests are not handled through this portal."
        )

    # Windows for the member's own line replace the plan-wide ones (MA from 06/01/2020 while
    # commercial has been managed for years), as a line-specific code rule does.
    program_windows = [w for w in windows if w.program == program]
    line_windows = [w for w in program_windows if w.line_of_business == lob] or [
        w for w in program_windows if w.line_of_business == ""
    ]
    if not line_windows:
        return Eligibility(
            Answer.NOT_MANAGED,
            f"The plan does not manage {program_name} for this member's line of business.",
        )
    first = min(w.start for w in line_windows)
    if on_date < first:
        return Eligibility(
            Answer.NOT_REQUIRED,
            f"No precertification is needed: the program manages dates of service from "
            f"{_fmt(first)}.",
        )
    if not any(_covers(w.start, w.end, on_date) for w in line_windows):
        return Eligibility(
            Answer.NOT_REQUIRED,
            "No precertification is needed: the program no longer manages this date of service.",
        )

    if setting in excluded_settings:
        words = SETTING_WORDS.get(setting, f"in the {setting} setting")
        return Eligibility(
            Answer.NOT_REQUIRED, f"Imaging {words} does not require precertification."
        )

    if code is None:
        return Eligibility(
            Answer.REQUIRED,
            f"Precertification is required for {program_name} services on the plan's list.",
        )

    rule = _most_specific_rule(rules, code=code, line_of_business=lob, on_date=on_date)
    if rule is None:
        return Eligibility(
            Answer.NOT_REQUIRED,
            f"Code {code} is not on the plan's precertification list for this date of service.",
        )
    if not rule.requires_auth:
        return Eligibility(
            Answer.NOT_REQUIRED, f"The plan exempts code {code} from precertification."
        )
    return Eligibility(Answer.REQUIRED, f"Code {code} requires precertification for this plan.")


def _most_specific_rule(
    rules: Iterable[CodeRuleFact], *, code: str, line_of_business: str, on_date: date
) -> CodeRuleFact | None:
    """A rule for the member's line beats one for every line; then the latest start wins.

    The answer never depends on the order the rules come in: on a full tie (two rules of the
    same reach from the same day, which the database refuses within one program) the rule that
    requires authorization wins, since asking is the answer that cannot leave a claim unpaid.
    """
    current = [
        rule
        for rule in rules
        if rule.code == code
        and _applies(rule.line_of_business, line_of_business)
        and _covers(rule.start, rule.end, on_date)
    ]
    return max(
        current,
        key=lambda rule: (rule.line_of_business != "", rule.start, rule.requires_auth),
        default=None,
    )
