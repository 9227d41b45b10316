"""CT head (70450, 70460, 70470): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "ct-head"
# Adult head injury with mild symptoms that are not getting worse, no blood thinner: needs review.
MILD_INJURY = {
    "cancer": "false",
    "indication": "head_injury",
    "injury_findings": ["persistent_mild"],
    "anticoagulated": "false",
}
# The same injury in a child: the PECARN questions replace the adult list.
CHILD_INJURY = {
    "cancer": "false",
    "indication": "head_injury",
    "peds_injury": ["none"],
    "anticoagulated": "false",
}
INFANT_INJURY = {**CHILD_INJURY, "peds_under2": ["none"]}
HEADACHE = {
    "cancer": "false",
    "indication": "headache",
    "headache_new": "true",
    "headache_flags": ["none"],
}
CANCER = {"cancer": "true", "mri_contraindicated": "false"}


@pytest.mark.parametrize(
    ("name", "answers", "age", "expect", "rule"),
    [
        ("adult, mild stable symptoms after injury", MILD_INJURY, 40, "needs_review", None),
        (
            "adult, vomiting twice after injury",
            {**MILD_INJURY, "injury_findings": ["vomiting"]},
            40,
            "meets_criteria",
            "CTH-TRAUMA",
        ),
        (
            "adult, symptoms getting worse (subacute injury)",
            {**MILD_INJURY, "injury_findings": ["persistent_mild", "worsening"]},
            40,
            "meets_criteria",
            "CTH-TRAUMA",
        ),
        (
            "adult aged 65 who passed out",
            {**MILD_INJURY, "injury_findings": ["loc_amnesia"]},
            65,
            "meets_criteria",
            "CTH-TRAUMA",
        ),
        (
            "adult aged 64 who passed out, no other finding",
            {**MILD_INJURY, "injury_findings": ["loc_amnesia"]},
            64,
            "needs_review",
            None,
        ),
        (
            "head injury on a blood thinner",
            {**MILD_INJURY, "anticoagulated": "true"},
            80,
            "meets_criteria",
            "CTH-ANTICOAG",
        ),
        (
            "child: altered mental status",
            {**CHILD_INJURY, "peds_injury": ["altered_mental_status"]},
            8,
            "meets_criteria",
            "CTH-PEDS-HIGH",
        ),
        (
            "child: signs of skull-base fracture",
            {**CHILD_INJURY, "peds_injury": ["basilar_signs"]},
            15,
            "meets_criteria",
            "CTH-PEDS-HIGH",
        ),
        (
            "child: vomiting only (intermediate risk, observe)",
            {**CHILD_INJURY, "peds_injury": ["vomiting"]},
            8,
            "needs_review",
            None,
        ),
        (
            "child: vomiting and getting worse",
            {**CHILD_INJURY, "peds_injury": ["vomiting", "worsening"]},
            8,
            "meets_criteria",
            "CTH-PEDS-WORSENING",
        ),
        ("child: no PECARN findings", CHILD_INJURY, 8, "needs_review", None),
        (
            "infant: scalp hematoma only (intermediate risk, observe)",
            {**INFANT_INJURY, "peds_under2": ["scalp_hematoma"]},
            1,
            "needs_review",
            None,
        ),
        (
            "infant: scalp hematoma and getting worse",
            {**INFANT_INJURY, "peds_injury": ["worsening"], "peds_under2": ["scalp_hematoma"]},
            1,
            "meets_criteria",
            "CTH-PEDS-WORSENING",
        ),
        (
            "infant: palpable skull fracture",
            {**INFANT_INJURY, "peds_injury": ["skull_fracture"]},
            0,
            "meets_criteria",
            "CTH-PEDS-HIGH",
        ),
        (
            "infant: severe headache is not a PECARN factor under 2",
            {**INFANT_INJURY, "peds_injury": ["severe_headache", "worsening"]},
            1,
            "needs_review",
            None,
        ),
        (
            "thunderclap headache",
            {"cancer": "false", "indication": "sudden_headache"},
            45,
            "meets_criteria",
            "CTH-THUNDERCLAP",
        ),
        ("new headache at 49, no red flags", HEADACHE, 49, "needs_review", None),
        ("new headache at 50", HEADACHE, 50, "meets_criteria", "CTH-HA"),
        (
            "new headache with papilledema",
            {**HEADACHE, "headache_flags": ["papilledema"]},
            30,
            "meets_criteria",
            "CTH-HA",
        ),
        (
            "long-standing unchanged headache with a red flag",
            {**HEADACHE, "headache_new": "false", "headache_flags": ["cancer_immuno"]},
            60,
            "needs_review",
            None,
        ),
        (
            "shunt with vomiting and sleepiness",
            {"cancer": "false", "indication": "hydrocephalus_shunt", "shunt_symptoms": "true"},
            7,
            "meets_criteria",
            "CTH-SHUNT",
        ),
        (
            "routine shunt check without symptoms",
            {"cancer": "false", "indication": "hydrocephalus_shunt", "shunt_symptoms": "false"},
            7,
            "needs_review",
            None,
        ),
        (
            "planned follow-up of a brain bleed",
            {
                "cancer": "false",
                "indication": "bleed_followup",
                "bleed_followup": "specialist_planned",
            },
            70,
            "meets_criteria",
            "CTH-BLEED",
        ),
        (
            "routine bleed follow-up without change",
            {"cancer": "false", "indication": "bleed_followup", "bleed_followup": "routine"},
            70,
            "needs_review",
            None,
        ),
        (
            "sinus problem: a different procedure",
            {"cancer": "false", "indication": "sinus_orbit"},
            40,
            "needs_review",
            None,
        ),
        (
            "cancer: skull lesion",
            {**CANCER, "cancer_context": "skull_lesion"},
            55,
            "meets_criteria",
            "CTH-ONC",
        ),
        (
            "cancer: brain symptoms, MRI not possible",
            {**CANCER, "cancer_context": "metastasis_symptoms", "mri_contraindicated": "true"},
            55,
            "meets_criteria",
            "CTH-ONC",
        ),
        (
            "cancer: brain symptoms, MRI possible (MRI preferred)",
            {**CANCER, "cancer_context": "metastasis_symptoms"},
            55,
            "needs_review",
            None,
        ),
    ],
)
def test_ct_head(name, answers, age, expect, rule):
    check(SLUG, answers, age=age, expect=expect, rule=rule)


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in MILD_INJURY.items() if k != "anticoagulated"}
    check(SLUG, answers, expect="incomplete", errors={"anticoagulated"})


def test_pediatric_question_is_required_under_19_only():
    check(
        SLUG,
        MILD_INJURY,
        age=18,
        expect="incomplete",
        errors={"peds_injury"},
        dropped={"injury_findings"},
    )
    check(SLUG, MILD_INJURY, age=19, expect="needs_review", dropped=set())


def test_same_pediatric_answers_at_19_use_the_adult_questions():
    answers = {**CHILD_INJURY, "peds_injury": ["altered_mental_status"]}
    check(SLUG, answers, age=18, expect="meets_criteria", rule="CTH-PEDS-HIGH")
    check(
        SLUG,
        answers,
        age=19,
        expect="incomplete",
        errors={"injury_findings"},
        dropped={"peds_injury"},
    )


def test_under_2_question_only_for_infants():
    answers = {**CHILD_INJURY, "peds_under2": ["scalp_hematoma"]}
    check(SLUG, answers, age=1, expect="needs_review", dropped=set())
    check(SLUG, answers, age=2, expect="needs_review", dropped={"peds_under2"})
    check(SLUG, CHILD_INJURY, age=1, expect="incomplete", errors={"peds_under2"})


def test_answer_to_a_disabled_question_is_ignored():
    # The cancer follow-up is not asked when cancer is "no", nor the shunt question for an
    # injury: their answers must not count.
    result = check(
        SLUG,
        {**MILD_INJURY, "cancer_context": "skull_lesion", "shunt_symptoms": "true"},
        expect="needs_review",
        dropped={"cancer_context", "shunt_symptoms"},
    )
    assert "cancer_context" not in result.answers


@pytest.mark.parametrize(
    ("base", "field", "value"),
    [
        (MILD_INJURY, "injury_findings", ["vomiting", "bogus"]),
        (MILD_INJURY, "injury_findings", "concussion"),
        (MILD_INJURY, "anticoagulated", "sometimes"),
        (MILD_INJURY, "indication", "migraine"),
        (HEADACHE, "headache_new", "2"),
        (HEADACHE, "headache_flags", ["aura"]),
    ],
)
def test_bad_answers_are_field_errors(base, field, value):
    check(SLUG, {**base, field: value}, expect="incomplete", errors={field})
