"""MRI lumbar spine (72148, 72149, 72158): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "mri-lumbar-spine"
# Sciatica, no red flags, 8 weeks of therapy without relief, would consider an injection: meets.
RADICULOPATHY = {
    "cancer": "false",
    "symptoms": "radiculopathy",
    "red_flags": ["none"],
    "xray_done": "false",
    "prior_surgery": "false",
    "conservative_weeks": "8",
    "symptoms_persist": "true",
    "intervention_candidate": "true",
}
# Uncomplicated acute back pain: 1 week, no red flags, no x-rays: imaging not indicated.
ACUTE = {**RADICULOPATHY, "symptoms": "back_only", "conservative_weeks": "1"}
CANCER = {"cancer": "true", "red_flags": ["none"], "xray_done": "false"}


@pytest.mark.parametrize(
    ("name", "answers", "age", "expect", "rule"),
    [
        (
            "sciatica after 8 weeks of conservative care",
            RADICULOPATHY,
            45,
            "meets_criteria",
            "LSPINE-CONSERV",
        ),
        (
            "sciatica at exactly 6 weeks",
            {**RADICULOPATHY, "conservative_weeks": "6"},
            45,
            "meets_criteria",
            "LSPINE-CONSERV",
        ),
        (
            "sciatica after only 5 weeks",
            {**RADICULOPATHY, "conservative_weeks": "5"},
            45,
            "needs_review",
            None,
        ),
        (
            "6 weeks but symptoms resolved",
            {**RADICULOPATHY, "symptoms_persist": "false"},
            45,
            "needs_review",
            None,
        ),
        (
            "6 weeks but not a surgery or injection candidate",
            {**RADICULOPATHY, "intervention_candidate": "false"},
            45,
            "needs_review",
            None,
        ),
        (
            "spinal stenosis after 12 weeks",
            {**RADICULOPATHY, "symptoms": "stenosis", "conservative_weeks": "12"},
            72,
            "meets_criteria",
            "LSPINE-CONSERV",
        ),
        ("uncomplicated acute low back pain", ACUTE, 35, "needs_review", None),
        (
            "no treatment yet: the persistence question is not asked",
            {k: v for k, v in ACUTE.items() if k != "symptoms_persist"}
            | {"conservative_weeks": "0"},
            35,
            "needs_review",
            None,
        ),
        (
            "red flag: suspected cauda equina syndrome",
            {**ACUTE, "red_flags": ["cauda_equina"]},
            50,
            "meets_criteria",
            "LSPINE-NEURO",
        ),
        (
            "red flag: worsening leg weakness",
            {**ACUTE, "red_flags": ["progressive_deficit"]},
            50,
            "meets_criteria",
            "LSPINE-NEURO",
        ),
        (
            "red flag: IV drug use",
            {**ACUTE, "red_flags": ["iv_drug_use"]},
            30,
            "meets_criteria",
            "LSPINE-RF",
        ),
        (
            "red flag: unexplained weight loss",
            {**ACUTE, "red_flags": ["weight_loss"]},
            60,
            "meets_criteria",
            "LSPINE-RF",
        ),
        (
            "bone lesion on x-ray",
            {**ACUTE, "xray_done": "true", "xray_result": "lesion"},
            60,
            "meets_criteria",
            "LSPINE-RF",
        ),
        (
            "degenerative changes on x-ray only",
            {**ACUTE, "xray_done": "true", "xray_result": "normal"},
            60,
            "needs_review",
            None,
        ),
        (
            "possible osteoporotic fracture after x-rays",
            {
                **ACUTE,
                "red_flags": ["fracture_risk"],
                "xray_done": "true",
                "xray_result": "fracture",
            },
            78,
            "meets_criteria",
            "LSPINE-FX",
        ),
        (
            "possible osteoporotic fracture, no x-rays yet",
            {**ACUTE, "red_flags": ["fracture_risk"]},
            78,
            "needs_review",
            None,
        ),
        (
            "prior lumbar surgery with returning leg pain",
            {**ACUTE, "prior_surgery": "true", "postop_symptoms": "true"},
            55,
            "meets_criteria",
            "LSPINE-POSTOP",
        ),
        (
            "prior lumbar surgery without new symptoms",
            {**ACUTE, "prior_surgery": "true", "postop_symptoms": "false"},
            55,
            "needs_review",
            None,
        ),
        (
            "cancer: suspected spread to the spine",
            {**CANCER, "cancer_context": "metastasis_suspected"},
            64,
            "meets_criteria",
            "LSPINE-ONC",
        ),
        (
            "cancer: screening without symptoms",
            {**CANCER, "cancer_context": "screening"},
            64,
            "needs_review",
            None,
        ),
        (
            "child with night pain after x-rays",
            {**ACUTE, "xray_done": "true", "xray_result": "normal", "peds_flags": ["night_pain"]},
            12,
            "meets_criteria",
            "LSPINE-PEDS",
        ),
        (
            "child with night pain, no x-rays yet",
            {**ACUTE, "peds_flags": ["night_pain"]},
            12,
            "needs_review",
            None,
        ),
        (
            "child with an abnormal neurologic exam",
            {**ACUTE, "peds_flags": ["abnormal_neuro"]},
            12,
            "meets_criteria",
            "LSPINE-PEDS",
        ),
        (
            "child without pediatric red flags",
            {**ACUTE, "peds_flags": ["none"]},
            12,
            "needs_review",
            None,
        ),
    ],
)
def test_mri_lumbar_spine(name, answers, age, expect, rule):
    check(SLUG, answers, age=age, expect=expect, rule=rule)


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in RADICULOPATHY.items() if k != "intervention_candidate"}
    check(SLUG, answers, expect="incomplete", errors={"intervention_candidate"})


def test_pediatric_question_is_required_under_19_only():
    check(SLUG, RADICULOPATHY, age=18, expect="incomplete", errors={"peds_flags"})
    check(SLUG, RADICULOPATHY, age=19, expect="meets_criteria")


def test_same_pediatric_answers_at_19_are_ignored():
    answers = {**ACUTE, "peds_flags": ["abnormal_neuro"]}
    check(SLUG, answers, age=18, expect="meets_criteria", rule="LSPINE-PEDS")
    check(SLUG, answers, age=19, expect="needs_review", dropped={"peds_flags"})


def test_answer_to_a_disabled_question_is_ignored():
    # The cancer follow-up is not asked when cancer is "no": its answer must not count.
    result = check(
        SLUG,
        {**ACUTE, "cancer_context": "metastasis_suspected"},
        expect="needs_review",
        dropped={"cancer_context"},
    )
    assert "cancer_context" not in result.answers


def test_cancer_path_skips_the_back_pain_questions():
    # With cancer "yes", the conservative-care questions are not asked: stray answers are dropped.
    check(
        SLUG,
        {**CANCER, "cancer_context": "known_tumor_followup", "conservative_weeks": "8"},
        expect="meets_criteria",
        rule="LSPINE-ONC",
        dropped={"conservative_weeks"},
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("conservative_weeks", "-1"),
        ("conservative_weeks", "521"),
        ("conservative_weeks", "six"),
        ("conservative_weeks", "2.5"),
        ("symptoms", "sciatica"),
        ("red_flags", ["cauda_equina", "bogus"]),
        ("intervention_candidate", "maybe"),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(SLUG, {**RADICULOPATHY, field: value}, expect="incomplete", errors={field})


def test_rules_this_patient_can_never_meet_are_not_given_as_reasons():
    adult = check(SLUG, ACUTE, age=55, expect="needs_review")
    pediatric = next(u for u in adult.unmet if u.id == "LSPINE-PEDS")
    assert not pediatric.applies  # an adult: no answer could meet it
    assert not any(r.startswith("Child or adolescent") for r in adult.reasons)
    assert any(r.startswith("Back pain, sciatica") for r in adult.reasons)
