"""Coronary CT angiography (75574): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check, pathway

SLUG = "coronary-cta"
PEQ = {
    "peq_symptoms",
    "peq_risk_factors",
    "peq_prior_cad",
    "peq_prior_stress",
    "peq_can_exercise",
    "peq_ecg",
}
# A 52-year-old man with atypical angina (17%), regular slow rhythm, eGFR 75: meets.
STABLE = {
    "cancer": "false",
    "acute_features": ["none"],
    "indication": "stable_chest_pain",
    "heart_rhythm": "regular_controlled",
    "cac_known": "false",
    "egfr_known": "true",
    "egfr": "75",
    "peq_symptoms": "atypical_angina",
    "peq_risk_factors": ["smoking"],
    "peq_prior_cad": ["none"],
    "peq_prior_stress": "no_test",
    "peq_can_exercise": "true",
    "peq_ecg": ["none"],
}
MAN = {"age": 52, "sex": "M"}
CALCIUM = {**STABLE, "cac_known": "true"}
GRAFTS = {
    **STABLE,
    "indication": "bypass_grafts",
    "graft_reason": "symptoms",
    "peq_prior_cad": ["cabg"],
    "peq_cad_months": "96",
}
STRESS = {
    **STABLE,
    "indication": "inconclusive_stress",
    "peq_prior_stress": "imaging_abnormal",
    "peq_symptoms_changed": "false",
}
# A 12-year-old with a suspected anomalous coronary artery seen on echo: meets.
CHILD = {
    "cancer": "false",
    "acute_features": ["none"],
    "heart_rhythm": "regular_controlled",
    "egfr_known": "false",
    "peds_condition": "anomalous_suspected",
    "peds_symptoms": "false",
}
KAWASAKI = {**CHILD, "peds_condition": "kawasaki", "peds_kd_aneurysm": "large_giant"}


@pytest.mark.parametrize(
    ("name", "answers", "facts", "expect", "rule"),
    [
        ("man 52, atypical angina (17%)", STABLE, MAN, "meets_criteria", "CCTA-STABLE"),
        ("man 49, atypical angina (10%)", STABLE, {"age": 49, "sex": "M"}, "needs_review", None),
        (
            "man 49, atypical angina and diabetes",
            {**STABLE, "peq_risk_factors": ["diabetes"]},
            {"age": 49, "sex": "M"},
            "meets_criteria",
            "CCTA-STABLE-RISK",
        ),
        (
            "woman 45, typical angina (10%)",
            {**STABLE, "peq_symptoms": "typical_angina"},
            {"age": 45},
            "needs_review",
            None,
        ),
        (
            "woman 64, typical angina (16%)",
            {**STABLE, "peq_symptoms": "typical_angina"},
            {"age": 64},
            "meets_criteria",
            "CCTA-STABLE",
        ),
        (
            "asymptomatic screening",
            {**STABLE, "indication": "screening", "peq_symptoms": "none"},
            MAN,
            "needs_review",
            None,
        ),
        ("calcium score 400", {**CALCIUM, "cac_score": "400"}, MAN, "meets_criteria", None),
        ("calcium score 401", {**CALCIUM, "cac_score": "401"}, MAN, "needs_review", None),
        (
            "atrial fibrillation",
            {**STABLE, "heart_rhythm": "irregular"},
            MAN,
            "needs_review",
            None,
        ),
        (
            "heart rate cannot be lowered",
            {**STABLE, "heart_rhythm": "rate_uncontrolled"},
            MAN,
            "needs_review",
            None,
        ),
        ("eGFR 30", {**STABLE, "egfr": "30"}, MAN, "meets_criteria", "CCTA-STABLE"),
        ("eGFR 29", {**STABLE, "egfr": "29"}, MAN, "needs_review", None),
        (
            "kidney disease, eGFR not measured",
            {**STABLE, "peq_risk_factors": ["ckd"], "egfr_known": "false"},
            MAN,
            "needs_review",
            None,
        ),
        (
            "kidney disease, eGFR 45",
            {**STABLE, "peq_risk_factors": ["ckd"], "egfr": "45"},
            MAN,
            "meets_criteria",
            "CCTA-STABLE",
        ),
        (
            "repeat CT at 729 days",
            STABLE,
            {**MAN, "days_since_prior_imaging": 729},
            "needs_review",
            None,
        ),
        (
            "repeat CT at 730 days",
            STABLE,
            {**MAN, "days_since_prior_imaging": 730},
            "meets_criteria",
            "CCTA-STABLE",
        ),
        ("unclear stress test", STRESS, MAN, "meets_criteria", "CCTA-STRESS"),
        (
            "unclear stress test claimed but none this year",
            {**STRESS, "peq_prior_stress": "no_test"},
            MAN,
            "needs_review",
            None,
        ),
        (
            "suspected anomalous coronary artery",
            {**STABLE, "indication": "anomalous_coronary", "peq_symptoms": "none"},
            {"age": 30},
            "meets_criteria",
            "CCTA-ANOMALOUS",
        ),
        (
            "anomalous coronary artery, CT 400 days ago",
            {**STABLE, "indication": "anomalous_coronary", "peq_symptoms": "none"},
            {"age": 30, "days_since_prior_imaging": 400},
            "needs_review",
            None,
        ),
        ("bypass grafts, new symptoms", GRAFTS, {"age": 70}, "meets_criteria", "CCTA-GRAFTS"),
        (
            "bypass grafts, before repeat surgery",
            {**GRAFTS, "graft_reason": "redo_surgery"},
            {"age": 70},
            "meets_criteria",
            "CCTA-GRAFTS",
        ),
        (
            "bypass grafts, routine check",
            {**GRAFTS, "graft_reason": "routine"},
            {"age": 70},
            "needs_review",
            None,
        ),
        (
            "known CAD with stents, new symptoms",
            {**GRAFTS, "indication": "known_cad_symptoms", "peq_prior_cad": ["pci"]},
            {"age": 70},
            "needs_review",
            None,
        ),
        (
            "TAVR planning",
            {**STABLE, "indication": "pre_tavr", "peq_symptoms": "dyspnea"},
            {"age": 82},
            "meets_criteria",
            "CCTA-TAVR",
        ),
        (
            "TAVR planning in atrial fibrillation",
            {**STABLE, "indication": "pre_tavr", "heart_rhythm": "irregular"},
            {"age": 82},
            "needs_review",
            None,
        ),
        (
            "red flag: raised troponin",
            {**STABLE, "acute_features": ["troponin_ecg"]},
            MAN,
            "needs_review",
            None,
        ),
        (
            "cancer: symptoms after chest radiation",
            {**STABLE, "cancer": "true", "cancer_context": "chest_radiation_symptoms"},
            {"age": 38},
            "meets_criteria",
            "CCTA-ONC",
        ),
        (
            "cancer: routine check without symptoms",
            {**STABLE, "cancer": "true", "cancer_context": "no_symptoms_check"},
            {"age": 38},
            "needs_review",
            None,
        ),
        (
            "child, suspected anomalous coronary",
            CHILD,
            {"age": 12},
            "meets_criteria",
            "CCTA-PEDS-ANOMALOUS",
        ),
        (
            "child, anomalous coronary, CT 729 days ago",
            CHILD,
            {"age": 12, "days_since_prior_imaging": 729},
            "needs_review",
            None,
        ),
        ("child, giant aneurysm, first CT", KAWASAKI, {"age": 8}, "meets_criteria", "CCTA-PEDS-KD"),
        (
            "child, giant aneurysm, CT before, no symptoms",
            KAWASAKI,
            {"age": 8, "days_since_prior_imaging": 900},
            "needs_review",
            None,
        ),
        (
            "child, medium aneurysm with symptoms",
            {**KAWASAKI, "peds_kd_aneurysm": "medium", "peds_symptoms": "true"},
            {"age": 8, "days_since_prior_imaging": 900},
            "meets_criteria",
            "CCTA-PEDS-KD",
        ),
        (
            "child, Kawasaki without aneurysm, symptoms",
            {**KAWASAKI, "peds_kd_aneurysm": "none", "peds_symptoms": "true"},
            {"age": 8},
            "needs_review",
            None,
        ),
    ],
)
def test_coronary_cta(name, answers, facts, expect, rule):
    check(SLUG, answers, **facts, procedure="75574", expect=expect, rule=rule)


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in STABLE.items() if k != "heart_rhythm"}
    check(SLUG, answers, **MAN, expect="incomplete", errors={"heart_rhythm"})


def test_follow_up_is_required_when_enabled():
    check(SLUG, CALCIUM, **MAN, expect="incomplete", errors={"cac_score"})


def test_pre_exam_questions_are_not_asked_at_18():
    result = check(
        SLUG,
        {**STABLE, **CHILD},
        age=18,
        expect="meets_criteria",
        rule="CCTA-PEDS-ANOMALOUS",
        dropped=PEQ | {"indication", "cac_known", "egfr"},
    )
    assert not PEQ & {item.link_id for item in result.enabled}


def test_pre_exam_questions_are_asked_and_required_at_19():
    check(
        SLUG,
        CHILD,
        age=19,
        expect="incomplete",
        errors=PEQ | {"indication", "cac_known"},
        dropped={"peds_condition", "peds_symptoms"},
    )
    enabled = {item.link_id for item in check(SLUG, STABLE, **MAN, expect="meets_criteria").enabled}
    assert PEQ <= enabled


def test_answer_to_a_disabled_question_is_ignored():
    # No calcium score was done, so a score typed anyway is not asked and must not count.
    result = check(
        SLUG,
        {**STABLE, "cac_score": "2500", "graft_reason": "redo_surgery"},
        **MAN,
        expect="meets_criteria",
        rule="CCTA-STABLE",
        dropped={"cac_score", "graft_reason"},
    )
    assert "cac_score" not in result.answers


def test_pre_exam_group_is_gated_by_age_19():
    group = pathway(SLUG).by_link["peq"]
    assert group.type == "group"
    assert group.expression == (("age", ">=", "19"),)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("egfr", "-5"),
        ("egfr", "201"),
        ("egfr", "sixty"),
        ("egfr", "45.5"),
        ("heart_rhythm", "fast"),
        ("peq_risk_factors", ["diabetes", "obesity"]),
        ("cac_known", "maybe"),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(SLUG, {**STABLE, field: value}, **MAN, expect="incomplete", errors={field})
