"""CT chest, CTA chest and lung cancer screening CT (71250-71275): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "ct-chest"
CT = "71250"
CT_CONTRAST = "71260"
LDCT = "71271"
CTA = "71275"

# Lung cancer screening, 60 years old, smokes now, 30 pack-years, no symptoms: meets.
SCREEN = {
    "cancer": "true",
    "cancer_context": "lung_screening",
    "smoking_status": "current",
    "pack_years": "30",
    "lung_symptoms": "false",
    "treatment_candidate": "true",
}
SCREEN_FACTS = {"age": 60, "procedure": LDCT}
QUIT = {**SCREEN, "smoking_status": "former", "years_since_quit": "10"}
PE = {"cancer": "false", "indication": "pe", "red_flags": ["none"], "pe_probability": "high"}
# First follow-up of a 7 mm solid nodule, six months later.
NODULE = {
    "cancer": "false",
    "indication": "nodule",
    "red_flags": ["none"],
    "nodule_type": "solid",
    "nodule_size_mm": "7",
    "nodule_followup": "first",
    "immunocompromised": "false",
}
NODULE_FACTS = {"age": 60, "procedure": CT, "days_since_prior_imaging": 180}
LATER = {**NODULE, "nodule_followup": "later_stable", "nodule_months": "20"}
XRAY = {"cancer": "false", "indication": "abnormal_xray", "red_flags": ["none"], "xray": "abnormal"}
COUGH = {
    **XRAY,
    "indication": "chronic_cough",
    "xray": "normal",
    "cough_weeks": "9",
    "cough_treated": "true",
}
ILD = {**XRAY, "indication": "ild", "xray": "normal", "ild_signs": ["crackles"]}
PEDS = {**XRAY, "peds_reason": "xray_mass"}


@pytest.mark.parametrize(
    ("name", "answers", "facts", "expect", "rule"),
    [
        # (a) lung cancer screening
        ("screening, current smoker", SCREEN, SCREEN_FACTS, "meets_criteria", "CTCH-LCS"),
        ("screening at 49", SCREEN, {**SCREEN_FACTS, "age": 49}, "needs_review", None),
        ("screening at 50", SCREEN, {**SCREEN_FACTS, "age": 50}, "meets_criteria", "CTCH-LCS"),
        ("screening at 80", SCREEN, {**SCREEN_FACTS, "age": 80}, "meets_criteria", "CTCH-LCS"),
        ("screening at 81", SCREEN, {**SCREEN_FACTS, "age": 81}, "needs_review", None),
        (
            "screening with 19 pack-years",
            {**SCREEN, "pack_years": "19"},
            SCREEN_FACTS,
            "needs_review",
            None,
        ),
        (
            "screening with 20 pack-years",
            {**SCREEN, "pack_years": "20"},
            SCREEN_FACTS,
            "meets_criteria",
            "CTCH-LCS",
        ),
        (
            "quit 15 years ago",
            {**QUIT, "years_since_quit": "15"},
            SCREEN_FACTS,
            "meets_criteria",
            "CTCH-LCS",
        ),
        (
            "quit 16 years ago",
            {**QUIT, "years_since_quit": "16"},
            SCREEN_FACTS,
            "needs_review",
            None,
        ),
        (
            "never smoked",
            {k: v for k, v in SCREEN.items() if k != "pack_years"} | {"smoking_status": "never"},
            SCREEN_FACTS,
            "needs_review",
            None,
        ),
        (
            "symptoms of lung cancer: not a screening case",
            {**SCREEN, "lung_symptoms": "true"},
            SCREEN_FACTS,
            "needs_review",
            None,
        ),
        (
            "not fit for treatment",
            {**SCREEN, "treatment_candidate": "false"},
            SCREEN_FACTS,
            "needs_review",
            None,
        ),
        (
            "screened 329 days ago",
            SCREEN,
            {**SCREEN_FACTS, "days_since_prior_imaging": 329},
            "needs_review",
            None,
        ),
        (
            "screened 330 days ago",
            SCREEN,
            {**SCREEN_FACTS, "days_since_prior_imaging": 330},
            "meets_criteria",
            "CTCH-LCS",
        ),
        # (b) suspected pulmonary embolism
        ("PE, high probability", PE, {"procedure": CTA}, "meets_criteria", "CTCH-PE"),
        (
            "PE unlikely with positive D-dimer",
            {**PE, "pe_probability": "low_moderate", "d_dimer": "positive"},
            {"procedure": CTA},
            "meets_criteria",
            "CTCH-PE",
        ),
        (
            "PE unlikely with negative D-dimer",
            {**PE, "pe_probability": "low_moderate", "d_dimer": "negative"},
            {"procedure": CTA},
            "needs_review",
            None,
        ),
        (
            "PE probability not assessed",
            {**PE, "pe_probability": "not_assessed"},
            {"procedure": CTA},
            "needs_review",
            None,
        ),
        ("PE, but not a CT angiogram", PE, {"procedure": CT_CONTRAST}, "needs_review", None),
        # (c) pulmonary nodule follow-up (Fleischner 2017)
        ("6-8 mm solid, 180 days", NODULE, NODULE_FACTS, "meets_criteria", "CTCH-NODULE-SOLID-MID"),
        (
            "6-8 mm solid, 149 days: too early",
            NODULE,
            {**NODULE_FACTS, "days_since_prior_imaging": 149},
            "needs_review",
            None,
        ),
        (
            "6-8 mm solid, no prior CT on record",
            NODULE,
            {**NODULE_FACTS, "days_since_prior_imaging": None},
            "needs_review",
            None,
        ),
        (
            "6-8 mm solid, second follow-up at 20 months",
            LATER,
            {**NODULE_FACTS, "days_since_prior_imaging": 365},
            "meets_criteria",
            "CTCH-NODULE-SOLID-MID",
        ),
        (
            "6-8 mm solid, stable 30 months: follow-up complete",
            {**LATER, "nodule_months": "30"},
            {**NODULE_FACTS, "days_since_prior_imaging": 365},
            "needs_review",
            None,
        ),
        (
            "5 mm solid, low risk: no routine follow-up",
            {**NODULE, "nodule_size_mm": "5", "nodule_risk": "false"},
            {**NODULE_FACTS, "days_since_prior_imaging": 365},
            "needs_review",
            None,
        ),
        (
            "5 mm solid, high risk, 12 months",
            {**NODULE, "nodule_size_mm": "5", "nodule_risk": "true"},
            {**NODULE_FACTS, "days_since_prior_imaging": 365},
            "meets_criteria",
            "CTCH-NODULE-SOLID-SMALL",
        ),
        (
            "9 mm solid at 3 months",
            {**NODULE, "nodule_size_mm": "9"},
            {**NODULE_FACTS, "days_since_prior_imaging": 80},
            "meets_criteria",
            "CTCH-NODULE-SOLID-LARGE",
        ),
        (
            "8 mm solid at 3 months: too early for a 6-8 mm nodule",
            {**NODULE, "nodule_size_mm": "8"},
            {**NODULE_FACTS, "days_since_prior_imaging": 80},
            "needs_review",
            None,
        ),
        (
            "part-solid 6 mm at 3 months",
            {**NODULE, "nodule_type": "part_solid", "nodule_size_mm": "6"},
            {**NODULE_FACTS, "days_since_prior_imaging": 90},
            "meets_criteria",
            "CTCH-NODULE-PARTSOLID",
        ),
        (
            "ground-glass 5 mm: no routine follow-up",
            {**NODULE, "nodule_type": "ground_glass", "nodule_size_mm": "5"},
            NODULE_FACTS,
            "needs_review",
            None,
        ),
        (
            "ground-glass 8 mm, stable, 2 years after the last CT",
            {**LATER, "nodule_type": "ground_glass", "nodule_size_mm": "8", "nodule_months": "36"},
            {**NODULE_FACTS, "days_since_prior_imaging": 720},
            "meets_criteria",
            "CTCH-NODULE-GGN",
        ),
        (
            "ground-glass 8 mm, stable, only 1 year after the last CT",
            {**LATER, "nodule_type": "ground_glass", "nodule_size_mm": "8", "nodule_months": "36"},
            {**NODULE_FACTS, "days_since_prior_imaging": 365},
            "needs_review",
            None,
        ),
        (
            "nodule in a 34-year-old: Fleischner does not apply",
            NODULE,
            {**NODULE_FACTS, "age": 34},
            "needs_review",
            None,
        ),
        (
            "nodule in an immunocompromised patient",
            {**NODULE, "immunocompromised": "true"},
            NODULE_FACTS,
            "needs_review",
            None,
        ),
        (
            "nodule that has grown",
            {**NODULE, "nodule_followup": "grown"},
            NODULE_FACTS,
            "needs_review",
            None,
        ),
        (
            "nodule follow-up answered through the cancer question",
            {k: v for k, v in NODULE.items() if k not in ("indication", "red_flags")}
            | {"cancer": "true", "cancer_context": "nodule"},
            NODULE_FACTS,
            "meets_criteria",
            "CTCH-NODULE-SOLID-MID",
        ),
        # (c) other diagnostic CT
        (
            "abnormal chest x-ray",
            XRAY,
            {"procedure": CT_CONTRAST},
            "meets_criteria",
            "CTCH-XRAY",
        ),
        (
            "x-ray finding already explained",
            {**XRAY, "xray": "explained"},
            {"procedure": CT_CONTRAST},
            "needs_review",
            None,
        ),
        (
            "coughing up blood",
            {**XRAY, "indication": "hemoptysis"},
            {"procedure": CTA},
            "meets_criteria",
            "CTCH-HEMOPTYSIS",
        ),
        (
            "red flag: coughing up blood",
            {"cancer": "false", "indication": "other", "red_flags": ["hemoptysis"]},
            {"procedure": CT_CONTRAST},
            "meets_criteria",
            "CTCH-HEMOPTYSIS",
        ),
        (
            "immunocompromised with fever",
            {"cancer": "false", "indication": "other", "red_flags": ["immunocompromised_symptoms"]},
            {"procedure": CT},
            "meets_criteria",
            "CTCH-IMMUNO",
        ),
        ("suspected ILD, crackles", ILD, {"procedure": CT}, "meets_criteria", "CTCH-ILD"),
        (
            "suspected ILD with contrast CT",
            ILD,
            {"procedure": CT_CONTRAST},
            "needs_review",
            None,
        ),
        (
            "suspected ILD, nothing documented",
            {**ILD, "ild_signs": ["none"]},
            {"procedure": CT},
            "needs_review",
            None,
        ),
        (
            "cough 9 weeks despite treatment",
            COUGH,
            {"procedure": CT},
            "meets_criteria",
            "CTCH-COUGH",
        ),
        (
            "cough 8 weeks",
            {**COUGH, "cough_weeks": "8"},
            {"procedure": CT},
            "needs_review",
            None,
        ),
        (
            "cough 12 weeks, normal x-ray, not yet treated",
            {**COUGH, "cough_weeks": "12", "cough_treated": "false"},
            {"procedure": CT},
            "needs_review",
            None,
        ),
        (
            "cough 12 weeks, abnormal x-ray",
            {**COUGH, "cough_weeks": "12", "cough_treated": "false", "xray": "abnormal"},
            {"procedure": CT},
            "meets_criteria",
            "CTCH-COUGH",
        ),
        (
            "cough without a chest x-ray",
            {**COUGH, "xray": "not_done"},
            {"procedure": CT},
            "needs_review",
            None,
        ),
        (
            "cancer staging",
            {"cancer": "true", "cancer_context": "staging_new"},
            {"procedure": CT_CONTRAST},
            "meets_criteria",
            "CTCH-ONC",
        ),
        # pediatric
        (
            "child with a mass on x-ray",
            PEDS,
            {"age": 10, "procedure": CT_CONTRAST},
            "meets_criteria",
            "CTCH-PEDS",
        ),
        (
            "child with no specific indication",
            {**PEDS, "peds_reason": "none"},
            {"age": 10, "procedure": CT_CONTRAST},
            "needs_review",
            None,
        ),
        (
            "teen coughing up blood: pediatric review",
            {**PEDS, "indication": "hemoptysis", "peds_reason": "none"},
            {"age": 16, "procedure": CT_CONTRAST},
            "needs_review",
            None,
        ),
        (
            "screening never applies to a teen",
            SCREEN,
            {**SCREEN_FACTS, "age": 17},
            "needs_review",
            None,
        ),
    ],
)
def test_ct_chest(name, answers, facts, expect, rule):
    check(SLUG, answers, expect=expect, rule=rule, **facts)


def test_same_answers_at_19_use_the_adult_rules():
    check(
        SLUG,
        PEDS,
        age=19,
        procedure=CT_CONTRAST,
        expect="meets_criteria",
        rule="CTCH-XRAY",
        dropped={"peds_reason"},
    )


def test_pediatric_question_is_required_under_19_only():
    check(SLUG, XRAY, age=18, procedure=CT_CONTRAST, expect="incomplete", errors={"peds_reason"})
    check(SLUG, XRAY, age=19, procedure=CT_CONTRAST, expect="meets_criteria")


def test_missing_required_answers_are_errors():
    answers = {k: v for k, v in QUIT.items() if k not in ("pack_years", "years_since_quit")}
    check(
        SLUG,
        answers,
        **SCREEN_FACTS,
        expect="incomplete",
        errors={"pack_years", "years_since_quit"},
    )


def test_smoking_questions_are_asked_only_for_the_screening_code():
    # Screening asked for with a diagnostic CT code: the smoking answers are not used.
    result = check(
        SLUG,
        QUIT,
        age=60,
        procedure=CT,
        expect="needs_review",
        dropped={
            "smoking_status",
            "pack_years",
            "years_since_quit",
            "lung_symptoms",
            "treatment_candidate",
        },
    )
    assert "pack_years" not in result.answers


def test_answer_to_a_disabled_question_is_ignored():
    # The D-dimer is asked only when the probability is low or moderate.
    result = check(
        SLUG,
        {**PE, "pe_probability": "not_assessed", "d_dimer": "positive"},
        procedure=CTA,
        expect="needs_review",
        dropped={"d_dimer"},
    )
    assert "d_dimer" not in result.answers


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pack_years", "-1"),
        ("pack_years", "twenty"),
        ("pack_years", "20.5"),
        ("pack_years", "301"),
        ("smoking_status", "sometimes"),
        ("lung_symptoms", "perhaps"),
    ],
)
def test_bad_screening_answers_are_field_errors(field, value):
    check(SLUG, {**SCREEN, field: value}, **SCREEN_FACTS, expect="incomplete", errors={field})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nodule_size_mm", "0"),
        ("nodule_size_mm", "7mm"),
        ("nodule_type", "round"),
        ("red_flags", ["hemoptysis", "bogus"]),
    ],
)
def test_bad_nodule_answers_are_field_errors(field, value):
    check(SLUG, {**NODULE, field: value}, **NODULE_FACTS, expect="incomplete", errors={field})
