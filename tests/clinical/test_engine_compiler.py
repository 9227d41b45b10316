"""The compiler, field by field (no database): a small Questionnaire using every feature compiles
to exactly these items, options and rules; and what it must refuse, it refuses. Written for
`make mutate` (docs/mutation.md): the pathway tables test behaviour, this the compiled form."""

from datetime import date
from decimal import Decimal

import pytest

from clinical.engine import PathwayError, compile_pathway
from clinical.engine.model import (
    EMERGENCY_URL,
    ENABLE_WHEN_EXPRESSION_URL,
    MAX_VALUE_URL,
    MIN_VALUE_URL,
    PRIOR_STUDY_DATE_URL,
    EnableWhen,
    Item,
    Option,
    Rule,
)

QUESTIONNAIRE = {
    "resourceType": "Questionnaire",
    "url": "urn:test:knee",
    "title": "Test knee",
    "item": [
        {"linkId": "intro", "type": "display", "text": "About the knee"},
        {
            "linkId": "injury",
            "type": "boolean",
            "text": "Was there an injury?",
            "required": True,
        },
        {
            "linkId": "signs",
            "type": "choice",
            "text": "Which signs?",
            "repeats": True,
            "answerOption": [
                {"valueCoding": {"code": "swelling", "display": "Swelling"}},
                {"valueCoding": {"code": "lock"}},
                {"valueString": "other"},
                {
                    "valueCoding": {"code": "cold", "display": "Cold, pale leg"},
                    "extension": [{"url": EMERGENCY_URL, "valueString": "Go to the ED now."}],
                },
            ],
        },
        {
            "linkId": "details",
            "type": "group",
            "text": "Details",
            "enableWhen": [
                {"question": "injury", "operator": "=", "answerBoolean": True},
                {"question": "signs", "operator": "exists", "answerBoolean": False},
            ],
            "enableBehavior": "any",
            "item": [
                {
                    "linkId": "weeks",
                    "type": "integer",
                    "text": "Weeks of therapy",
                    "extension": [
                        {"url": MIN_VALUE_URL, "valueInteger": 0},
                        {"url": MAX_VALUE_URL, "valueInteger": 52},
                    ],
                    "enableWhen": [{"question": "injury", "operator": ">=", "answerInteger": 1}],
                },
                {
                    "linkId": "xray_on",
                    "type": "date",
                    "extension": [{"url": PRIOR_STUDY_DATE_URL, "valueBoolean": True}],
                    "enableWhen": [
                        {"question": "injury", "operator": "!=", "answerDate": "2026-01-02"}
                    ],
                },
            ],
        },
        {
            "linkId": "child",
            "type": "string",
            "text": "For a child",
            "extension": [
                {
                    "url": ENABLE_WHEN_EXPRESSION_URL,
                    "valueExpression": {"expression": "%age < 19 and %sex = 'F'"},
                }
            ],
        },
    ],
}
CRITERIA = [
    {
        "id": "R1",
        "reason": "Injury",
        "guideline": "G1",
        "when": {"fact": "answer:injury", "op": "eq", "value": True},
    },
    {
        "id": "R2",
        "reason": "Long therapy",
        "when": {
            "all": [
                {"fact": "answer:weeks", "op": "gte", "value": 6},
                {"not": {"fact": "age", "op": "lt", "value": 19}},
                {"any": [{"fact": "answer:signs", "op": "exists"}]},
            ]
        },
    },
]


def test_every_field_of_every_item_is_compiled():
    compiled = compile_pathway(QUESTIONNAIRE, CRITERIA)
    assert (compiled.key, compiled.title) == ("urn:test:knee", "Test knee")
    assert compiled.items == (
        Item("intro", "About the knee", "display"),
        Item("injury", "Was there an injury?", "boolean", required=True),
        Item(
            "signs",
            "Which signs?",
            "choice",
            repeats=True,
            options=(
                Option("swelling", "Swelling"),
                Option("lock", "lock"),  # no display: the code is shown
                Option("other", "other"),
                Option("cold", "Cold, pale leg", "Go to the ED now."),
            ),
        ),
        Item(
            "details",
            "Details",
            "group",
            enable_when=(
                EnableWhen("injury", "=", True),
                EnableWhen("signs", "exists", False),
            ),
            enable_behavior="any",
        ),
        Item(
            "weeks",
            "Weeks of therapy",
            "integer",
            enable_when=(EnableWhen("injury", ">=", Decimal(1)),),
            min_value=Decimal(0),
            max_value=Decimal(52),
            parent="details",
            depth=1,
        ),
        Item(
            "xray_on",
            "",
            "date",
            enable_when=(EnableWhen("injury", "!=", date(2026, 1, 2)),),
            parent="details",
            depth=1,
            prior_study_date=True,
        ),
        Item(
            "child",
            "For a child",
            "string",
            expression=(("age", "<", "19"), ("sex", "=", "F")),
        ),
    )
    assert compiled.by_link["weeks"] is compiled.items[4]
    assert compiled.drivers == frozenset({"injury", "signs"})
    assert compiled.prior_study_date_link == "xray_on"
    assert compiled.rules == (
        Rule("R1", "Injury", "G1", CRITERIA[0]["when"]),
        Rule("R2", "Long therapy", "", CRITERIA[1]["when"]),
    )


def test_the_key_falls_back_to_the_id_then_nothing_and_a_given_key_wins():
    no_url = {k: v for k, v in QUESTIONNAIRE.items() if k != "url"}
    assert compile_pathway({**no_url, "id": "knee-1"}, CRITERIA).key == "knee-1"
    assert compile_pathway(no_url, CRITERIA).key == ""
    assert compile_pathway(QUESTIONNAIRE, CRITERIA, key="given").key == "given"
    assert compile_pathway({k: v for k, v in no_url.items() if k != "title"}, []).title == ""


def _with_item(**changes):
    items = [dict(QUESTIONNAIRE["item"][1], **changes)]
    return {**QUESTIONNAIRE, "item": items}


@pytest.mark.parametrize(
    ("questionnaire", "criteria", "message"),
    [
        (_with_item(type="slider"), [], "injury"),
        (_with_item(linkId=""), [], ""),
        (
            {**QUESTIONNAIRE, "item": [QUESTIONNAIRE["item"][1], QUESTIONNAIRE["item"][1]]},
            [],
            "duplicate linkId injury",
        ),
        (
            _with_item(enableWhen=[{"question": "injury", "operator": "~", "answerBoolean": 1}]),
            [],
            "unknown enableWhen operator",
        ),
        (QUESTIONNAIRE, [CRITERIA[0], CRITERIA[0]], "R1"),
        (
            QUESTIONNAIRE,
            [{"id": "R3", "reason": "x", "when": {"fact": "answer:nope", "op": "eq", "value": 1}}],
            "nope",
        ),
        (QUESTIONNAIRE, [{"id": "R4", "reason": "x", "when": {"fact": "age", "op": "eq"}}], "R4"),
        (QUESTIONNAIRE, [{"id": "R5", "reason": "x", "when": {}}], "R5"),
        (QUESTIONNAIRE, [{"id": "R6", "reason": "x", "when": {"not": {}}}], "R6"),
    ],
)
def test_what_the_compiler_refuses(questionnaire, criteria, message):
    with pytest.raises(PathwayError, match=message):
        compile_pathway(questionnaire, criteria)


def test_exists_needs_no_value_and_a_later_question_cannot_enable_an_earlier_one():
    exists = {"id": "R7", "reason": "x", "when": {"fact": "answer:injury", "op": "exists"}}
    assert compile_pathway(QUESTIONNAIRE, [exists]).rules[0].id == "R7"
    backwards = {
        **QUESTIONNAIRE,
        "item": [
            dict(
                QUESTIONNAIRE["item"][1],
                enableWhen=[{"question": "injury", "operator": "=", "answerBoolean": True}],
            ),
        ],
    }
    with pytest.raises(PathwayError):
        compile_pathway(backwards, [])
    two_dates = {
        **QUESTIONNAIRE,
        "item": [
            {
                "linkId": d,
                "type": "date",
                "extension": [{"url": PRIOR_STUDY_DATE_URL, "valueBoolean": True}],
            }
            for d in ("a", "b")
        ],
    }
    with pytest.raises(PathwayError):
        compile_pathway(two_dates, [])
    one_date = {**two_dates, "item": two_dates["item"][:1]}
    off = {
        **two_dates,
        "item": [
            dict(
                two_dates["item"][0],
                extension=[{"url": PRIOR_STUDY_DATE_URL, "valueBoolean": False}],
            )
        ],
    }
    assert compile_pathway(one_date, []).prior_study_date_link == "a"
    assert compile_pathway(off, []).prior_study_date_link is None
