"""Criteria: whether a condition holds for the answers and facts, and what it says in words."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from clinical.engine.answers import compare, normalize
from clinical.engine.model import CaseFacts, CompiledPathway

# Three-valued: True (met), False (not met) or None (unknown: an interval or answer nobody gave).
# Unknown never passes, and "not unknown" is unknown, so a missing answer can never approve.
Truth = bool | None

# A question that was not asked (its branch does not apply): its rules are simply not met.
_NOT_ASKED = object()


def _fact_value(
    fact: str, answers: Mapping[str, Any], facts: CaseFacts, asked: Collection[str] | None
) -> Any:
    if fact.startswith("answer:"):
        link = fact.removeprefix("answer:")
        if link in answers:
            return answers[link]
        # Without the list of questions asked, every missing answer is unknown.
        return None if asked is None or link in asked else _NOT_ASKED
    return getattr(facts, "diagnoses" if fact == "diagnosis" else fact)


def _code_key(code: str) -> str:
    return code.replace(".", "").upper()


def _leaf_holds(
    cond: Mapping[str, Any],
    answers: Mapping[str, Any],
    facts: CaseFacts,
    asked: Collection[str] | None = None,
) -> Truth:
    fact, op, expected = cond["fact"], cond["op"], cond.get("value")
    value = _fact_value(fact, answers, facts, asked)
    if value is _NOT_ASKED:
        # Known: the branch was not taken, so nothing about that answer holds ...
        return op == "not_exists"
    if op == "exists":
        # ... but an enabled question left blank, or an interval not given, is unknown.
        return (
            True if value is not None and value != () else (False if fact == "diagnosis" else None)
        )
    if op == "not_exists":
        return value is None or value == ()  # diagnosis only (the compiler refuses the rest)
    if fact == "diagnosis":
        codes = [_code_key(c) for c in value]
        if op == "prefix":
            prefixes = [
                _code_key(p) for p in (expected if isinstance(expected, list) else [expected])
            ]
            return any(c.startswith(p) for c in codes for p in prefixes)
        if op == "range":
            low, high = _code_key(expected[0]), _code_key(expected[1])
            return any(low <= c[: len(high)] <= high or low <= c <= high for c in codes)
        if op in ("in", "eq"):
            wanted = {
                _code_key(e) for e in (expected if isinstance(expected, list) else [expected])
            }
            return any(c in wanted for c in codes)
        return False
    if value is None:
        return None
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    if op == "contains":
        return isinstance(value, tuple) and expected in value
    if isinstance(value, tuple):
        return False
    return compare(normalize(value), op, normalize(expected))


def holds(
    cond: Mapping[str, Any],
    answers: Mapping[str, Any],
    facts: CaseFacts,
    asked: Collection[str] | None = None,
) -> Truth:
    """Whether the condition is met (True), not met (False) or unknown (None).

    asked: the questions enabled for this case; an answer to any other question is "not asked"
    (its branch does not apply, so conditions on it are not met). Without it, every missing
    answer is unknown.
    """
    if "all" in cond:
        results = [holds(c, answers, facts, asked) for c in cond["all"]]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if "any" in cond:
        results = [holds(c, answers, facts, asked) for c in cond["any"]]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if "not" in cond:
        result = holds(cond["not"], answers, facts, asked)
        return None if result is None else not result
    return _leaf_holds(cond, answers, facts, asked)


_OP_WORDS = {
    "eq": "is",
    "ne": "is not",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "includes",
    "exists": "is answered",
    "not_exists": "is not answered",
    "prefix": "starts with",
    "range": "is within",
}


_FACT_WORDS = {
    "age": "age",
    "sex": "sex",
    "diagnosis": "a diagnosis code",
    "days_since_prior_imaging": "days since prior imaging",
    "procedure": "the procedure code",
}


def describe_condition(cond: Mapping[str, Any], pathway: CompiledPathway) -> str:
    if "all" in cond:
        return " and ".join(describe_condition(c, pathway) for c in cond["all"])
    if "any" in cond:
        subs = cond["any"]
        same = {(c.get("fact"), c.get("op")) for c in subs}
        if (
            len(same) == 1
            and all("fact" in c for c in subs)
            and next(iter(same))[1] in ("contains", "eq")
        ):
            # "Q" includes one of: A, B, C (rather than the same question written out each time).
            fact, _ = next(iter(same))
            item = (
                pathway.by_link.get(fact.removeprefix("answer:"))
                if fact.startswith("answer:")
                else None
            )
            subject = f'"{item.text}"' if item else _FACT_WORDS[fact]
            shown = [
                item.option_display(str(c["value"])) if item else str(c["value"]) for c in subs
            ]
            verb = "includes one of" if next(iter(same))[1] == "contains" else "is one of"
            return f"{subject} {verb}: {', '.join(shown)}"
        return "one of: " + " / ".join(describe_condition(c, pathway) for c in subs)
    if "not" in cond:
        return "not (" + describe_condition(cond["not"], pathway) + ")"
    fact, op, value = cond["fact"], cond["op"], cond.get("value")
    if fact.startswith("answer:"):
        item = pathway.by_link[fact.removeprefix("answer:")]
        subject = f'"{item.text}"'
        if item.type == "boolean" and op == "eq":
            return f"{subject}: {'yes' if value else 'no'}"
        if item.options:
            shown = (
                [item.option_display(v) for v in value]
                if isinstance(value, list)
                else item.option_display(str(value))
            )
            value = ", ".join(shown) if isinstance(shown, list) else shown
    else:
        subject = _FACT_WORDS[fact]
        if isinstance(value, list):
            value = " to ".join(value) if op == "range" else ", ".join(map(str, value))
    return f"{subject} {_OP_WORDS[op]}" + ("" if op in ("exists", "not_exists") else f" {value}")


def unmet_parts(cond: Mapping[str, Any], answers, facts, pathway, asked=None) -> list[str]:
    """The smallest failing pieces of a condition, described in words."""
    if "all" in cond:
        parts: list[str] = []
        for sub in cond["all"]:
            parts.extend(unmet_parts(sub, answers, facts, pathway, asked))
        return parts
    result = holds(cond, answers, facts, asked)
    if result is True:
        return []
    words = describe_condition(cond, pathway)
    return [f"{words} (not known)" if result is None else words]


def is_excluded(cond: Mapping[str, Any], answers, facts, asked=None, drivers=()) -> bool:
    """Whether the rule's branch does not apply to this patient: a part every answer must meet
    is about the patient (age, sex, diagnosis, procedure) and fails, needs an answer to a
    question that was not asked, or picks another answer of a question that chooses the branch
    (drivers: the questions that show or hide others, such as the main reason)."""
    if "all" in cond:
        return any(is_excluded(sub, answers, facts, asked, drivers) for sub in cond["all"])
    if "any" in cond:
        return all(is_excluded(sub, answers, facts, asked, drivers) for sub in cond["any"])
    fact = cond.get("fact")
    if fact is None:  # a "not": its failing says nothing about the branch
        return False
    if fact.startswith("answer:"):
        link = fact.removeprefix("answer:")
        if link not in answers:
            return asked is not None and link not in asked
        return (
            link in drivers
            and cond["op"] in ("eq", "in")
            and holds(cond, answers, facts, asked) is False
        )
    if fact == "days_since_prior_imaging":
        return False  # a follow-up too early is that rule's own answer, not another branch
    return holds(cond, answers, facts, asked) is False


def fails_on_facts(cond: Mapping[str, Any], answers, facts, asked=None) -> bool:
    """Kept name: whether the rule cannot apply (see is_excluded)."""
    return is_excluded(cond, answers, facts, asked)
