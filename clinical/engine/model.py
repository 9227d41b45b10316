"""The engine's vocabulary: the compiled pathway, case facts, outcomes and evaluations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
ENABLE_WHEN_EXPRESSION_URL = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
# On a date question: its answer is the date of the prior study the criteria's
# days_since_prior_imaging measures from (the engine derives the interval from it).
PRIOR_STUDY_DATE_URL = "urn:precert-portal:prior-study-date"
# On an answerOption: choosing it means the patient belongs in an emergency department now.
EMERGENCY_URL = "urn:precert-portal:emergency"
ANSWER_TYPES = frozenset({"boolean", "choice", "integer", "decimal", "date", "string", "text"})
ITEM_TYPES = ANSWER_TYPES | {"group", "display"}
ENABLE_OPERATORS = frozenset({"=", "!=", ">", "<", ">=", "<=", "exists"})
CONDITION_OPS = frozenset(
    {
        "eq",
        "ne",
        "gt",
        "gte",
        "lt",
        "lte",
        "in",
        "not_in",
        "exists",
        "not_exists",
        "contains",
        "prefix",
        "range",
    }
)
FACTS = frozenset({"age", "sex", "diagnosis", "days_since_prior_imaging", "procedure"})
EXPRESSION_PART = re.compile(r"^%(age|sex|procedure)\s*(>=|<=|!=|=|>|<)\s*('?)([A-Za-z0-9]+)\3$")
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off"})


class PathwayError(ValueError):
    """The pathway data itself is malformed (an authoring error, caught when loading)."""


class Outcome(StrEnum):
    MEETS_CRITERIA = "meets_criteria"
    NEEDS_REVIEW = "needs_review"

    @property
    def label(self) -> str:
        return {
            "meets_criteria": "Meets criteria",
            "needs_review": "Needs clinical review",
        }[self.value]


@dataclass(frozen=True, slots=True)
class CaseFacts:
    age: int
    sex: str = "U"
    diagnoses: tuple[str, ...] = ()
    days_since_prior_imaging: int | None = None
    procedure: str = ""  # the CPT/HCPCS code requested
    # The day intervals are measured to (the date of service). Captured when the facts are
    # built, by the caller, so evaluation itself stays a pure function of its arguments.
    as_of: date = field(default_factory=date.today)


@dataclass(frozen=True, slots=True)
class EnableWhen:
    question: str
    operator: str
    answer: Any


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    display: str
    emergency: str = ""  # what to tell the office when this answer means "emergency care now"


@dataclass(frozen=True, slots=True)
class Item:
    link_id: str
    text: str
    type: str
    required: bool = False
    repeats: bool = False
    options: tuple[Option, ...] = ()
    enable_when: tuple[EnableWhen, ...] = ()
    enable_behavior: str = "all"
    expression: tuple[tuple[str, str, str], ...] = ()  # (fact, operator, literal), all must hold
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    parent: str | None = None
    depth: int = 0
    prior_study_date: bool = False  # its answer dates the prior study (PRIOR_STUDY_DATE_URL)

    @property
    def is_question(self) -> bool:
        return self.type in ANSWER_TYPES

    def option_display(self, code: str) -> str:
        return next((o.display for o in self.options if o.code == code), code)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    reason: str
    guideline: str
    when: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CompiledPathway:
    """A parsed, validated pathway version; build once per version and reuse (it is immutable)."""

    key: str
    title: str
    items: tuple[Item, ...]
    by_link: Mapping[str, Item]
    rules: tuple[Rule, ...]
    # Questions whose answer can show or hide another (named by an enableWhen): only a change to
    # one of these needs the questions shown again.
    drivers: frozenset[str] = frozenset()
    prior_study_date_link: str | None = None  # the question dating the prior study, if any


@dataclass(frozen=True, slots=True)
class UnmetRule:
    id: str
    reason: str
    guideline: str
    missing: tuple[str, ...]  # plain words for what was not met
    # False when the rule's branch does not apply to this patient: a fact such as age or sex
    # fails ("child or adolescent" for an adult), or it needs an answer to a question that was
    # not asked (head-injury rules for a migraine).
    applies: bool = True


@dataclass(frozen=True)
class Evaluation:
    enabled: tuple[Item, ...]
    answers: Mapping[str, Any]  # parsed answers of enabled questions only
    errors: Mapping[str, str]
    complete: bool
    outcome: Outcome | None = None
    met: tuple[Rule, ...] = ()
    unmet: tuple[UnmetRule, ...] = ()
    dropped: tuple[str, ...] = field(default=())  # answers ignored: their question is not asked
    drivers: frozenset[str] = frozenset()  # the pathway's (CompiledPathway.drivers)

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.outcome == Outcome.MEETS_CRITERIA:
            return tuple(f"{r.reason} ({r.guideline})" for r in self.met)
        # For the reviewer: only the rules whose branch applies to this patient and answers.
        relevant = [u for u in self.unmet if u.applies]
        if not relevant:
            return ("No criterion of this pathway applies to the answers given.",)
        return tuple(f"{u.reason}: not met ({'; '.join(u.missing)})" for u in relevant)
