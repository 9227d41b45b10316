"""The pathway engine: pure Python, no database.

A pathway version is a FHIR R4 Questionnaire (what to ask) plus criteria (what "meets criteria"
means). Given the raw answers of a form and the facts of the case, `evaluate` says which questions
are enabled, what is wrong with the answers, and, once complete, the outcome with its reasons.

The engine never denies: no passing rule means "needs clinical review" (only a physician denies).

Questionnaire subset (validated by `compile_pathway`):
- item: linkId, text, type (group, display, boolean, choice, integer, decimal, date, string,
  text), required, repeats (choice only), answerOption (valueCoding.code / valueString),
  item (children of a group), enableWhen (question, operator =, !=, >, <, >=, <=, exists;
  answerBoolean / answerInteger / answerDecimal / answerDate / answerString / answerCoding),
  enableBehavior (all, any; default all);
- extensions: minValue / maxValue (integer, decimal), and SDC enableWhenExpression limited to
  comparisons of %age (whole years), %sex (F, M, U) or %procedure (the CPT code) with a literal,
  joined by "and": "%age >= 19", "%age < 19 and %sex = 'F'", "%procedure = '71271'".

Criteria: a list of rules {id, reason, guideline, when}; `when` is a condition:
- {"all": [c, ...]}, {"any": [c, ...]}, {"not": c}
- {"fact": F, "op": OP, "value": V} with F one of "answer:<linkId>", "age", "sex",
  "diagnosis" (any of the case's ICD-10-CM codes), "days_since_prior_imaging", "procedure";
  OP one of eq, ne, gt, gte, lt, lte, in, not_in, exists, not_exists, contains (a repeating
  answer holds V), prefix (diagnosis starts with any of V), range (diagnosis within
  [V[0], V[1]] by code order, inclusive, compared on the code without its dot).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
ENABLE_WHEN_EXPRESSION_URL = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
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
_EXPRESSION_PART = re.compile(r"^%(age|sex|procedure)\s*(>=|<=|!=|=|>|<)\s*('?)([A-Za-z0-9]+)\3$")
_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})


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


@dataclass(frozen=True, slots=True)
class EnableWhen:
    question: str
    operator: str
    answer: Any


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    display: str


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


@dataclass(frozen=True, slots=True)
class UnmetRule:
    id: str
    reason: str
    guideline: str
    missing: tuple[str, ...]  # plain words for what was not met
    # False when the rule can never be met for this patient (a fact such as age or sex fails,
    # not an answer): "child or adolescent" for an adult.
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
        # What the answers could have met; rules this patient can never meet only when none can.
        relevant = [u for u in self.unmet if u.applies] or list(self.unmet)
        return tuple(f"{u.reason}: not met ({'; '.join(u.missing)})" for u in relevant)


# ---------------------------------------------------------------------------------------------
# Compiling


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
            match = _EXPRESSION_PART.match(part.strip())
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


def _options(raw: Sequence[Mapping], link_id: str) -> tuple[Option, ...]:
    options = []
    for entry in raw or ():
        if "valueCoding" in entry:
            coding = entry["valueCoding"]
            options.append(Option(str(coding["code"]), coding.get("display", coding["code"])))
        elif "valueString" in entry:
            options.append(Option(entry["valueString"], entry["valueString"]))
        else:
            raise PathwayError(f"{link_id}: answerOption needs valueCoding or valueString")
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
        )
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
    rules = []
    seen = set()
    for raw in criteria:
        rule = Rule(raw["id"], raw["reason"], raw.get("guideline", ""), raw["when"])
        if rule.id in seen:
            raise PathwayError(f"duplicate rule id {rule.id}")
        seen.add(rule.id)
        _check_condition(rule.when, by_link, rule.id)
        rules.append(rule)
    return CompiledPathway(
        key=key or questionnaire.get("url", questionnaire.get("id", "")),
        title=questionnaire.get("title", ""),
        items=tuple(items),
        by_link=by_link,
        rules=tuple(rules),
        drivers=frozenset(c.question for item in items for c in item.enable_when),
    )


# ---------------------------------------------------------------------------------------------
# Parsing answers


# The option code meaning "none of the above" in a choose-all-that-apply question.
NONE_OPTION = "none"


def _parse(item: Item, raw: Any) -> Any:
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
        if text in _TRUE:
            return True
        if text in _FALSE:
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
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError("Enter a date as YYYY-MM-DD.") from exc
    if len(text) > 2000:
        raise ValueError("Keep the answer under 2,000 characters.")
    return text


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list | tuple):
        return all(_is_blank(v) for v in raw)
    return isinstance(raw, str) and not raw.strip()


# ---------------------------------------------------------------------------------------------
# Enablement


def _compare(left: Any, op: str, right: Any) -> bool:
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


def _normalize(value: Any) -> Any:
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
            return all(_compare(a, "!=", cond.answer) for a in answer)
        return any(_compare(a, cond.operator, cond.answer) for a in answer)
    return _compare(_normalize(answer), cond.operator, _normalize(cond.answer))


def _expression_holds(item: Item, facts: CaseFacts) -> bool:
    for fact, op, literal in item.expression:
        if fact == "age":
            if not _compare(facts.age, op, int(literal)):
                return False
        elif fact == "sex":
            if not _compare(facts.sex.upper(), op, literal.upper()):
                return False
        elif not _compare(facts.procedure, op, literal):
            return False
    return True


def _enabled(item: Item, answers: Mapping[str, Any], facts: CaseFacts, enabled: set[str]) -> bool:
    if item.parent is not None and item.parent not in enabled:
        return False
    if not _expression_holds(item, facts):
        return False
    if not item.enable_when:
        return True
    results = (_enable_condition_holds(c, answers) for c in item.enable_when)
    return all(results) if item.enable_behavior == "all" else any(results)


# ---------------------------------------------------------------------------------------------
# Criteria


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
    return _compare(_normalize(value), op, _normalize(expected))


def _holds(cond: Mapping[str, Any], answers: Mapping[str, Any], facts: CaseFacts) -> bool:
    if "all" in cond:
        return all(_holds(c, answers, facts) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, answers, facts) for c in cond["any"])
    if "not" in cond:
        return not _holds(cond["not"], answers, facts)
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


def _unmet_parts(cond: Mapping[str, Any], answers, facts, pathway) -> list[str]:
    """The smallest failing pieces of a condition, described in words."""
    if "all" in cond:
        parts: list[str] = []
        for sub in cond["all"]:
            parts.extend(_unmet_parts(sub, answers, facts, pathway))
        return parts
    if _holds(cond, answers, facts):
        return []
    return [describe_condition(cond, pathway)]


def _fails_on_facts(cond: Mapping[str, Any], answers, facts) -> bool:
    """Whether a part of the condition that every answer must meet is about the patient (age,
    sex, diagnosis, procedure, prior imaging), not an answer, and fails: no answer can help."""
    if "all" in cond:
        return any(_fails_on_facts(sub, answers, facts) for sub in cond["all"])
    fact = cond.get("fact")
    return fact is not None and not fact.startswith("answer:") and not _holds(cond, answers, facts)


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate(
    pathway: CompiledPathway, raw_answers: Mapping[str, Any], facts: CaseFacts
) -> Evaluation:
    """Enabled questions, parsed answers, errors and (when complete and valid) the outcome.

    Answers to questions that are not enabled are dropped before anything uses them.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    enabled_ids: set[str] = set()
    enabled: list[Item] = []
    for item in pathway.items:  # document order: conditions only look backwards
        if not _enabled(item, answers, facts, enabled_ids):
            continue
        enabled_ids.add(item.link_id)
        enabled.append(item)
        if not item.is_question:
            continue
        raw = raw_answers.get(item.link_id)
        if _is_blank(raw):
            if item.required:
                errors[item.link_id] = "Please answer this question."
            continue
        try:
            answers[item.link_id] = _parse(item, raw)
        except ValueError as exc:
            errors[item.link_id] = str(exc)
    dropped = tuple(
        sorted(k for k in raw_answers if k not in enabled_ids and not _is_blank(raw_answers[k]))
    )
    complete = not errors
    if not complete:
        return Evaluation(
            tuple(enabled), answers, errors, False, dropped=dropped, drivers=pathway.drivers
        )
    met = tuple(r for r in pathway.rules if _holds(r.when, answers, facts))
    if met:
        return Evaluation(
            tuple(enabled),
            answers,
            errors,
            True,
            Outcome.MEETS_CRITERIA,
            met=met,
            dropped=dropped,
            drivers=pathway.drivers,
        )
    unmet = tuple(
        UnmetRule(
            r.id,
            r.reason,
            r.guideline,
            tuple(_unmet_parts(r.when, answers, facts, pathway)),
            applies=not _fails_on_facts(r.when, answers, facts),
        )
        for r in pathway.rules
    )
    return Evaluation(
        tuple(enabled),
        answers,
        errors,
        True,
        Outcome.NEEDS_REVIEW,
        unmet=unmet,
        dropped=dropped,
        drivers=pathway.drivers,
    )
