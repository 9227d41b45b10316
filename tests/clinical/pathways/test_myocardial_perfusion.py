"""Myocardial perfusion imaging, SPECT or planar (78451-78454): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check, pathway

SLUG = "myocardial-perfusion"
PEQ = {
    "peq_symptoms",
    "peq_risk_factors",
    "peq_prior_cad",
    "peq_prior_stress",
    "peq_can_exercise",
    "peq_ecg",
}
# A 55-year-old man with typical angina, no known CAD, no stress test this year: meets.
ANGINA = {
    "cancer": "false",
    "acute_features": ["none"],
    "indication": "symptoms_no_known_cad",
    "peq_symptoms": "typical_angina",
    "peq_risk_factors": ["hypertension"],
    "peq_prior_cad": ["none"],
    "peq_prior_stress": "no_test",
    "peq_can_exercise": "true",
    "peq_ecg": ["none"],
}
MAN = {"age": 55, "sex": "M"}
KNOWN_CAD = {
    **ANGINA,
    "indication": "symptoms_known_cad",
    "peq_prior_cad": ["pci"],
    "peq_cad_months": "36",
}
PREOP = {
    **ANGINA,
    "indication": "preop",
    "peq_symptoms": "none",
    "preop_rcri": "2",
    "preop_mets": "under_4",
    "preop_changes_management": "true",
}
PRIOR_TEST = {**ANGINA, "indication": "abnormal_prior_test", "prior_test_finding": "exercise_ecg"}
# A 10-year-old with a giant aneurysm after Kawasaki disease, no symptoms: yearly testing.
KAWASAKI = {
    "cancer": "false",
    "acute_features": ["none"],
    "peds_condition": "kawasaki_aneurysm",
    "peds_aneurysm_size": "large_giant",
    "peds_symptoms": "false",
}
CHILD = {"age": 10}


@pytest.mark.parametrize(
    ("name", "answers", "facts", "expect", "rule"),
    [
        ("man 55, typical angina", ANGINA, MAN, "meets_criteria", "MPI-SYMPTOMS"),
        ("man 40, typical angina (22%)", ANGINA, {"age": 40, "sex": "M"}, "meets_criteria", None),
        ("man 39, typical angina (3%)", ANGINA, {"age": 39, "sex": "M"}, "needs_review", None),
        ("woman 60, typical angina (16%)", ANGINA, {"age": 60}, "meets_criteria", "MPI-SYMPTOMS"),
        ("woman 59, typical angina (13%)", ANGINA, {"age": 59}, "needs_review", None),
        (
            "woman 59, typical angina and diabetes",
            {**ANGINA, "peq_risk_factors": ["diabetes", "hypertension"]},
            {"age": 59},
            "meets_criteria",
            "MPI-SYMPTOMS-RISK",
        ),
        (
            "woman 39, typical angina and diabetes (5%)",
            {**ANGINA, "peq_risk_factors": ["diabetes"]},
            {"age": 39},
            "needs_review",
            None,
        ),
        (
            "woman 62, atypical angina, cannot exercise",
            {**ANGINA, "peq_symptoms": "atypical_angina", "peq_can_exercise": "false"},
            {"age": 62},
            "meets_criteria",
            "MPI-PHARM",
        ),
        (
            "woman 62, atypical angina, left bundle branch block",
            {**ANGINA, "peq_symptoms": "atypical_angina", "peq_ecg": ["lbbb"]},
            {"age": 62},
            "meets_criteria",
            "MPI-PHARM",
        ),
        (
            "woman 62, atypical angina, can exercise, normal ECG",
            {**ANGINA, "peq_symptoms": "atypical_angina"},
            {"age": 62},
            "needs_review",
            None,
        ),
        (
            "woman 45, atypical angina, cannot exercise (6%)",
            {**ANGINA, "peq_symptoms": "atypical_angina", "peq_can_exercise": "false"},
            {"age": 45},
            "needs_review",
            None,
        ),
        (
            "man 55, non-anginal pain, cannot exercise",
            {**ANGINA, "peq_symptoms": "non_anginal", "peq_can_exercise": "false"},
            MAN,
            "needs_review",
            None,
        ),
        (
            "asymptomatic screening",
            {**ANGINA, "indication": "screening", "peq_symptoms": "none"},
            MAN,
            "needs_review",
            None,
        ),
        (
            "repeat scan at 729 days, no stress test this year",
            ANGINA,
            {**MAN, "days_since_prior_imaging": 729},
            "needs_review",
            None,
        ),
        (
            "repeat scan at 730 days",
            ANGINA,
            {**MAN, "days_since_prior_imaging": 730},
            "meets_criteria",
            "MPI-SYMPTOMS",
        ),
        (
            "normal stress imaging this year, symptoms unchanged",
            {**ANGINA, "peq_prior_stress": "imaging_normal", "peq_symptoms_changed": "false"},
            {**MAN, "days_since_prior_imaging": 200},
            "needs_review",
            None,
        ),
        (
            "normal stress imaging this year, symptoms worse since",
            {**ANGINA, "peq_prior_stress": "imaging_normal", "peq_symptoms_changed": "true"},
            {**MAN, "days_since_prior_imaging": 200},
            "meets_criteria",
            "MPI-SYMPTOMS",
        ),
        ("known CAD, new symptoms", KNOWN_CAD, {"age": 66}, "meets_criteria", "MPI-KNOWN-CAD"),
        (
            "known CAD, no symptoms",
            {**KNOWN_CAD, "peq_symptoms": "none"},
            {"age": 66},
            "needs_review",
            None,
        ),
        (
            "known CAD, symptoms unchanged since last stress test",
            {**KNOWN_CAD, "peq_prior_stress": "imaging_normal", "peq_symptoms_changed": "false"},
            {"age": 66},
            "needs_review",
            None,
        ),
        (
            "routine follow-up of known CAD",
            {**KNOWN_CAD, "indication": "known_cad_no_change", "peq_symptoms": "none"},
            {"age": 66},
            "needs_review",
            None,
        ),
        ("abnormal exercise ECG", PRIOR_TEST, {"age": 50}, "meets_criteria", "MPI-PRIOR-TEST"),
        (
            "coronary CT narrowing of uncertain importance",
            {**PRIOR_TEST, "prior_test_finding": "ccta_uncertain"},
            {"age": 50},
            "meets_criteria",
            "MPI-PRIOR-TEST",
        ),
        (
            "high calcium score only",
            {**PRIOR_TEST, "prior_test_finding": "calcium_score", "peq_symptoms": "none"},
            {"age": 50},
            "needs_review",
            None,
        ),
        ("pre-op, RCRI 2, under 4 METs", PREOP, {"age": 70}, "meets_criteria", "MPI-PREOP"),
        ("pre-op, RCRI 1", {**PREOP, "preop_rcri": "1"}, {"age": 70}, "needs_review", None),
        (
            "pre-op, 4 METs or more",
            {**PREOP, "preop_mets": "at_least_4"},
            {"age": 70},
            "needs_review",
            None,
        ),
        (
            "pre-op, result would not change the plan",
            {**PREOP, "preop_changes_management": "false"},
            {"age": 70},
            "needs_review",
            None,
        ),
        (
            "pre-op, nuclear scan 364 days ago",
            PREOP,
            {"age": 70, "days_since_prior_imaging": 364},
            "needs_review",
            None,
        ),
        (
            "new heart failure",
            {**ANGINA, "indication": "new_heart_failure", "peq_symptoms": "dyspnea"},
            {"age": 58},
            "meets_criteria",
            "MPI-HF",
        ),
        (
            "red flag: chest pain at rest",
            {**ANGINA, "acute_features": ["rest_pain"]},
            MAN,
            "needs_review",
            None,
        ),
        (
            "cancer: symptoms after chest radiation",
            {**ANGINA, "cancer": "true", "cancer_context": "chest_radiation_symptoms"},
            {"age": 35},
            "meets_criteria",
            "MPI-ONC",
        ),
        (
            "cancer: suspected tumor in the heart (not a perfusion question)",
            {**ANGINA, "cancer": "true", "cancer_context": "cardiac_mass"},
            {"age": 35},
            "needs_review",
            None,
        ),
        ("child, giant aneurysm, no prior scan", KAWASAKI, CHILD, "meets_criteria", "MPI-PEDS-KD"),
        (
            "child, giant aneurysm, scan 365 days ago",
            KAWASAKI,
            {**CHILD, "days_since_prior_imaging": 365},
            "meets_criteria",
            "MPI-PEDS-KD",
        ),
        (
            "child, giant aneurysm, scan 364 days ago",
            KAWASAKI,
            {**CHILD, "days_since_prior_imaging": 364},
            "needs_review",
            None,
        ),
        (
            "child, medium aneurysm, no symptoms",
            {**KAWASAKI, "peds_aneurysm_size": "medium"},
            CHILD,
            "needs_review",
            None,
        ),
        (
            "child, medium aneurysm, exertional chest pain",
            {**KAWASAKI, "peds_aneurysm_size": "medium", "peds_symptoms": "true"},
            CHILD,
            "meets_criteria",
            "MPI-PEDS-KD",
        ),
        (
            "child, anomalous coronary, first test",
            {**KAWASAKI, "peds_condition": "anomalous_coronary"},
            {"age": 15},
            "meets_criteria",
            "MPI-PEDS-CORONARY",
        ),
        (
            "child, after arterial switch, no symptoms",
            {**KAWASAKI, "peds_condition": "arterial_switch"},
            {"age": 15},
            "needs_review",
            None,
        ),
        (
            "child, after arterial switch, symptoms",
            {**KAWASAKI, "peds_condition": "arterial_switch", "peds_symptoms": "true"},
            {"age": 15},
            "meets_criteria",
            "MPI-PEDS-CORONARY",
        ),
    ],
)
def test_myocardial_perfusion(name, answers, facts, expect, rule):
    check(SLUG, answers, **facts, procedure="78452", expect=expect, rule=rule)


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in ANGINA.items() if k != "peq_can_exercise"}
    check(SLUG, answers, **MAN, expect="incomplete", errors={"peq_can_exercise"})


def test_follow_up_is_required_when_enabled():
    answers = {**ANGINA, "peq_prior_stress": "imaging_normal"}
    check(SLUG, answers, **MAN, expect="incomplete", errors={"peq_symptoms_changed"})


def test_pre_exam_questions_are_not_asked_at_18():
    result = check(
        SLUG,
        {**KAWASAKI, **ANGINA},
        age=18,
        expect="meets_criteria",
        rule="MPI-PEDS-KD",
        dropped=PEQ | {"indication"},
    )
    assert not PEQ & {item.link_id for item in result.enabled}
    assert not PEQ & set(result.answers)


def test_pre_exam_questions_are_asked_and_required_at_19():
    check(
        SLUG,
        KAWASAKI,
        age=19,
        expect="incomplete",
        errors=PEQ | {"indication"},
        dropped={"peds_condition", "peds_aneurysm_size", "peds_symptoms"},
    )
    enabled = {item.link_id for item in check(SLUG, ANGINA, age=19, expect="needs_review").enabled}
    assert PEQ <= enabled


def test_answer_to_a_disabled_question_is_ignored():
    # Cancer is "no" and there was no stress test this year: neither follow-up is asked.
    result = check(
        SLUG,
        {
            **ANGINA,
            "cancer_context": "chest_radiation_symptoms",
            "peq_symptoms_changed": "true",
        },
        **MAN,
        days_since_prior_imaging=100,
        expect="needs_review",
        dropped={"cancer_context", "peq_symptoms_changed"},
    )
    assert "peq_symptoms_changed" not in result.answers


def test_pre_exam_group_is_gated_by_age_19():
    group = pathway(SLUG).by_link["peq"]
    assert group.type == "group"
    assert group.expression == (("age", ">=", "19"),)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("peq_cad_months", "-1"),
        ("peq_cad_months", "three"),
        ("peq_cad_months", "2.5"),
        ("peq_symptoms", "crushing"),
        ("peq_ecg", ["lbbb", "bogus"]),
        ("peq_can_exercise", "sometimes"),
        ("acute_features", ["chest_pain"]),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(SLUG, {**KNOWN_CAD, field: value}, age=66, expect="incomplete", errors={field})


@pytest.mark.parametrize(("field", "value"), [("preop_rcri", "7"), ("preop_rcri", "two")])
def test_bad_preop_answers_are_field_errors(field, value):
    check(SLUG, {**PREOP, field: value}, age=70, expect="incomplete", errors={field})
