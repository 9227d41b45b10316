"""Criteria: whether a condition holds for the answers and facts, and what it says in words."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from clinical.engine.answers import compare, normalize
from clinical.engine.model import CaseFacts, CompiledPathway, Item

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


def _diagnosis_holds(codes: tuple[str, ...], op: str, expected: Any) -> Truth:
    """Whether any of the case's codes matches (the list of codes is always known)."""
    keys = [_code_key(c) for c in codes]
    if op == "exists":
        return bool(keys)
    if op == "not_exists":
        return not keys
    wanted = [_code_key(v) for v in (expected if isinstance(expected, list) else [expected])]
    if op == "prefix":
        return any(k.startswith(w) for k in keys for w in wanted)
    if op in ("in", "eq"):
        return any(k in wanted for k in keys)
    if op == "range":
        # Inclusive at both ends, the last category whole: C00 to C96 takes C00.0 and C96.9.
        low, high = wanted
        return low <= high and any(low <= k and k[: len(high)] <= high for k in keys)
    return None  # nothing else means anything for codes (the compiler refuses it)


def _one_holds(value: Any, op: str, expected: Any) -> bool:
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    return compare(normalize(value), op, normalize(expected))


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
    if fact == "diagnosis":
        return _diagnosis_holds(value, op, expected)
    if value is None or value == ():
        # ... but an enabled question left blank, or an interval not given, is unknown: even
        # "is not answered" (the compiler refuses it there) is no evidence of anything.
        return None
    if op in ("exists", "not_exists"):
        return op == "exists"
    # A single answer is a one-answer list. "contains" holds when any answer is the value; every
    # other comparison only when each answer chosen meets it: "eq" is "the only answer", "ne"
    # and "not_in" are "not chosen", "in" is "nothing chosen outside the list". One answer must
    # never approve while another answer given beside it would have stopped the rule.
    chosen = value if isinstance(value, tuple) else (value,)
    if op == "contains":
        return any(compare(normalize(v), "eq", normalize(expected)) for v in chosen)
    return all(_one_holds(v, op, expected) for v in chosen)


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

# What a comparison means over a choose-all-that-apply answer (see _leaf_holds), in words.
_REPEATING_OP_WORDS = {
    "eq": "is only",
    "ne": "does not include",
    "in": "includes only",
    "not_in": "includes none of",
}


def _subject(fact: str, pathway: CompiledPathway) -> tuple[str, Item | None]:
    if fact.startswith("answer:"):
        item = pathway.by_link[fact.removeprefix("answer:")]
        return f'"{item.text}"', item
    return _FACT_WORDS[fact], None


def _shown(value: Any, item: Item | None) -> list[str]:
    """The values as the form shows them: an option's display, not its code."""
    values = value if isinstance(value, list) else [value]
    return [item.option_display(str(v)) if item else str(v) for v in values]


def describe_condition(cond: Mapping[str, Any], pathway: CompiledPathway) -> str:
    if "all" in cond:
        return " and ".join(describe_condition(c, pathway) for c in cond["all"])
    if "any" in cond:
        subs = cond["any"]
        same = {(c.get("fact"), c.get("op")) for c in subs}
        if len(same) == 1 and all("fact" in c for c in subs):
            # "Q" includes one of: A, B, C (rather than the same question written out each time).
            fact, op = next(iter(same))
            subject, item = _subject(fact, pathway)
            single = item is None or (not item.repeats and item.type != "boolean")
            if op == "contains" or (op == "eq" and single):
                verb = "includes one of" if op == "contains" else "is one of"
                shown = [s for c in subs for s in _shown(c["value"], item)]
                return f"{subject} {verb}: {', '.join(shown)}"
        return "one of: " + " / ".join(describe_condition(c, pathway) for c in subs)
    if "not" in cond:
        return "not (" + describe_condition(cond["not"], pathway) + ")"
    fact, op, value = cond["fact"], cond["op"], cond.get("value")
    subject, item = _subject(fact, pathway)
    if item is not None and item.type == "boolean" and op in ("eq", "ne"):
        return f"{subject}: {'yes' if bool(value) == (op == 'eq') else 'no'}"
    words = _OP_WORDS[op]
    if item is not None and item.repeats:
        words = _REPEATING_OP_WORDS.get(op, words)
    if op in ("exists", "not_exists"):
        return f"{subject} {words}"
    joined = (" to " if op == "range" else ", ").join(_shown(value, item))
    return f"{subject} {words} {joined}"


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
