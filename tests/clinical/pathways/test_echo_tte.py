"""Transthoracic echocardiogram (93306): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check, pathway

SLUG = "echo-tte"
# Shortness of breath in an adult: meets.
SYMPTOMS = {
    "cancer": "false",
    "indication": "symptoms",
    "symptom_list": ["dyspnea"],
    "cardiac_signs": ["none"],
}
MURMUR = {
    "cancer": "false",
    "indication": "murmur",
    "murmur_new": "true",
    "murmur_type": "concerning",
}
VALVE = {
    "cancer": "false",
    "indication": "valve_followup",
    "valve_lesion": "aortic_stenosis",
    "valve_severity": "severe",
    "valve_change": "false",
}
ONC = {"cancer": "true", "cancer_context": "baseline", "indication": "other"}
# A child with a loud murmur: meets.
CHILD = {"cancer": "false", "peds_reason": "murmur", "peds_signs": ["pathologic_murmur"]}


def days(n):
    return {"days_since_prior_imaging": n}


@pytest.mark.parametrize(
    ("name", "answers", "facts", "expect", "rule"),
    [
        ("shortness of breath", SYMPTOMS, {}, "meets_criteria", "TTE-SYMPTOMS"),
        (
            "leg swelling",
            {**SYMPTOMS, "symptom_list": ["edema"]},
            {},
            "meets_criteria",
            "TTE-SYMPTOMS",
        ),
        (
            "fainting with no other sign of heart disease",
            {**SYMPTOMS, "symptom_list": ["syncope"]},
            {},
            "needs_review",
            None,
        ),
        (
            "fainting with an abnormal ECG",
            {**SYMPTOMS, "symptom_list": ["syncope"], "cardiac_signs": ["abnormal_ecg"]},
            {},
            "meets_criteria",
            "TTE-SYMPTOMS",
        ),
        (
            "chest pain alone",
            {**SYMPTOMS, "symptom_list": ["chest_pain"]},
            {},
            "needs_review",
            None,
        ),
        (
            "chest pain with an abnormal heart examination",
            {**SYMPTOMS, "symptom_list": ["chest_pain"], "cardiac_signs": ["abnormal_exam"]},
            {},
            "meets_criteria",
            "TTE-SYMPTOMS",
        ),
        ("new loud murmur", MURMUR, {}, "meets_criteria", "TTE-MURMUR"),
        (
            "soft murmur thought innocent",
            {**MURMUR, "murmur_type": "soft_systolic"},
            {},
            "needs_review",
            None,
        ),
        (
            "murmur already explained by an echo",
            {**MURMUR, "murmur_new": "false"},
            {},
            "needs_review",
            None,
        ),
        (
            "suspected heart failure",
            {"cancer": "false", "indication": "suspected_hf"},
            {},
            "meets_criteria",
            "TTE-HF",
        ),
        (
            "known heart failure, change in status",
            {"cancer": "false", "indication": "known_hf_change"},
            days(90),
            "meets_criteria",
            "TTE-HF",
        ),
        (
            "routine repeat without change",
            {"cancer": "false", "indication": "routine"},
            days(400),
            "needs_review",
            None,
        ),
        ("severe AS, 180 days", VALVE, days(180), "meets_criteria", "TTE-VALVE-SEVERE"),
        ("severe AS, 179 days", VALVE, days(179), "needs_review", None),
        ("severe AS, no echo on record", VALVE, {}, "meets_criteria", "TTE-VALVE-SEVERE"),
        (
            "severe AS, 60 days, new symptoms",
            {**VALVE, "valve_change": "true"},
            days(60),
            "meets_criteria",
            "TTE-VALVE-CHANGE",
        ),
        (
            "severe mitral stenosis, 364 days",
            {**VALVE, "valve_lesion": "mitral_stenosis"},
            days(364),
            "needs_review",
            None,
        ),
        (
            "severe mitral stenosis, 365 days",
            {**VALVE, "valve_lesion": "mitral_stenosis"},
            days(365),
            "meets_criteria",
            "TTE-VALVE-SEVERE",
        ),
        (
            "moderate AR, 364 days",
            {**VALVE, "valve_lesion": "aortic_regurgitation", "valve_severity": "moderate"},
            days(364),
            "needs_review",
            None,
        ),
        (
            "moderate AR, 365 days",
            {**VALVE, "valve_lesion": "aortic_regurgitation", "valve_severity": "moderate"},
            days(365),
            "meets_criteria",
            "TTE-VALVE-MODERATE",
        ),
        (
            "mild MR, 1094 days",
            {**VALVE, "valve_lesion": "mitral_regurgitation", "valve_severity": "mild"},
            days(1094),
            "needs_review",
            None,
        ),
        (
            "mild MR, 1095 days",
            {**VALVE, "valve_lesion": "mitral_regurgitation", "valve_severity": "mild"},
            days(1095),
            "meets_criteria",
            "TTE-VALVE-MILD",
        ),
        (
            "replaced valve, no change",
            {**VALVE, "valve_severity": "prosthetic"},
            days(1500),
            "needs_review",
            None,
        ),
        (
            "endocarditis with positive blood cultures",
            {
                "cancer": "false",
                "indication": "endocarditis",
                "endo_findings": ["positive_cultures"],
            },
            {},
            "meets_criteria",
            "TTE-ENDOCARDITIS",
        ),
        (
            "endocarditis question, fever only",
            {"cancer": "false", "indication": "endocarditis", "endo_findings": ["none"]},
            {},
            "needs_review",
            None,
        ),
        (
            "stroke: source in the heart",
            {"cancer": "false", "indication": "stroke_embolism"},
            {"age": 67},
            "meets_criteria",
            "TTE-EMBOLIC",
        ),
        (
            "new atrial fibrillation",
            {"cancer": "false", "indication": "atrial_fib"},
            {"age": 71},
            "meets_criteria",
            "TTE-AFIB",
        ),
        (
            "family cardiomyopathy, adult, 1094 days",
            {"cancer": "false", "indication": "family_cardiomyopathy"},
            days(1094),
            "needs_review",
            None,
        ),
        (
            "family cardiomyopathy, adult, first echo",
            {"cancer": "false", "indication": "family_cardiomyopathy"},
            {},
            "meets_criteria",
            "TTE-FAMILY",
        ),
        ("cancer: baseline before anthracycline", ONC, {}, "meets_criteria", "TTE-ONC"),
        (
            "cancer: monitoring during treatment, 80 days",
            {**ONC, "cancer_context": "monitoring_during"},
            days(80),
            "meets_criteria",
            "TTE-ONC-MONITOR",
        ),
        (
            "cancer: monitoring during treatment, 79 days",
            {**ONC, "cancer_context": "monitoring_during"},
            days(79),
            "needs_review",
            None,
        ),
        (
            "cancer: after treatment, 364 days",
            {**ONC, "cancer_context": "monitoring_after"},
            days(364),
            "needs_review",
            None,
        ),
        (
            "cancer: after treatment, 365 days",
            {**ONC, "cancer_context": "monitoring_after"},
            days(365),
            "meets_criteria",
            "TTE-ONC-SURVIVOR",
        ),
        ("child, loud murmur", CHILD, {"age": 6}, "meets_criteria", "TTE-PEDS-CHD"),
        (
            "child, murmur without other signs",
            {**CHILD, "peds_signs": ["none"]},
            {"age": 6},
            "needs_review",
            None,
        ),
        (
            "infant, suspected heart defect, failed pulse-oximetry screen",
            {**CHILD, "peds_reason": "suspected_chd", "peds_signs": ["cyanosis"]},
            {"age": 0},
            "meets_criteria",
            "TTE-PEDS-CHD",
        ),
        (
            "teen, fainting during exercise",
            {"cancer": "false", "peds_reason": "exertional"},
            {"age": 15},
            "meets_criteria",
            "TTE-PEDS-EXERTION",
        ),
        (
            "child, acute Kawasaki disease, echo 10 days ago",
            {"cancer": "false", "peds_reason": "kawasaki_acute"},
            {"age": 3, **days(10)},
            "meets_criteria",
            "TTE-PEDS-KAWASAKI",
        ),
        (
            "child, Kawasaki aneurysm, 179 days",
            {"cancer": "false", "peds_reason": "kawasaki_aneurysm"},
            {"age": 5, **days(179)},
            "needs_review",
            None,
        ),
        (
            "child, family cardiomyopathy, 365 days",
            {"cancer": "false", "peds_reason": "family_cardiomyopathy"},
            {"age": 12, **days(365)},
            "meets_criteria",
            "TTE-PEDS-FAMILY",
        ),
        (
            "child, family cardiomyopathy, 364 days",
            {"cancer": "false", "peds_reason": "family_cardiomyopathy"},
            {"age": 12, **days(364)},
            "needs_review",
            None,
        ),
    ],
)
def test_echo_tte(name, answers, facts, expect, rule):
    check(SLUG, answers, **{"age": 55, **facts}, procedure="93306", expect=expect, rule=rule)


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in SYMPTOMS.items() if k != "cardiac_signs"}
    check(SLUG, answers, expect="incomplete", errors={"cardiac_signs"})


def test_no_cardiac_pre_exam_questions():
    # Reference 003: the CAD pre-exam questions are not part of an echo request.
    assert not [link for link in pathway(SLUG).by_link if link.startswith("peq")]


def test_adult_questions_are_not_asked_at_18():
    check(
        SLUG,
        {**SYMPTOMS, **CHILD},
        age=18,
        expect="meets_criteria",
        rule="TTE-PEDS-CHD",
        dropped={"indication", "symptom_list", "cardiac_signs"},
    )


def test_adult_questions_are_asked_and_required_at_19():
    check(
        SLUG,
        CHILD,
        age=19,
        expect="incomplete",
        errors={"indication"},
        dropped={"peds_reason", "peds_signs"},
    )


def test_answer_to_a_disabled_question_is_ignored():
    # Cancer is "no" and the reason is symptoms: the cancer and valve follow-ups are not asked.
    result = check(
        SLUG,
        {
            **SYMPTOMS,
            "symptom_list": ["syncope"],
            "cancer_context": "baseline",
            "valve_change": "true",
        },
        expect="needs_review",
        dropped={"cancer_context", "valve_change"},
    )
    assert "valve_change" not in result.answers


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cancer", "maybe"),
        ("indication", "checkup"),
        ("symptom_list", ["dyspnea", "cough"]),
        ("cardiac_signs", "bogus"),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(SLUG, {**SYMPTOMS, field: value}, expect="incomplete", errors={field})


@pytest.mark.parametrize(
    ("field", "value"), [("murmur_new", "perhaps"), ("murmur_type", "grade_6")]
)
def test_bad_murmur_answers_are_field_errors(field, value):
    check(SLUG, {**MURMUR, field: value}, expect="incomplete", errors={field})
