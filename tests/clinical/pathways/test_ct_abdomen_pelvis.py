"""CT abdomen and/or pelvis (74150-74178): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "ct-abdomen-pelvis"
ADULT = {"age": 45, "sex": "F"}
MAN = {"age": 45, "sex": "M"}
# Adult woman, not pregnant, right lower belly pain with fever: suspected appendicitis, meets.
RLQ = {
    "cancer": "false",
    "indication": "rlq_pain",
    "red_flags": ["fever"],
    "pregnant": "false",
}
LLQ = {**RLQ, "indication": "llq_pain", "llq_not_improving": "false"}
PAIN = {
    **RLQ,
    "indication": "abd_pain",
    "red_flags": ["none"],
    "labs": "normal",
    "ultrasound": "inconclusive",
}
STONE = {
    **RLQ,
    "indication": "flank_pain",
    "red_flags": ["none"],
    "ultrasound": "not_done",
    "stone_first": "true",
}
BLOOD = {
    **RLQ,
    "indication": "hematuria",
    "red_flags": ["none"],
    "hematuria_type": "gross",
    "uti_excluded": "true",
}
WEIGHT = {
    **RLQ,
    "indication": "weight_loss",
    "red_flags": ["none"],
    "labs": "abnormal",
    "weight_loss_pct": "7",
}
CANCER = {"cancer": "true", "cancer_context": "staging_new", "pregnant": "false"}
# A child with right lower belly pain: ultrasound first.
PEDS = {"cancer": "false", "indication": "rlq_pain", "red_flags": ["fever"]}


@pytest.mark.parametrize(
    ("name", "answers", "facts", "expect", "rule"),
    [
        ("right lower pain with fever", RLQ, ADULT, "meets_criteria", "CTAP-APPY"),
        (
            "right lower pain with raised white count",
            {**RLQ, "red_flags": ["high_wbc"]},
            ADULT,
            "meets_criteria",
            "CTAP-APPY",
        ),
        (
            "right lower pain without fever or raised white count",
            {**RLQ, "red_flags": ["none"]},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "pregnant: CT is not the first test",
            {**RLQ, "pregnant": "true"},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "a man is not asked about pregnancy",
            {k: v for k, v in RLQ.items() if k != "pregnant"},
            MAN,
            "meets_criteria",
            "CTAP-APPY",
        ),
        (
            "left lower pain with raised white count",
            {**LLQ, "red_flags": ["high_wbc"]},
            ADULT,
            "meets_criteria",
            "CTAP-DIVERT",
        ),
        (
            "left lower pain not improving on antibiotics",
            {**LLQ, "red_flags": ["none"], "llq_not_improving": "true"},
            ADULT,
            "meets_criteria",
            "CTAP-DIVERT",
        ),
        (
            "left lower pain, no fever, improving",
            {**LLQ, "red_flags": ["none"]},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "widespread pain with fever",
            {**PAIN, "red_flags": ["fever"], "labs": "not_done", "ultrasound": "not_done"},
            ADULT,
            "meets_criteria",
            "CTAP-PAIN-FEVER",
        ),
        (
            "signs of bowel blockage",
            {**PAIN, "red_flags": ["obstruction"], "labs": "not_done", "ultrasound": "not_done"},
            ADULT,
            "meets_criteria",
            "CTAP-SBO",
        ),
        (
            "persistent pain after labs and inconclusive ultrasound",
            PAIN,
            ADULT,
            "meets_criteria",
            "CTAP-PAIN-PERSIST",
        ),
        (
            "persistent pain, labs not done yet",
            {**PAIN, "labs": "not_done"},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "persistent pain, ultrasound found the cause",
            {**PAIN, "ultrasound": "explained"},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "first kidney stone, CT without contrast",
            STONE,
            {**ADULT, "procedure": "74176"},
            "meets_criteria",
            "CTAP-STONE",
        ),
        (
            "first kidney stone, but CT with contrast requested",
            STONE,
            {**ADULT, "procedure": "74177"},
            "needs_review",
            None,
        ),
        (
            "repeat stone, no ultrasound",
            {**STONE, "stone_first": "false"},
            {**ADULT, "procedure": "74176"},
            "needs_review",
            None,
        ),
        (
            "repeat stone, ultrasound unavailable",
            {**STONE, "stone_first": "false", "ultrasound": "unavailable"},
            {**ADULT, "procedure": "74176"},
            "meets_criteria",
            "CTAP-STONE",
        ),
        (
            "visible blood in urine: CT urography",
            BLOOD,
            {**ADULT, "procedure": "74178"},
            "meets_criteria",
            "CTAP-HEMATURIA",
        ),
        (
            "high-risk microscopic blood: CT urography",
            {**BLOOD, "hematuria_type": "micro_high_risk"},
            {**MAN, "procedure": "74178"},
            "meets_criteria",
            "CTAP-HEMATURIA",
        ),
        (
            "low-risk microscopic blood",
            {**BLOOD, "hematuria_type": "micro_other"},
            {**ADULT, "procedure": "74178"},
            "needs_review",
            None,
        ),
        (
            "visible blood, infection not ruled out",
            {**BLOOD, "uti_excluded": "false"},
            {**ADULT, "procedure": "74178"},
            "needs_review",
            None,
        ),
        (
            "visible blood, but not a CT urography code",
            BLOOD,
            {**ADULT, "procedure": "74177"},
            "needs_review",
            None,
        ),
        (
            "lump felt in the belly",
            {**RLQ, "indication": "palpable_mass", "red_flags": ["none"]},
            ADULT,
            "meets_criteria",
            "CTAP-MASS",
        ),
        ("weight loss 7% with abnormal labs", WEIGHT, ADULT, "meets_criteria", "CTAP-WTLOSS"),
        (
            "weight loss exactly 5%",
            {**WEIGHT, "weight_loss_pct": "5"},
            ADULT,
            "meets_criteria",
            "CTAP-WTLOSS",
        ),
        (
            "weight loss 4%",
            {**WEIGHT, "weight_loss_pct": "4"},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "weight loss with normal labs",
            {**WEIGHT, "labs": "normal"},
            ADULT,
            "needs_review",
            None,
        ),
        ("cancer staging", CANCER, ADULT, "meets_criteria", "CTAP-ONC"),
        (
            "cancer surveillance",
            {**CANCER, "cancer_context": "surveillance"},
            MAN,
            "meets_criteria",
            "CTAP-ONC",
        ),
        (
            "screening without symptoms",
            {**CANCER, "cancer_context": "screening"},
            ADULT,
            "needs_review",
            None,
        ),
        (
            "child with right lower pain, no ultrasound yet",
            {**PEDS, "peds_ultrasound": "not_done"},
            {"age": 10, "sex": "M"},
            "needs_review",
            None,
        ),
        (
            "child, ultrasound inconclusive",
            {**PEDS, "peds_ultrasound": "inconclusive"},
            {"age": 10, "sex": "M"},
            "meets_criteria",
            "CTAP-PEDS",
        ),
        (
            "toddler, ultrasound found intussusception",
            {**PEDS, "indication": "abd_pain", "labs": "normal", "peds_ultrasound": "found_cause"},
            {"age": 2, "sex": "F"},
            "needs_review",
            None,
        ),
        (
            "teen at 18 with fever, no ultrasound yet",
            {**PEDS, "peds_ultrasound": "not_done"},
            {"age": 18, "sex": "M"},
            "needs_review",
            None,
        ),
        (
            "child with cancer staging: no ultrasound needed",
            {"cancer": "true", "cancer_context": "staging_new"},
            {"age": 6, "sex": "M"},
            "meets_criteria",
            "CTAP-ONC",
        ),
    ],
)
def test_ct_abdomen_pelvis(name, answers, facts, expect, rule):
    check(SLUG, answers, expect=expect, rule=rule, **facts)


def test_same_answers_at_19_use_the_adult_rules():
    # At 19 the pediatric ultrasound question is no longer asked: its answer is dropped.
    check(
        SLUG,
        {**PEDS, "peds_ultrasound": "not_done"},
        age=19,
        sex="M",
        expect="meets_criteria",
        rule="CTAP-APPY",
        dropped={"peds_ultrasound"},
    )


def test_pediatric_question_is_required_under_19_only():
    check(SLUG, PEDS, age=18, sex="M", expect="incomplete", errors={"peds_ultrasound"})
    check(SLUG, PEDS, age=19, sex="M", expect="meets_criteria")


def test_missing_required_answers_are_errors():
    answers = {k: v for k, v in STONE.items() if k not in ("stone_first", "pregnant")}
    check(
        SLUG,
        answers,
        procedure="74176",
        expect="incomplete",
        errors={"stone_first", "pregnant"},
    )


def test_answer_to_a_disabled_question_is_ignored():
    # The cancer follow-up is not asked when cancer is "no": its answer must not count.
    result = check(
        SLUG,
        {**RLQ, "red_flags": ["none"], "cancer_context": "staging_new"},
        expect="needs_review",
        dropped={"cancer_context"},
    )
    assert "cancer_context" not in result.answers


def test_adult_ultrasound_question_is_not_asked_of_children():
    check(
        SLUG,
        {**PEDS, "peds_ultrasound": "not_done", "ultrasound": "inconclusive"},
        age=12,
        sex="M",
        expect="needs_review",
        dropped={"ultrasound"},
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_loss_pct", "-1"),
        ("weight_loss_pct", "81"),
        ("weight_loss_pct", "five"),
        ("weight_loss_pct", "5.5"),
        ("labs", "maybe"),
        ("red_flags", ["fever", "bogus"]),
        ("pregnant", "perhaps"),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(SLUG, {**WEIGHT, field: value}, expect="incomplete", errors={field})
