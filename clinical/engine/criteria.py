"""Criteria: whether a condition holds for the answers and facts, and what it says in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinical.engine.answers import compare, normalize
from clinical.engine.model import CaseFacts, CompiledPathway


def _fact_value(fact: str, answers: Mapping[str, Any], facts: CaseFacts) -> Any:
    if fact.startswith("answer:"):
        return answers.get(fact.removeprefix("answer:"))
    return getattr(facts, "diagnoses" if fact == "diagnosis" else fact)


def _code_key(code: str) -> str:
    return code.replace(".", "").upper()


def _leaf_holds(cond: Mapping[str, Any], answers: Mapping[str, Any], facts: CaseFacts) -> bool:
    fact, op, expected = cond["fact"], cond["op"], cond.get("value")
    value = _fact_value(fact, answers, facts)
    if op == "exists":
        return value is not None and value != ()
    if op == "not_exists":
        return value is None or value == ()
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
        return False
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    if op == "contains":
        return isinstance(value, tuple) and expected in value
    if isinstance(value, tuple):
        return False
    return compare(normalize(value), op, normalize(expected))


def holds(cond: Mapping[str, Any], answers: Mapping[str, Any], facts: CaseFacts) -> bool:
    if "all" in cond:
        return all(holds(c, answers, facts) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, answers, facts) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], answers, facts)
    return _leaf_holds(cond, answers, facts)


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


def unmet_parts(cond: Mapping[str, Any], answers, facts, pathway) -> list[str]:
    """The smallest failing pieces of a condition, described in words."""
    if "all" in cond:
        parts: list[str] = []
        for sub in cond["all"]:
            parts.extend(unmet_parts(sub, answers, facts, pathway))
        return parts
    if holds(cond, answers, facts):
        return []
    return [describe_condition(cond, pathway)]


def fails_on_facts(cond: Mapping[str, Any], answers, facts) -> bool:
    """Whether a part of the condition that every answer must meet is about the patient (age,
    sex, diagnosis, procedure, prior imaging), not an answer, and fails: no answer can help."""
    if "all" in cond:
        return any(fails_on_facts(sub, answers, facts) for sub in cond["all"])
    fact = cond.get("fact")
    return fact is not None and not fact.startswith("answer:") and not holds(cond, answers, facts)
