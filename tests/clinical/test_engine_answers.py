"""Parsing raw answers and enabling questions (clinical/engine/answers.py): no database."""

from datetime import date
from decimal import Decimal

import pytest

from clinical.engine import CaseFacts, Item, Option
from clinical.engine.answers import (
    compare,
    is_blank,
    is_enabled,
    normalize,
    parse_answer,
)
from clinical.engine.model import EnableWhen

WEEKS = Item("weeks", "Weeks of treatment", "integer", min_value=Decimal(1), max_value=Decimal(52))
DOSE = Item("dose", "Dose (mg/kg)", "decimal", min_value=Decimal("0.5"), max_value=Decimal("2.5"))
COUNT = Item("count", "How many", "integer")  # no bounds
FLAG = Item("flag", "Any fever?", "boolean")
SIDE = Item(
    "side", "Which knee", "choice", options=(Option("left", "Left"), Option("right", "Right"))
)
SYMPTOMS = Item(
    "symptoms",
    "Symptoms",
    "choice",
    repeats=True,
    options=(
        Option("pain", "Pain"),
        Option("swelling", "Swelling"),
        Option("none", "None of these"),
    ),
)
STUDIED = Item("studied", "Date of the prior study", "date")
NOTE = Item("note", "Anything else", "string")


@pytest.mark.parametrize(
    ("item", "raw", "expected"),
    [
        (WEEKS, "52", 52),  # the maximum itself is allowed
        (WEEKS, "1", 1),  # and the minimum
        (WEEKS, " 6 ", 6),
        (WEEKS, "6.0", 6),  # a whole number written with a decimal point
        (WEEKS, ["3", "7"], 7),  # a field posted twice: the last value, as Django's QueryDict
        (COUNT, "-4", -4),
        (COUNT, "999999999999999", 999_999_999_999_999),  # 15 digits
        (DOSE, "2.5", Decimal("2.5")),
        (DOSE, "0.5", Decimal("0.5")),
        (DOSE, "1.25", Decimal("1.25")),
        (DOSE, "1", Decimal("1")),
    ],
)
def test_numbers_within_their_bounds_are_accepted(item, raw, expected):
    value = parse_answer(item, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("item", "raw", "message"),
    [
        (WEEKS, "53", "Enter 52 or less."),
        (WEEKS, "0", "Enter 1 or more."),
        (WEEKS, "52.5", "Enter a whole number."),
        (WEEKS, "six", "Enter a whole number."),
        (WEEKS, "", "Enter a whole number."),
        (DOSE, "2.51", "Enter 2.5 or less."),
        (DOSE, "0.49", "Enter 0.5 or more."),
        (DOSE, "two", "Enter a number."),
        (DOSE, "NaN", "Enter a number."),
        (DOSE, "Infinity", "Enter a number."),
        (COUNT, "1" * 31, "Enter a smaller number."),  # too long to read
        (COUNT, "1" * 17, "Enter a smaller number."),  # 17 digits
        (COUNT, "1e16", "Enter a smaller number."),
    ],
)
def test_numbers_out_of_bounds_or_malformed_are_refused(item, raw, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        parse_answer(item, raw)


def test_thirty_characters_are_still_read():
    assert parse_answer(COUNT, "0" * 29 + "7") == 7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/10/2026", date(2026, 3, 10)),
        ("3/1/2026", date(2026, 3, 1)),
        ("02/29/2024", date(2024, 2, 29)),
        ("2026-03-10", date(2026, 3, 10)),
        (" 03/10/2026 ", date(2026, 3, 10)),
    ],
)
def test_dates_are_read_as_mm_dd_yyyy_or_iso(raw, expected):
    assert parse_answer(STUDIED, raw) == expected


@pytest.mark.parametrize("raw", ["02/30/2026", "02/29/2025", "13/01/2026", "2026-02-30", "soon"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(ValueError, match=r"^Enter a real date as MM/DD/YYYY\.$"):
        parse_answer(STUDIED, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        (" Yes ", True),
        ("true", True),
        ("on", True),
        ("1", True),
        ("y", True),
        ("no", False),
        ("NO", False),
        ("false", False),
        ("off", False),
        ("0", False),
        ("n", False),
        (["yes", "no"], False),  # posted twice: the last one
    ],
)
def test_yes_no_answers(raw, expected):
    assert parse_answer(FLAG, raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "", "2", []])
def test_a_yes_no_answer_must_be_yes_or_no(raw):
    with pytest.raises(ValueError, match="^Answer yes or no.$"):
        parse_answer(FLAG, raw)


def test_a_choice_is_one_of_its_codes():
    assert parse_answer(SIDE, " left ") == "left"
    assert parse_answer(SIDE, ["left", "right"]) == "right"
    for wrong in ("Left", "both", ""):
        with pytest.raises(ValueError, match="^Choose one of the options given.$"):
            parse_answer(SIDE, wrong)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["pain", "swelling"], ("pain", "swelling")),
        (["swelling", "pain"], ("swelling", "pain")),  # in the order given
        (["pain", "", "  ", "swelling"], ("pain", "swelling")),  # blank entries are ignored
        ([" pain "], ("pain",)),
        (["pain", "pain"], ("pain",)),  # posted twice counts once
        (["none", "none"], ("none",)),  # "none of these" twice is still only that
        ("pain", ("pain",)),  # a single value
        (("pain", "swelling"), ("pain", "swelling")),
        (["", " "], ()),
    ],
)
def test_multi_select_answers(raw, expected):
    assert parse_answer(SYMPTOMS, raw) == expected


def test_a_multi_select_refuses_unknown_codes():
    with pytest.raises(ValueError, match="^Choose from the options given.$"):
        parse_answer(SYMPTOMS, ["pain", "fever"])


def test_none_of_these_cannot_be_chosen_with_another_answer():
    with pytest.raises(ValueError, match="^“None of these” cannot be chosen with another answer.$"):
        parse_answer(SYMPTOMS, ["none", "pain"])
    assert parse_answer(SYMPTOMS, ["none"]) == ("none",)


def test_free_text_is_trimmed_and_limited():
    assert parse_answer(NOTE, "  two weeks  ") == "two weeks"
    assert parse_answer(NOTE, ["first", "second"]) == "second"
    assert parse_answer(NOTE, "x" * 2000) == "x" * 2000
    with pytest.raises(ValueError, match="^Keep the answer under 2,000 characters.$"):
        parse_answer(NOTE, "x" * 2001)


@pytest.mark.parametrize(
    ("raw", "blank"),
    [
        (None, True),
        ("", True),
        ("  ", True),
        ([], True),
        (["", " "], True),
        ((), True),
        (["", "pain"], False),
        ("no", False),
        (False, False),  # a yes/no answered "no" is an answer
        (0, False),
    ],
)
def test_is_blank(raw, blank):
    assert is_blank(raw) is blank


@pytest.mark.parametrize(
    ("left", "op", "right", "expected"),
    [
        (5, "=", 5, True),
        (5, "eq", 6, False),
        (5, "!=", 6, True),
        (5, "ne", 5, False),
        (6, ">", 5, True),
        (5, "gt", 5, False),
        (4, "<", 5, True),
        (5, "lt", 5, False),
        (5, ">=", 5, True),
        (4, "gte", 5, False),
        (5, "<=", 5, True),
        (6, "lte", 5, False),
        (None, ">", 5, False),
        (5, "<", None, False),
        (None, ">=", None, False),
        (None, "=", None, True),
        (None, "!=", 5, True),
        ("a", ">", 5, False),  # incomparable: not met, never an error
        (5, "~", 5, False),  # an unknown operator holds for nothing
    ],
)
def test_compare(left, op, right, expected):
    assert compare(left, op, right) is expected


def test_normalize_makes_numbers_comparable_and_keeps_the_rest():
    assert normalize(True) is True  # a yes/no stays a yes/no, not 1
    assert normalize(3) == Decimal(3) and isinstance(normalize(3), Decimal)
    assert normalize(0.1) == Decimal("0.1")  # through str: not 0.1000000000000000055...
    assert normalize("left") == "left"
    assert normalize(date(2026, 1, 1)) == date(2026, 1, 1)


FACTS = CaseFacts(age=40, sex="F", procedure="73721")


def _enabled(item, answers, facts=FACTS, enabled=frozenset({"parent"})):
    return is_enabled(item, answers, facts, set(enabled))


def _when(*conditions, behavior="all", **kwargs):
    return Item("q", "Q", "boolean", enable_when=conditions, enable_behavior=behavior, **kwargs)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (EnableWhen("flag", "=", True), {"flag": True}, True),
        (EnableWhen("flag", "=", True), {"flag": False}, False),
        (EnableWhen("flag", "=", True), {}, False),  # a question not answered enables nothing
        (EnableWhen("flag", "!=", True), {}, False),
        (EnableWhen("flag", "exists", True), {"flag": False}, True),
        (EnableWhen("flag", "exists", True), {}, False),
        (EnableWhen("flag", "exists", False), {}, True),
        (EnableWhen("flag", "exists", False), {"flag": True}, False),
        (EnableWhen("weeks", ">=", Decimal(6)), {"weeks": 6}, True),
        (EnableWhen("weeks", ">", Decimal(6)), {"weeks": 6}, False),
        (EnableWhen("weeks", "<", Decimal(6)), {"weeks": 5}, True),
        (EnableWhen("weeks", "<=", Decimal(6)), {"weeks": 7}, False),
        # A repeating answer: "=" when any answer is it, "!=" when none is (FHIR).
        (EnableWhen("symptoms", "=", "pain"), {"symptoms": ("swelling", "pain")}, True),
        (EnableWhen("symptoms", "=", "pain"), {"symptoms": ("swelling",)}, False),
        (EnableWhen("symptoms", "!=", "pain"), {"symptoms": ("swelling",)}, True),
        (EnableWhen("symptoms", "!=", "pain"), {"symptoms": ("swelling", "pain")}, False),
    ],
)
def test_enable_when(condition, answers, expected):
    assert _enabled(_when(condition), answers) is expected


def test_enable_behavior_all_or_any():
    first, second = EnableWhen("a", "=", True), EnableWhen("b", "=", True)
    one = {"a": True, "b": False}
    assert _enabled(_when(first, second), one) is False
    assert _enabled(_when(first, second, behavior="any"), one) is True
    assert _enabled(_when(first, second, behavior="any"), {"a": False, "b": False}) is False
    assert _enabled(_when(first, second), {"a": True, "b": True}) is True


def test_a_question_under_a_hidden_group_is_hidden():
    child = Item("q", "Q", "boolean", parent="parent")
    assert _enabled(child, {}) is True
    assert _enabled(child, {}, enabled=set()) is False
    assert _enabled(Item("q", "Q", "boolean"), {}, enabled=set()) is True  # top level


@pytest.mark.parametrize(
    ("expression", "facts", "expected"),
    [
        ((("age", ">=", "19"),), CaseFacts(age=19), True),
        ((("age", ">=", "19"),), CaseFacts(age=18), False),
        ((("age", "<", "19"), ("sex", "=", "F")), CaseFacts(age=12, sex="F"), True),
        ((("age", "<", "19"), ("sex", "=", "F")), CaseFacts(age=12, sex="M"), False),
        ((("age", "<", "19"), ("sex", "=", "F")), CaseFacts(age=30, sex="F"), False),
        ((("sex", "=", "f"),), CaseFacts(age=30, sex="F"), True),  # letter case aside
        ((("sex", "!=", "F"),), CaseFacts(age=30, sex="m"), True),
        ((("procedure", "=", "71271"),), CaseFacts(age=60, procedure="71271"), True),
        ((("procedure", "=", "71271"),), CaseFacts(age=60, procedure="71250"), False),
    ],
)
def test_enable_when_expression(expression, facts, expected):
    item = Item("q", "Q", "boolean", expression=expression)
    assert _enabled(item, {}, facts=facts) is expected
