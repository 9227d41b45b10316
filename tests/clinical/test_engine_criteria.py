"""Criteria (clinical/engine/criteria.py): every operator the engine offers, at its bounds, and the
words reviewers read for what was not met. No database."""

from datetime import date
from decimal import Decimal

import pytest

from clinical.engine import CaseFacts, Outcome, compile_pathway, evaluate
from clinical.engine.criteria import (
    describe_condition,
    fails_on_facts,
    holds,
    is_excluded,
    unmet_parts,
)

AS_OF = date(2026, 6, 1)
QUESTIONNAIRE = {
    "resourceType": "Questionnaire",
    "status": "active",
    "item": [
        {"linkId": "flag", "text": "Fever", "type": "boolean"},
        {
            "linkId": "side",
            "text": "Which knee",
            "type": "choice",
            "answerOption": [
                {"valueCoding": {"code": "left", "display": "Left knee"}},
                {"valueCoding": {"code": "right", "display": "Right knee"}},
            ],
        },
        {
            "linkId": "symptoms",
            "text": "Symptoms",
            "type": "choice",
            "repeats": True,
            "answerOption": [
                {"valueCoding": {"code": "pain", "display": "Pain at rest"}},
                {"valueCoding": {"code": "swelling", "display": "Swelling"}},
                {"valueCoding": {"code": "fever", "display": "Fever"}},
            ],
        },
        {"linkId": "weeks", "text": "Weeks of treatment", "type": "integer"},
        {"linkId": "dose", "text": "Dose", "type": "decimal"},
        {"linkId": "note", "text": "Other", "type": "string"},
        {
            "linkId": "prior",
            "text": "Date of the prior study",
            "type": "date",
            "extension": [{"url": "urn:precert-portal:prior-study-date", "valueBoolean": True}],
        },
    ],
}
PATHWAY = compile_pathway(
    QUESTIONNAIRE,
    [{"id": "ANY", "reason": "r", "when": {"fact": "answer:flag", "op": "eq", "value": True}}],
)
ANSWERS = {
    "flag": True,
    "side": "left",
    "symptoms": ("pain", "swelling"),
    "weeks": 6,
    "dose": Decimal("1.5"),
    "note": "two weeks",
}
FACTS = CaseFacts(
    age=18,
    sex="F",
    diagnoses=("M17.11", "E11.9"),
    days_since_prior_imaging=365,
    procedure="73721",
    as_of=AS_OF,
)
ASKED = frozenset(ANSWERS) | {"prior"}


def leaf(fact, op, value=None):
    cond = {"fact": fact, "op": op}
    if value is not None:
        cond["value"] = value
    return cond


def answer(link, op, value=None):
    return leaf(f"answer:{link}", op, value)


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        # A number, at and either side of each bound.
        (answer("weeks", "eq", 6), True),
        (answer("weeks", "eq", 7), False),
        (answer("weeks", "ne", 7), True),
        (answer("weeks", "ne", 6), False),
        (answer("weeks", "gt", 5), True),
        (answer("weeks", "gt", 6), False),
        (answer("weeks", "gte", 6), True),
        (answer("weeks", "gte", 7), False),
        (answer("weeks", "lt", 7), True),
        (answer("weeks", "lt", 6), False),
        (answer("weeks", "lte", 6), True),
        (answer("weeks", "lte", 5), False),
        (answer("weeks", "in", [5, 6]), True),
        (answer("weeks", "in", [7, 8]), False),
        (answer("weeks", "not_in", [7, 8]), True),
        (answer("weeks", "not_in", [5, 6]), False),
        (answer("weeks", "exists"), True),
        (answer("weeks", "not_exists"), False),
        (answer("dose", "gt", 1.25), True),  # a decimal against a JSON float
        (answer("dose", "gte", 1.5), True),
        (answer("dose", "lt", 1.5), False),
        # Yes/no, a single choice and text.
        (answer("flag", "eq", True), True),
        (answer("flag", "eq", False), False),
        (answer("flag", "ne", True), False),
        (answer("side", "eq", "left"), True),
        (answer("side", "in", ["left", "right"]), True),
        (answer("side", "in", ["right"]), False),
        (answer("side", "not_in", ["right"]), True),
        (answer("side", "contains", "left"), True),  # a single answer is a one-answer list
        (answer("side", "contains", "right"), False),
        (answer("note", "eq", "two weeks"), True),
        # Facts of the case.
        (leaf("age", "gte", 18), True),
        (leaf("age", "gte", 19), False),
        (leaf("age", "lt", 18), False),
        (leaf("age", "lt", 19), True),
        (leaf("age", "lte", 18), True),
        (leaf("sex", "eq", "F"), True),
        (leaf("sex", "ne", "F"), False),
        (leaf("procedure", "eq", "73721"), True),
        (leaf("procedure", "in", ["73721", "73722"]), True),
        (leaf("procedure", "in", ["73722"]), False),
        (leaf("days_since_prior_imaging", "gte", 365), True),
        (leaf("days_since_prior_imaging", "gte", 366), False),
        (leaf("days_since_prior_imaging", "exists"), True),
    ],
)
def test_every_operator_on_answers_and_facts(cond, expected):
    assert holds(cond, ANSWERS, FACTS, ASKED) is expected


@pytest.mark.parametrize(
    ("cond", "chosen", "expected"),
    [
        (answer("symptoms", "contains", "pain"), ("pain", "swelling"), True),
        (answer("symptoms", "contains", "fever"), ("pain", "swelling"), False),
        # "eq" is "the only answer": a second answer beside it is not the same patient.
        (answer("symptoms", "eq", "pain"), ("pain",), True),
        (answer("symptoms", "eq", "pain"), ("pain", "fever"), False),
        (answer("symptoms", "eq", "pain"), ("swelling",), False),
        # "ne" and "not_in": not chosen at all (not "one answer differs").
        (answer("symptoms", "ne", "fever"), ("pain", "swelling"), True),
        (answer("symptoms", "ne", "fever"), ("pain", "fever"), False),
        (answer("symptoms", "not_in", ["fever"]), ("pain", "swelling"), True),
        (answer("symptoms", "not_in", ["fever", "swelling"]), ("pain", "swelling"), False),
        # "in": nothing chosen outside the list.
        (answer("symptoms", "in", ["pain", "swelling"]), ("pain", "swelling"), True),
        (answer("symptoms", "in", ["pain", "swelling"]), ("pain", "fever"), False),
        (answer("symptoms", "exists"), ("pain",), True),
    ],
)
def test_a_comparison_over_a_multi_select_holds_only_for_every_answer(cond, chosen, expected):
    answers = {**ANSWERS, "symptoms": chosen}
    assert holds(cond, answers, FACTS, ASKED) is expected


def test_no_approval_follows_from_one_answer_of_several():
    # Each comparison an author could write over a multi-select is met for a patient with pain
    # only, and no longer once fever is chosen beside it.
    rules = [
        answer("symptoms", op, value)
        for op, value in [
            ("eq", "pain"),
            ("ne", "fever"),
            ("in", ["pain"]),
            ("not_in", ["fever"]),
        ]
    ]
    pain_only = {**ANSWERS, "symptoms": ("pain",)}
    pain_and_fever = {**ANSWERS, "symptoms": ("pain", "fever")}
    for rule in rules:
        assert holds(rule, pain_only, FACTS, ASKED) is True, rule
        assert holds(rule, pain_and_fever, FACTS, ASKED) is False, rule


OPS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists", "not_exists"]


@pytest.mark.parametrize("op", OPS)
def test_a_blank_answer_is_unknown_for_every_operator(op):
    value = None if op in ("exists", "not_exists") else ([1] if "in" in op else 1)
    cond = answer("weeks", op, value)
    blank = {k: v for k, v in ANSWERS.items() if k != "weeks"}
    assert holds(cond, blank, FACTS, ASKED) is None  # asked and left blank
    assert holds(cond, blank, FACTS) is None  # nothing says what was asked
    assert holds({"not": cond}, blank, FACTS, ASKED) is None
    assert holds(cond, {**ANSWERS, "weeks": ()}, FACTS, ASKED) is None  # an empty list


@pytest.mark.parametrize("op", OPS)
def test_a_question_not_asked_meets_nothing(op):
    value = None if op in ("exists", "not_exists") else ([1] if "in" in op else 1)
    cond = answer("weeks", op, value)
    blank = {k: v for k, v in ANSWERS.items() if k != "weeks"}
    # Its branch does not apply: known, so only "is not answered" holds.
    assert holds(cond, blank, FACTS, ASKED - {"weeks"}) is (op == "not_exists")


@pytest.mark.parametrize(
    "cond",
    [
        leaf("days_since_prior_imaging", "gte", 1),
        leaf("days_since_prior_imaging", "lt", 10_000),
        leaf("days_since_prior_imaging", "exists"),
        leaf("days_since_prior_imaging", "not_exists"),
    ],
)
def test_an_interval_not_given_is_unknown(cond):
    facts = CaseFacts(age=18, as_of=AS_OF)
    assert holds(cond, ANSWERS, facts, ASKED) is None
    assert holds({"not": cond}, ANSWERS, facts, ASKED) is None


def diagnosis(op, value=None, codes=("M17.11", "E11.9")):
    facts = CaseFacts(age=60, diagnoses=codes, as_of=AS_OF)
    return holds(leaf("diagnosis", op, value), {}, facts, ASKED)


@pytest.mark.parametrize(
    ("codes", "low_high", "expected"),
    [
        (("C00.0",), ["C00", "C96"], True),  # the first code of the first category
        (("C96.9",), ["C00", "C96"], True),  # the last code of the last category
        (("C96.A",), ["C00", "C96"], True),
        (("C97",), ["C00", "C96"], False),
        (("B99.9",), ["C00", "C96"], False),
        (("D00.0",), ["C00", "C96"], False),
        (("c50.911",), ["C00", "C96"], True),  # letter case and the dot aside
        (("Z85.3", "C34.11"), ["C00", "C96"], True),  # any of the case's codes
        (("C34.11",), ["C34", "C34"], True),  # one category
        (("C34",), ["C34", "C34"], True),
        (("C33",), ["C34", "C34"], False),
        (("M17.11",), ["M17.11", "M17.2"], True),  # a low bound finer than the high one
        (("M17.12",), ["M17.11", "M17.2"], True),
        (("M17.29",), ["M17.11", "M17.2"], True),
        (("M17.10",), ["M17.11", "M17.2"], False),
        (("M17.3",), ["M17.11", "M17.2"], False),
        (("M17.0",), ["M17.0", "M17.9"], True),
        (("M17.9",), ["M17.0", "M17.9"], True),
        (("C50.9",), ["C96", "C00"], False),  # a range written backwards holds for nothing
        (("C96.9",), ["C96", "C9"], False),
        ((), ["C00", "C96"], False),  # no diagnosis: known, and not in the range
    ],
)
def test_a_diagnosis_range_is_inclusive_at_both_ends(codes, low_high, expected):
    assert diagnosis("range", low_high, codes) is expected


@pytest.mark.parametrize(
    ("op", "value", "codes", "expected"),
    [
        ("prefix", "M17", ("M17.11",), True),
        ("prefix", ["Z85", "C"], ("E11.9", "Z85.3"), True),
        ("prefix", "m17.1", ("M17.11",), True),
        ("prefix", "M17.2", ("M17.11",), False),
        ("prefix", ["Z85"], (), False),
        ("in", ["M17.11", "M17.12"], ("E11.9", "M17.11"), True),
        ("in", ["M1711"], ("m17.11",), True),
        ("in", ["M17.1"], ("M17.11",), False),  # whole codes, not prefixes
        ("eq", "E11.9", ("E11.9",), True),
        ("eq", "E11", ("E11.9",), False),
        ("exists", None, ("E11.9",), True),
        ("exists", None, (), False),  # the list of codes is always known
        ("not_exists", None, (), True),
        ("not_exists", None, ("E11.9",), False),
        ("gt", "A00", ("E11.9",), None),  # no meaning for codes: unknown, and so is its "not"
    ],
)
def test_diagnosis_operators(op, value, codes, expected):
    assert diagnosis(op, value, codes) is expected


T, F, U = (
    answer("flag", "eq", True),
    answer("flag", "eq", False),
    leaf("days_since_prior_imaging", "gte", 1),
)


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        ({"all": [T, T]}, True),
        ({"all": [T, F]}, False),
        ({"all": [U, F]}, False),  # one part not met is enough, unknowns aside
        ({"all": [T, U]}, None),
        ({"any": [F, T]}, True),
        ({"any": [U, T]}, True),
        ({"any": [F, F]}, False),
        ({"any": [F, U]}, None),
        ({"not": T}, False),
        ({"not": F}, True),
        ({"not": U}, None),
        ({"not": {"all": [T, U]}}, None),
    ],
)
def test_combinations_are_three_valued(cond, expected):
    facts = CaseFacts(age=18, as_of=AS_OF)
    assert holds(cond, ANSWERS, facts, ASKED) is expected


@pytest.mark.parametrize(
    ("cond", "words"),
    [
        (answer("flag", "eq", True), '"Fever": yes'),
        (answer("flag", "eq", False), '"Fever": no'),
        (answer("flag", "ne", True), '"Fever": no'),
        (answer("flag", "ne", False), '"Fever": yes'),
        (answer("side", "eq", "left"), '"Which knee" is Left knee'),
        (answer("side", "ne", "left"), '"Which knee" is not Left knee'),
        (answer("side", "in", ["left", "right"]), '"Which knee" is one of Left knee, Right knee'),
        (answer("side", "not_in", ["right"]), '"Which knee" is none of Right knee'),
        (answer("symptoms", "contains", "pain"), '"Symptoms" includes Pain at rest'),
        (answer("symptoms", "eq", "pain"), '"Symptoms" is only Pain at rest'),
        (answer("symptoms", "ne", "fever"), '"Symptoms" does not include Fever'),
        (
            answer("symptoms", "in", ["pain", "fever"]),
            '"Symptoms" includes only Pain at rest, Fever',
        ),
        (answer("symptoms", "not_in", ["fever"]), '"Symptoms" includes none of Fever'),
        (answer("weeks", "gt", 6), '"Weeks of treatment" is more than 6'),
        (answer("weeks", "gte", 6), '"Weeks of treatment" is at least 6'),
        (answer("weeks", "lt", 6), '"Weeks of treatment" is less than 6'),
        (answer("weeks", "lte", 6), '"Weeks of treatment" is at most 6'),
        (answer("weeks", "in", [2, 3]), '"Weeks of treatment" is one of 2, 3'),
        (answer("dose", "gte", 1.5), '"Dose" is at least 1.5'),
        (answer("note", "exists"), '"Other" is answered'),
        (answer("note", "not_exists"), '"Other" is not answered'),
        (leaf("age", "gte", 18), "age is at least 18"),
        (leaf("sex", "eq", "F"), "sex is F"),
        (leaf("procedure", "in", ["73721", "73722"]), "the procedure code is one of 73721, 73722"),
        (leaf("days_since_prior_imaging", "gte", 365), "days since prior imaging is at least 365"),
        (leaf("diagnosis", "range", ["C00", "C96"]), "a diagnosis code is within C00 to C96"),
        (leaf("diagnosis", "prefix", ["Z85", "C"]), "a diagnosis code starts with Z85, C"),
        (leaf("diagnosis", "prefix", "Z85"), "a diagnosis code starts with Z85"),
        (leaf("diagnosis", "eq", "E11.9"), "a diagnosis code is E11.9"),
        (leaf("diagnosis", "exists"), "a diagnosis code is answered"),
        ({"not": answer("flag", "eq", True)}, 'not ("Fever": yes)'),
        (
            {"all": [leaf("age", "gte", 18), answer("flag", "eq", False)]},
            'age is at least 18 and "Fever": no',
        ),
        (
            {
                "any": [
                    answer("symptoms", "contains", "pain"),
                    answer("symptoms", "contains", "fever"),
                ]
            },
            '"Symptoms" includes one of: Pain at rest, Fever',
        ),
        (
            {"any": [answer("side", "eq", "left"), answer("side", "eq", "right")]},
            '"Which knee" is one of: Left knee, Right knee',
        ),
        (
            {"any": [leaf("procedure", "eq", "73721"), leaf("procedure", "eq", "73722")]},
            "the procedure code is one of: 73721, 73722",
        ),
        (
            # "only pain" or "only fever" is not "one of pain, fever": written out.
            {"any": [answer("symptoms", "eq", "pain"), answer("symptoms", "eq", "fever")]},
            'one of: "Symptoms" is only Pain at rest / "Symptoms" is only Fever',
        ),
        (
            {"any": [answer("flag", "eq", True), answer("flag", "eq", False)]},
            'one of: "Fever": yes / "Fever": no',
        ),
        (
            {"any": [answer("weeks", "gte", 6), leaf("age", "lt", 18)]},
            'one of: "Weeks of treatment" is at least 6 / age is less than 18',
        ),
        (
            {"any": [answer("weeks", "gte", 6), answer("weeks", "gte", 8)]},
            'one of: "Weeks of treatment" is at least 6 / "Weeks of treatment" is at least 8',
        ),
        (
            {"any": [{"all": [T, F]}, {"all": [T, T]}]},
            'one of: "Fever": yes and "Fever": no / "Fever": yes and "Fever": yes',
        ),
    ],
)
def test_the_words_for_each_condition(cond, words):
    assert describe_condition(cond, PATHWAY) == words


def test_unmet_parts_name_only_what_failed():
    when = {
        "all": [
            leaf("age", "gte", 18),  # met: not named
            answer("weeks", "gte", 8),
            {"any": [answer("flag", "eq", False), answer("side", "eq", "right")]},
            leaf("days_since_prior_imaging", "gte", 365),
        ]
    }
    facts = CaseFacts(age=18, as_of=AS_OF)  # no interval
    assert unmet_parts(when, ANSWERS, facts, PATHWAY, ASKED) == [
        '"Weeks of treatment" is at least 8',
        'one of: "Fever": no / "Which knee" is Right knee',
        "days since prior imaging is at least 365 (not known)",
    ]
    assert unmet_parts(leaf("age", "gte", 18), ANSWERS, facts, PATHWAY, ASKED) == []
    assert unmet_parts(answer("weeks", "gte", 8), {}, facts, PATHWAY) == [
        '"Weeks of treatment" is at least 8 (not known)'
    ]


@pytest.mark.parametrize(
    ("cond", "answers", "drivers", "excluded"),
    [
        (leaf("age", "lt", 18), ANSWERS, (), True),  # a fact about the patient fails
        (leaf("age", "gte", 18), ANSWERS, (), False),
        (leaf("diagnosis", "prefix", "C"), ANSWERS, (), True),
        (answer("note", "eq", "x"), {}, (), True),  # a question that was not asked
        (answer("weeks", "gte", 8), ANSWERS, (), False),  # answered, not met: still applies
        (answer("weeks", "gte", 8), {}, (), False),  # asked, left blank
        (answer("side", "eq", "right"), ANSWERS, {"side"}, True),  # another answer of a driver
        (answer("side", "in", ["right"]), ANSWERS, {"side"}, True),
        (answer("side", "eq", "left"), ANSWERS, {"side"}, False),
        (answer("side", "ne", "left"), ANSWERS, {"side"}, False),  # not a branch choice
        (answer("side", "eq", "right"), ANSWERS, (), False),  # not a driver
        (leaf("days_since_prior_imaging", "gte", 400), ANSWERS, (), False),  # too early
        ({"not": leaf("age", "gte", 18)}, ANSWERS, (), False),
        ({"all": [leaf("age", "gte", 18), leaf("sex", "eq", "M")]}, ANSWERS, (), True),
        ({"all": [leaf("age", "gte", 18), answer("weeks", "gte", 8)]}, ANSWERS, (), False),
        ({"any": [leaf("age", "lt", 18), leaf("sex", "eq", "M")]}, ANSWERS, (), True),
        ({"any": [leaf("age", "lt", 18), answer("weeks", "gte", 8)]}, ANSWERS, (), False),
    ],
)
def test_is_excluded(cond, answers, drivers, excluded):
    asked = set(ANSWERS) - {"note"}
    assert is_excluded(cond, answers, FACTS, asked, drivers) is excluded


def test_without_the_questions_asked_an_answer_is_never_excluded():
    assert is_excluded(answer("note", "eq", "x"), {}, FACTS) is False
    assert fails_on_facts(leaf("age", "lt", 18), {}, FACTS) is True
    assert fails_on_facts(answer("note", "eq", "x"), {}, FACTS, set()) is True
    assert fails_on_facts(answer("side", "eq", "right"), ANSWERS, FACTS, ASKED) is False


RULES = [
    {
        "id": "ADULT",
        "reason": "Adult with knee pain after treatment",
        "guideline": "Knee 1.2",
        "when": {"all": [leaf("age", "gte", 18), answer("weeks", "gte", 6)]},
    },
    {
        "id": "CHILD",
        "reason": "Child or adolescent",
        "guideline": "Knee 3.1",
        "when": {"all": [leaf("age", "lt", 18), answer("flag", "eq", True)]},
    },
]


def test_the_reasons_a_reviewer_reads():
    compiled = compile_pathway(QUESTIONNAIRE, RULES)
    adult = CaseFacts(age=40, as_of=AS_OF)
    met = evaluate(compiled, {"weeks": "6"}, adult)
    assert met.outcome == Outcome.MEETS_CRITERIA
    assert met.reasons == ("Adult with knee pain after treatment (Knee 1.2)",)
    review = evaluate(compiled, {"weeks": "4", "flag": "yes"}, adult)
    assert review.outcome == Outcome.NEEDS_REVIEW
    # The child rule cannot apply to an adult: the reviewer does not read it.
    assert review.reasons == (
        'Adult with knee pain after treatment: not met ("Weeks of treatment" is at least 6)',
    )
    child = evaluate(compiled, {"weeks": "4", "flag": "no"}, CaseFacts(age=12, as_of=AS_OF))
    assert child.reasons == ('Child or adolescent: not met ("Fever": yes)',)
    unknown = evaluate(compiled, {}, adult)
    assert unknown.reasons == (
        "Adult with knee pain after treatment: not met "
        '("Weeks of treatment" is at least 6 (not known))',
    )
    nobody = compile_pathway(QUESTIONNAIRE, [RULES[1]])
    assert evaluate(nobody, {"flag": "yes"}, adult).reasons == (
        "No criterion of this pathway applies to the answers given.",
    )
