"""Parsing the raw answers of a form, and deciding which questions are enabled."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from clinical.engine.model import FALSE_WORDS, TRUE_WORDS, CaseFacts, EnableWhen, Item

# The option code meaning "none of the above" in a choose-all-that-apply question.
NONE_OPTION = "none"


def parse_answer(item: Item, raw: Any) -> Any:
    """The typed answer, or raise ValueError with a message for the user."""
    if item.repeats:
        values = raw if isinstance(raw, list | tuple) else [raw]
        values = [str(v).strip() for v in values if str(v).strip()]
        codes = {o.code for o in item.options}
        bad = [v for v in values if v not in codes]
        if bad:
            raise ValueError("Choose from the options given.")
        values = list(dict.fromkeys(values))
        if NONE_OPTION in values and len(values) > 1:  # "none of these" and one of them
            raise ValueError(
                f"“{item.option_display(NONE_OPTION)}” cannot be chosen with another answer."
            )
        return tuple(values)
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else ""
    if item.type == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError("Answer yes or no.")
    text = str(raw).strip()
    if item.type == "choice":
        if text not in {o.code for o in item.options}:
            raise ValueError("Choose one of the options given.")
        return text
    if item.type in ("integer", "decimal"):
        if len(text) > 30:
            raise ValueError("Enter a smaller number.")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(
                "Enter a number." if item.type == "decimal" else "Enter a whole number."
            ) from exc
        if not number.is_finite() or abs(number.adjusted()) > 15:
            raise ValueError(
                "Enter a number." if not number.is_finite() else "Enter a smaller number."
            )
        if item.type == "integer" and number != number.to_integral_value():
            raise ValueError("Enter a whole number.")
        if item.min_value is not None and number < item.min_value:
            raise ValueError(f"Enter {item.min_value} or more.")
        if item.max_value is not None and number > item.max_value:
            raise ValueError(f"Enter {item.max_value} or less.")
        return int(number) if item.type == "integer" else number
    if item.type == "date":
        # MM/DD/YYYY as the portal's date boxes take it (docs/decisions.md), or ISO YYYY-MM-DD.
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        try:
            if match:
                month, day, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError("Enter a real date as MM/DD/YYYY.") from exc
    if len(text) > 2000:
        raise ValueError("Keep the answer under 2,000 characters.")
    return text


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list | tuple):
        return all(is_blank(v) for v in raw)
    return isinstance(raw, str) and not raw.strip()


# ---------------------------------------------------------------------------------------------
# Enablement


def compare(left: Any, op: str, right: Any) -> bool:
    try:
        if op in ("=", "eq"):
            return left == right
        if op in ("!=", "ne"):
            return left != right
        if left is None or right is None:
            return False
        if op in (">", "gt"):
            return left > right
        if op in ("<", "lt"):
            return left < right
        if op in (">=", "gte"):
            return left >= right
        if op in ("<=", "lte"):
            return left <= right
    except TypeError:
        return False
    return False


def normalize(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _enable_condition_holds(cond: EnableWhen, answers: Mapping[str, Any]) -> bool:
    present = cond.question in answers
    if cond.operator == "exists":
        return present == cond.answer
    if not present:
        return False
    answer = answers[cond.question]
    if isinstance(answer, tuple):  # repeating choice
        if cond.operator == "!=":  # none of the answers equals it (FHIR)
            return all(compare(a, "!=", cond.answer) for a in answer)
        return any(compare(a, cond.operator, cond.answer) for a in answer)
    return compare(normalize(answer), cond.operator, normalize(cond.answer))


def _expression_holds(item: Item, facts: CaseFacts) -> bool:
    for fact, op, literal in item.expression:
        if fact == "age":
            if not compare(facts.age, op, int(literal)):
                return False
        elif fact == "sex":
            if not compare(facts.sex.upper(), op, literal.upper()):
                return False
        elif not compare(facts.procedure, op, literal):
            return False
    return True


def is_enabled(item: Item, answers: Mapping[str, Any], facts: CaseFacts, enabled: set[str]) -> bool:
    if item.parent is not None and item.parent not in enabled:
        return False
    if not _expression_holds(item, facts):
        return False
    if not item.enable_when:
        return True
    results = (_enable_condition_holds(c, answers) for c in item.enable_when)
    return all(results) if item.enable_behavior == "all" else any(results)
