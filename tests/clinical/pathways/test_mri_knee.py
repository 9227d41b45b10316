"""MRI knee / lower-extremity joint (73721-73723): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "mri-knee"
# Chronic pain, mild arthritis, 8 weeks of therapy, result would change management: meets.
CHRONIC = {
    "cancer": "false",
    "indication": "chronic_pain",
    "xray_done": "true",
    "xray_result": "mild_oa",
    "mechanical": ["none"],
    "conservative_weeks": "8",
    "surgery_considered": "true",
    "red_flags": ["none"],
}
INJURY = {
    **CHRONIC,
    "indication": "injury",
    "xray_result": "normal",
    "mechanical": ["locking"],
    "conservative_weeks": "1",
}


@pytest.mark.parametrize(
    ("name", "answers", "age", "expect", "rule"),
    [
        ("chronic pain after 8 weeks of therapy", CHRONIC, 45, "meets_criteria", "KNEE-CHRONIC"),
        (
            "chronic pain at exactly 6 weeks",
            {**CHRONIC, "conservative_weeks": "6"},
            45,
            "meets_criteria",
            "KNEE-CHRONIC",
        ),
        (
            "chronic pain after only 5 weeks",
            {**CHRONIC, "conservative_weeks": "5"},
            45,
            "needs_review",
            None,
        ),
        (
            "severe arthritis on x-ray: MRI adds nothing",
            {**CHRONIC, "xray_result": "severe_oa"},
            70,
            "needs_review",
            None,
        ),
        (
            "no x-rays yet",
            {k: v for k, v in CHRONIC.items() if k != "xray_result"} | {"xray_done": "false"},
            45,
            "needs_review",
            None,
        ),
        ("injury with locking after normal x-rays", INJURY, 30, "meets_criteria", "KNEE-TRAUMA"),
        (
            "injury without mechanical signs",
            {**INJURY, "mechanical": ["none"]},
            30,
            "needs_review",
            None,
        ),
        (
            "injury, result would not change management",
            {**INJURY, "surgery_considered": "false"},
            30,
            "needs_review",
            None,
        ),
        (
            "red flag: suspected infection",
            {**CHRONIC, "conservative_weeks": "0", "red_flags": ["fever_infection"]},
            45,
            "meets_criteria",
            "KNEE-RF",
        ),
        (
            "post-surgery instability",
            {**CHRONIC, "indication": "post_surgery", "mechanical": ["instability"]},
            60,
            "meets_criteria",
            "KNEE-POSTOP",
        ),
        (
            "cancer: lesion on x-ray",
            {
                "cancer": "true",
                "cancer_context": "lesion_on_xray",
                "xray_done": "true",
                "xray_result": "lesion",
                "red_flags": ["none"],
            },
            50,
            "meets_criteria",
            "KNEE-ONC",
        ),
        (
            "cancer: other question",
            {
                "cancer": "true",
                "cancer_context": "other",
                "xray_done": "false",
                "red_flags": ["none"],
            },
            50,
            "needs_review",
            None,
        ),
        (
            "pediatric growth-plate concern",
            {**CHRONIC, "conservative_weeks": "0", "peds_physis": "true"},
            13,
            "meets_criteria",
            "KNEE-PEDS",
        ),
        (
            "pediatric without growth-plate concern, little therapy",
            {**CHRONIC, "conservative_weeks": "2", "peds_physis": "false"},
            13,
            "needs_review",
            None,
        ),
    ],
)
def test_mri_knee(name, answers, age, expect, rule):
    check(SLUG, answers, age=age, expect=expect, rule=rule)


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in CHRONIC.items() if k != "conservative_weeks"}
    check(SLUG, answers, expect="incomplete", errors={"conservative_weeks"})


def test_pediatric_question_is_required_under_19_only():
    check(SLUG, CHRONIC, age=18, expect="incomplete", errors={"peds_physis"})
    check(SLUG, CHRONIC, age=19, expect="meets_criteria")


def test_answer_to_a_disabled_question_is_ignored():
    # The cancer follow-up is not asked when cancer is "no": its answer must not count.
    result = check(
        SLUG,
        {**CHRONIC, "conservative_weeks": "2", "cancer_context": "lesion_on_xray"},
        expect="needs_review",
        dropped={"cancer_context"},
    )
    assert "cancer_context" not in result.answers


def test_adult_answer_to_the_pediatric_question_is_ignored():
    check(
        SLUG,
        {**CHRONIC, "conservative_weeks": "2", "peds_physis": "true"},
        age=40,
        expect="needs_review",
        dropped={"peds_physis"},
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("conservative_weeks", "-1"),
        ("conservative_weeks", "six"),
        ("conservative_weeks", "2.5"),
        ("xray_result", "maybe"),
        ("mechanical", ["locking", "bogus"]),
        ("mechanical", ["locking", "none"]),  # "none of these" and one of them
        ("xray_done", "perhaps"),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(SLUG, {**CHRONIC, field: value}, expect="incomplete", errors={field})


def test_none_of_these_with_another_answer_says_so():
    result = check(SLUG, {**CHRONIC, "red_flags": ["none", "none"]}, expect="meets_criteria")
    assert result.answers["red_flags"] == ("none",)  # repeated, not contradictory
    result = check(
        SLUG,
        {**CHRONIC, "mechanical": ["none", "locking"]},
        expect="incomplete",
        errors={"mechanical"},
    )
    assert "cannot be chosen with another answer" in result.errors["mechanical"]
