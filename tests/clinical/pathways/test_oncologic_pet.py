"""Oncologic FDG PET/CT (78815, 78816): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "oncologic-pet"
LUNG_DX = ("C34.90",)
HODGKIN_DX = ("C81.90",)
HISTORY_DX = ("Z85.038",)  # personal history of colon cancer

# Biopsy-proven non-small cell lung cancer, first staging: meets.
STAGING = {
    "cancer": "true",
    "cancer_context": "initial_staging",
    "cancer_type": "lung_nsclc",
    "biopsy": "confirmed",
    "staging_imaging": "not_done",
    "red_flags": ["none"],
}
LYMPHOMA_END = {
    "cancer": "true",
    "cancer_context": "response",
    "cancer_type": "hodgkin",
    "treatment_phase": "end",
    "weeks_since_treatment": "4",
    "radiation_given": "false",
    "red_flags": ["none"],
}
HEAD_NECK_END = {
    **LYMPHOMA_END,
    "cancer_type": "head_neck",
    "weeks_since_treatment": "12",
    "radiation_given": "true",
}
RECURRENCE = {
    "cancer": "true",
    "cancer_context": "recurrence",
    "cancer_type": "colorectal",
    "recurrence_evidence": ["rising_marker"],
    "red_flags": ["none"],
}
NODULE = {
    "cancer": "true",
    "cancer_context": "lung_nodule",
    "nodule_size_mm": "12",
    "red_flags": ["none"],
}
PEDS = {**STAGING, "cancer_type": "hodgkin", "peds_oncology": "true"}


@pytest.mark.parametrize(
    ("name", "answers", "facts", "expect", "rule"),
    [
        (
            "lung cancer, first staging",
            STAGING,
            {"diagnoses": LUNG_DX},
            "meets_criteria",
            "PET-INITIAL",
        ),
        (
            "biopsy-proven, but no cancer diagnosis code",
            STAGING,
            {},
            "needs_review",
            None,
        ),
        (
            "benign-neoplasm code does not count as cancer",
            STAGING,
            {"diagnoses": ("D17.1",)},
            "needs_review",
            None,
        ),
        (
            "biopsy nondiagnostic, cancer strongly suspected",
            {**STAGING, "biopsy": "nondiagnostic"},
            {"diagnoses": ("R91.8",)},
            "meets_criteria",
            "PET-INITIAL",
        ),
        (
            "no biopsy yet",
            {**STAGING, "biopsy": "not_done"},
            {"diagnoses": LUNG_DX},
            "needs_review",
            None,
        ),
        (
            "Hodgkin lymphoma staging",
            {**STAGING, "cancer_type": "hodgkin"},
            {"diagnoses": HODGKIN_DX},
            "meets_criteria",
            "PET-INITIAL",
        ),
        (
            "prostate cancer staging: FDG is poor",
            {**STAGING, "cancer_type": "prostate"},
            {"diagnoses": ("C61",)},
            "needs_review",
            None,
        ),
        (
            "slow-growing lymphoma staging",
            {**STAGING, "cancer_type": "nhl_low_avid"},
            {"diagnoses": ("C83.00",)},
            "needs_review",
            None,
        ),
        (
            "melanoma stage III",
            {**STAGING, "cancer_type": "melanoma", "melanoma_stage": "stage_3_4"},
            {"diagnoses": ("C43.51",)},
            "meets_criteria",
            "PET-INITIAL-MELANOMA",
        ),
        (
            "melanoma stage II",
            {**STAGING, "cancer_type": "melanoma", "melanoma_stage": "stage_0_2"},
            {"diagnoses": ("C43.51",)},
            "needs_review",
            None,
        ),
        (
            "colorectal with possible spread on CT",
            {**STAGING, "cancer_type": "colorectal", "staging_imaging": "suspicious"},
            {"diagnoses": ("C18.7",)},
            "meets_criteria",
            "PET-INITIAL-UNCLEAR",
        ),
        (
            "colorectal, CT shows no spread",
            {**STAGING, "cancer_type": "colorectal", "staging_imaging": "clear"},
            {"diagnoses": ("C18.7",)},
            "needs_review",
            None,
        ),
        ("lung nodule 12 mm", NODULE, {}, "meets_criteria", "PET-SPN"),
        ("lung nodule 9 mm", {**NODULE, "nodule_size_mm": "9"}, {}, "meets_criteria", "PET-SPN"),
        ("lung nodule 8 mm", {**NODULE, "nodule_size_mm": "8"}, {}, "needs_review", None),
        (
            "Hodgkin interim scan",
            {
                k: v
                for k, v in LYMPHOMA_END.items()
                if k not in ("weeks_since_treatment", "radiation_given")
            }
            | {"treatment_phase": "interim"},
            {"diagnoses": HODGKIN_DX},
            "meets_criteria",
            "PET-RESPONSE-LYMPHOMA",
        ),
        (
            "lymphoma end of chemotherapy, 3 weeks",
            {**LYMPHOMA_END, "weeks_since_treatment": "3"},
            {"diagnoses": HODGKIN_DX},
            "meets_criteria",
            "PET-RESPONSE-LYMPHOMA",
        ),
        (
            "lymphoma end of chemotherapy, 2 weeks: too early",
            {**LYMPHOMA_END, "weeks_since_treatment": "2"},
            {"diagnoses": HODGKIN_DX},
            "needs_review",
            None,
        ),
        (
            "lymphoma after radiation, 11 weeks: too early",
            {**LYMPHOMA_END, "weeks_since_treatment": "11", "radiation_given": "true"},
            {"diagnoses": HODGKIN_DX},
            "needs_review",
            None,
        ),
        (
            "lymphoma after radiation, 12 weeks",
            {**LYMPHOMA_END, "weeks_since_treatment": "12", "radiation_given": "true"},
            {"diagnoses": HODGKIN_DX},
            "meets_criteria",
            "PET-RESPONSE-LYMPHOMA",
        ),
        (
            "head and neck, 12 weeks after chemoradiation",
            HEAD_NECK_END,
            {"diagnoses": ("C32.9",)},
            "meets_criteria",
            "PET-RESPONSE-SOLID",
        ),
        (
            "head and neck, 11 weeks: too early",
            {**HEAD_NECK_END, "weeks_since_treatment": "11"},
            {"diagnoses": ("C32.9",)},
            "needs_review",
            None,
        ),
        (
            "esophageal, 5 weeks after pre-operative treatment",
            {**HEAD_NECK_END, "cancer_type": "esophageal", "weeks_since_treatment": "5"},
            {"diagnoses": ("C15.5",)},
            "meets_criteria",
            "PET-RESPONSE-SOLID",
        ),
        (
            "esophageal, 4 weeks: too early",
            {**HEAD_NECK_END, "cancer_type": "esophageal", "weeks_since_treatment": "4"},
            {"diagnoses": ("C15.5",)},
            "needs_review",
            None,
        ),
        (
            "breast response scan: not standard",
            {**HEAD_NECK_END, "cancer_type": "breast"},
            {"diagnoses": ("C50.911",)},
            "needs_review",
            None,
        ),
        (
            "colon cancer history, rising CEA",
            RECURRENCE,
            {"diagnoses": HISTORY_DX},
            "meets_criteria",
            "PET-RECUR",
        ),
        (
            "recurrence suspected on symptoms only",
            {**RECURRENCE, "recurrence_evidence": ["none"]},
            {"diagnoses": HISTORY_DX},
            "needs_review",
            None,
        ),
        (
            "recurrence without a cancer or history code",
            RECURRENCE,
            {"diagnoses": ("R10.9",)},
            "needs_review",
            None,
        ),
        (
            "prostate cancer with rising PSA: FDG is poor",
            {**RECURRENCE, "cancer_type": "prostate"},
            {"diagnoses": ("C61",)},
            "needs_review",
            None,
        ),
        (
            "routine surveillance without symptoms",
            {**RECURRENCE, "cancer_context": "surveillance", "recurrence_evidence": []},
            {"diagnoses": HISTORY_DX},
            "needs_review",
            None,
        ),
        (
            "screening in a person without cancer",
            {"cancer": "true", "cancer_context": "screening", "red_flags": ["none"]},
            {},
            "needs_review",
            None,
        ),
        ("not a cancer question", {"cancer": "false"}, {}, "needs_review", None),
        (
            "pregnant",
            {**STAGING, "red_flags": ["pregnant"]},
            {"diagnoses": LUNG_DX},
            "needs_review",
            None,
        ),
        (
            "poorly controlled diabetes",
            {**STAGING, "red_flags": ["high_glucose"]},
            {"diagnoses": LUNG_DX},
            "needs_review",
            None,
        ),
        (
            "child with Hodgkin lymphoma on a pediatric plan",
            PEDS,
            {"age": 12, "diagnoses": HODGKIN_DX},
            "meets_criteria",
            "PET-PEDS",
        ),
        (
            "child with Hodgkin lymphoma, not on a pediatric plan",
            {**PEDS, "peds_oncology": "false"},
            {"age": 12, "diagnoses": HODGKIN_DX},
            "needs_review",
            None,
        ),
        (
            "teen with Ewing sarcoma, staging",
            {**PEDS, "cancer_type": "sarcoma"},
            {"age": 15, "diagnoses": ("C41.4",)},
            "meets_criteria",
            "PET-PEDS",
        ),
        (
            "teen with lymphoma, interim scan",
            {**PEDS, "cancer_context": "response", "treatment_phase": "interim"},
            {"age": 15, "diagnoses": HODGKIN_DX},
            "meets_criteria",
            "PET-PEDS",
        ),
        (
            "child with another cancer (e.g. neuroblastoma)",
            {**PEDS, "cancer_type": "other"},
            {"age": 4, "diagnoses": ("C74.90",)},
            "needs_review",
            None,
        ),
    ],
)
def test_oncologic_pet(name, answers, facts, expect, rule):
    check(SLUG, answers, expect=expect, rule=rule, **facts)


def test_same_sarcoma_answers_at_19_need_review():
    # Adult sarcoma staging is not in the adult PET list; the pediatric question is not asked.
    check(
        SLUG,
        {**PEDS, "cancer_type": "sarcoma"},
        age=19,
        diagnoses=("C41.4",),
        expect="needs_review",
        dropped={"peds_oncology"},
    )


def test_same_lymphoma_answers_at_19_use_the_adult_rule():
    check(
        SLUG,
        PEDS,
        age=19,
        diagnoses=HODGKIN_DX,
        expect="meets_criteria",
        rule="PET-INITIAL",
        dropped={"peds_oncology"},
    )


def test_pediatric_question_is_required_under_19_only():
    check(SLUG, STAGING, age=18, diagnoses=LUNG_DX, expect="incomplete", errors={"peds_oncology"})
    check(SLUG, STAGING, age=19, diagnoses=LUNG_DX, expect="meets_criteria")


def test_missing_required_answers_are_errors():
    answers = {k: v for k, v in STAGING.items() if k not in ("biopsy", "red_flags")}
    check(SLUG, answers, diagnoses=LUNG_DX, expect="incomplete", errors={"biopsy", "red_flags"})


def test_answer_to_a_disabled_question_is_ignored():
    # With "no" to the opening question nothing else is asked, and nothing else counts.
    result = check(
        SLUG,
        {"cancer": "false", "cancer_context": "initial_staging", "cancer_type": "lung_nsclc"},
        diagnoses=LUNG_DX,
        expect="needs_review",
        dropped={"cancer_context", "cancer_type"},
    )
    assert result.answers == {"cancer": False}


def test_cancer_type_is_not_asked_for_an_undiagnosed_nodule():
    check(
        SLUG,
        {**NODULE, "cancer_type": "lung_nsclc"},
        expect="meets_criteria",
        rule="PET-SPN",
        dropped={"cancer_type"},
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weeks_since_treatment", "-1"),
        ("weeks_since_treatment", "three"),
        ("weeks_since_treatment", "3.5"),
        ("treatment_phase", "midway"),
        ("red_flags", ["none", "bogus"]),
        ("radiation_given", "sometimes"),
    ],
)
def test_bad_answers_are_field_errors(field, value):
    check(
        SLUG,
        {**LYMPHOMA_END, field: value},
        diagnoses=HODGKIN_DX,
        expect="incomplete",
        errors={field},
    )
