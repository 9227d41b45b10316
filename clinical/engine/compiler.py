"""Compiling a pathway version's Questionnaire and criteria, checked, into a CompiledPathway."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from clinical.engine.model import (
    CONDITION_OPS,
    EMERGENCY_URL,
    ENABLE_OPERATORS,
    ENABLE_WHEN_EXPRESSION_URL,
    EXPRESSION_PART,
    FACTS,
    ITEM_TYPES,
    MAX_VALUE_URL,
    MIN_VALUE_URL,
    PRIOR_STUDY_DATE_URL,
    CompiledPathway,
    EnableWhen,
    Item,
    Option,
    PathwayError,
    Rule,
)


def _decimal_ext(extensions: Sequence[Mapping], url: str) -> Decimal | None:
    for ext in extensions or ():
        if ext.get("url") == url:
            for key in ("valueInteger", "valueDecimal"):
                if key in ext:
                    return Decimal(str(ext[key]))
    return None


def _expression(extensions: Sequence[Mapping], link_id: str) -> tuple[tuple[str, str, str], ...]:
    for ext in extensions or ():
        if ext.get("url") != ENABLE_WHEN_EXPRESSION_URL:
            continue
        text = (ext.get("valueExpression") or {}).get("expression", "")
        parts = []
        for part in re.split(r"\s+and\s+", text.strip()):
            match = EXPRESSION_PART.match(part.strip())
            if not match:
                raise PathwayError(f"{link_id}: unsupported enableWhenExpression {text!r}")
            fact, op, _, literal = match.groups()
            if fact == "age" and not literal.isdigit():
                raise PathwayError(f"{link_id}: %age compares with a whole number, not {literal!r}")
            parts.append((fact, op, literal))
        return tuple(parts)
    return ()


def _enable_answer(condition: Mapping[str, Any], link_id: str) -> Any:
    if condition.get("operator") == "exists":
        return bool(condition.get("answerBoolean", True))
    for key in ("answerBoolean", "answerInteger", "answerDecimal", "answerString"):
        if key in condition:
            value = condition[key]
            return Decimal(str(value)) if key in ("answerInteger", "answerDecimal") else value
    if "answerDate" in condition:
        return date.fromisoformat(condition["answerDate"])
    if "answerCoding" in condition:
        return condition["answerCoding"]["code"]
    raise PathwayError(f"{link_id}: enableWhen has no answer[x]")


def _emergency(entry: Mapping, link_id: str) -> str:
    for ext in entry.get("extension", ()):
        if ext.get("url") == EMERGENCY_URL:
            message = ext.get("valueString", "")
            if not isinstance(message, str) or not message.strip():
                raise PathwayError(f"{link_id}: the emergency extension needs a valueString")
            return message.strip()
    return ""


def _options(raw: Sequence[Mapping], link_id: str) -> tuple[Option, ...]:
    options = []
    for entry in raw or ():
        if "valueCoding" in entry:
            coding = entry["valueCoding"]
            code, display = str(coding["code"]), coding.get("display", coding["code"])
        elif "valueString" in entry:
            code = display = entry["valueString"]
        else:
            raise PathwayError(f"{link_id}: answerOption needs valueCoding or valueString")
        options.append(Option(code, display, _emergency(entry, link_id)))
    return tuple(options)


def _walk(raw_items: Sequence[Mapping], parent: str | None, depth: int, out: list[Item]) -> None:
    for raw in raw_items or ():
        link_id, item_type = raw.get("linkId"), raw.get("type")
        if not link_id or item_type not in ITEM_TYPES:
            raise PathwayError(f"item {link_id!r}: needs a linkId and a known type ({item_type!r})")
        behavior = raw.get("enableBehavior", "all")
        if behavior not in ("all", "any"):
            raise PathwayError(f"{link_id}: enableBehavior must be all or any")
        conditions = []
        for cond in raw.get("enableWhen", ()):
            if cond.get("operator") not in ENABLE_OPERATORS:
                raise PathwayError(
                    f"{link_id}: unknown enableWhen operator {cond.get('operator')!r}"
                )
            conditions.append(
                EnableWhen(cond["question"], cond["operator"], _enable_answer(cond, link_id))
            )
        extensions = raw.get("extension", ())
        item = Item(
            link_id=link_id,
            text=raw.get("text", ""),
            type=item_type,
            required=bool(raw.get("required", False)),
            repeats=bool(raw.get("repeats", False)),
            options=_options(raw.get("answerOption", ()), link_id),
            enable_when=tuple(conditions),
            enable_behavior=behavior,
            expression=_expression(extensions, link_id),
            min_value=_decimal_ext(extensions, MIN_VALUE_URL),
            max_value=_decimal_ext(extensions, MAX_VALUE_URL),
            parent=parent,
            depth=depth,
            prior_study_date=any(
                ext.get("url") == PRIOR_STUDY_DATE_URL and ext.get("valueBoolean", True)
                for ext in extensions
            ),
        )
        if item.prior_study_date and item.type != "date":
            raise PathwayError(f"{link_id}: only a date question can date the prior study")
        if item.type == "choice" and not item.options:
            raise PathwayError(f"{link_id}: a choice question needs answerOption")
        if item.repeats and item.type != "choice":
            raise PathwayError(f"{link_id}: only choice questions may repeat here")
        out.append(item)
        _walk(raw.get("item", ()), link_id, depth + 1, out)


DIAGNOSIS_OPS = frozenset({"eq", "in", "prefix", "range", "exists", "not_exists"})


def _check_condition(cond: Mapping[str, Any], by_link: Mapping[str, Item], rule_id: str) -> None:
    if not isinstance(cond, Mapping) or not cond:
        raise PathwayError(f"rule {rule_id}: empty condition")
    for combinator in ("all", "any"):
        if combinator in cond:
            subs = cond[combinator]
            if not isinstance(subs, list) or not subs:
                # An empty "all" would always hold: an approval for everyone.
                raise PathwayError(f"rule {rule_id}: {combinator!r} needs a non-empty list")
            for sub in subs:
                _check_condition(sub, by_link, rule_id)
            return
    if "not" in cond:
        _check_condition(cond["not"], by_link, rule_id)
        return
    fact, op, value = cond.get("fact", ""), cond.get("op"), cond.get("value")
    if op not in CONDITION_OPS:
        raise PathwayError(f"rule {rule_id}: unknown op {op!r}")
    if op == "not_exists" and fact != "diagnosis":
        # "Not answered" is never evidence: a rule that passes on a missing answer or interval
        # approves what nobody said. Ask a question whose answer says so ("no prior study").
        raise PathwayError(
            f"rule {rule_id}: 'not_exists' on {fact!r}: ask a question whose answer says it"
        )
    if fact.startswith("answer:"):
        link = fact.removeprefix("answer:")
        if link not in by_link or not by_link[link].is_question:
            raise PathwayError(f"rule {rule_id}: no question {link!r}")
    elif fact not in FACTS:
        raise PathwayError(f"rule {rule_id}: unknown fact {fact!r}")
    if fact == "diagnosis" and op not in DIAGNOSIS_OPS:
        raise PathwayError(f"rule {rule_id}: op {op!r} does not apply to diagnosis codes")
    if op in ("prefix", "range") and fact != "diagnosis":
        raise PathwayError(f"rule {rule_id}: {op!r} applies to diagnosis codes only")
    if op == "range" and not (
        isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
    ):
        raise PathwayError(f"rule {rule_id}: 'range' takes [low code, high code]")
    if op in ("in", "not_in") and not isinstance(value, list):
        raise PathwayError(f"rule {rule_id}: {op!r} takes a list")
    if op not in ("exists", "not_exists") and "value" not in cond:
        raise PathwayError(f"rule {rule_id}: {op!r} needs a value")


def compile_pathway(
    questionnaire: Mapping[str, Any], criteria: Sequence[Mapping[str, Any]], *, key: str = ""
) -> CompiledPathway:
    if questionnaire.get("resourceType") != "Questionnaire":
        raise PathwayError("not a FHIR Questionnaire")
    items: list[Item] = []
    _walk(questionnaire.get("item", ()), None, 0, items)
    by_link: dict[str, Item] = {}
    for item in items:
        if item.link_id in by_link:
            raise PathwayError(f"duplicate linkId {item.link_id}")
        by_link[item.link_id] = item
    order = {item.link_id: n for n, item in enumerate(items)}
    for item in items:
        for cond in item.enable_when:
            if cond.question not in by_link:
                raise PathwayError(f"{item.link_id}: enableWhen names unknown {cond.question}")
            if order[cond.question] >= order[item.link_id]:
                # Keeps evaluation single-pass and cycle-free: conditions look backwards only.
                raise PathwayError(f"{item.link_id}: enableWhen must refer to an earlier question")
    dating = [item.link_id for item in items if item.prior_study_date]
    if len(dating) > 1:
        raise PathwayError(f"more than one question dates the prior study: {', '.join(dating)}")
    rules = []
    seen = set()
    for raw in criteria:
        rule = Rule(raw["id"], raw["reason"], raw.get("guideline", ""), raw["when"])
        if rule.id in seen:
            raise PathwayError(f"duplicate rule id {rule.id}")
        seen.add(rule.id)
        _check_condition(rule.when, by_link, rule.id)
        rules.append(rule)
    if not dating and any("days_since_prior_imaging" in repr(r.when) for r in rules):
        raise PathwayError(
            "the criteria use days_since_prior_imaging: a date question must ask when the prior "
            f"study was (extension {PRIOR_STUDY_DATE_URL})"
        )
    return CompiledPathway(
        key=key or questionnaire.get("url", questionnaire.get("id", "")),
        title=questionnaire.get("title", ""),
        items=tuple(items),
        by_link=by_link,
        rules=tuple(rules),
        drivers=frozenset(c.question for item in items for c in item.enable_when),
        prior_study_date_link=dating[0] if dating else None,
    )
