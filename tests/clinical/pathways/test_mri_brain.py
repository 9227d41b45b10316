"""MRI brain (70551, 70552, 70553): a table of cases."""

import pytest

from tests.clinical.pathways.helpers import check

SLUG = "mri-brain"
# Long-standing migraine, no change, no red flags: imaging is not indicated (needs review).
MIGRAINE = {
    "cancer": "false",
    "indication": "headache",
    "headache_type": "stable_primary",
    "headache_red_flags": ["none"],
}
NEW_HEADACHE = {**MIGRAINE, "headache_type": "new_headache"}
SEIZURE = {"cancer": "false", "indication": "seizure"}
MS = {"cancer": "false", "indication": "ms"}
TRAUMA = {
    "cancer": "false",
    "indication": "head_trauma",
    "injury_days": "30",
    "trauma_deficit": "true",
}
DEVELOPMENT = {"cancer": "false", "indication": "development"}


@pytest.mark.parametrize(
    ("name", "answers", "age", "expect", "rule"),
    [
        ("stable migraine, normal exam", MIGRAINE, 35, "needs_review", None),
        (
            "stable migraine in a patient with cancer: red flags need a new headache",
            {**MIGRAINE, "headache_red_flags": ["cancer_immuno"]},
            35,
            "needs_review",
            None,
        ),
        ("new headache at 49, no red flags", NEW_HEADACHE, 49, "needs_review", None),
        ("new headache at 50", NEW_HEADACHE, 50, "meets_criteria", "BRAIN-HA-RF"),
        (
            "new headache with a weakened immune system",
            {**NEW_HEADACHE, "headache_red_flags": ["cancer_immuno"]},
            35,
            "meets_criteria",
            "BRAIN-HA-RF",
        ),
        (
            "new headache brought on by coughing",
            {**NEW_HEADACHE, "headache_red_flags": ["positional"]},
            35,
            "meets_criteria",
            "BRAIN-HA-RF",
        ),
        (
            "headache with papilledema",
            {**MIGRAINE, "headache_red_flags": ["papilledema"]},
            28,
            "meets_criteria",
            "BRAIN-HA-RF",
        ),
        (
            "thunderclap headache after a head CT",
            {**NEW_HEADACHE, "headache_red_flags": ["thunderclap"], "head_ct_done": "true"},
            40,
            "meets_criteria",
            "BRAIN-HA-RF",
        ),
        (
            "thunderclap headache, no CT yet: CT comes first",
            {**NEW_HEADACHE, "headache_red_flags": ["thunderclap"], "head_ct_done": "false"},
            40,
            "needs_review",
            None,
        ),
        (
            "migraine that has changed pattern",
            {**MIGRAINE, "headache_type": "changed_pattern"},
            35,
            "meets_criteria",
            "BRAIN-HA-CHANGE",
        ),
        (
            "new focal neurologic deficit",
            {"cancer": "false", "indication": "neuro_deficit"},
            60,
            "meets_criteria",
            "BRAIN-DEFICIT",
        ),
        (
            "suspected TIA",
            {"cancer": "false", "indication": "stroke_tia"},
            70,
            "meets_criteria",
            "BRAIN-STROKE",
        ),
        (
            "old stroke, no new symptoms",
            {"cancer": "false", "indication": "stroke_followup"},
            70,
            "needs_review",
            None,
        ),
        (
            "adult first unprovoked seizure",
            {**SEIZURE, "seizure_type": "first_unprovoked"},
            40,
            "meets_criteria",
            "BRAIN-SEIZ",
        ),
        (
            "adult provoked seizure (alcohol withdrawal)",
            {**SEIZURE, "seizure_type": "provoked"},
            40,
            "needs_review",
            None,
        ),
        ("suspected MS", {**MS, "ms_status": "suspected"}, 30, "meets_criteria", "BRAIN-MS"),
        (
            "cognitive decline on a screening test",
            {"cancer": "false", "indication": "cognitive", "cognitive_testing": "true"},
            74,
            "meets_criteria",
            "BRAIN-COG",
        ),
        (
            "memory complaint without testing or documented decline",
            {"cancer": "false", "indication": "cognitive", "cognitive_testing": "false"},
            74,
            "needs_review",
            None,
        ),
        (
            "head injury 30 days ago, unexplained deficits",
            TRAUMA,
            40,
            "meets_criteria",
            "BRAIN-TRAUMA",
        ),
        (
            "head injury 8 days ago with unexplained deficits",
            {**TRAUMA, "injury_days": "8"},
            40,
            "meets_criteria",
            "BRAIN-TRAUMA",
        ),
        (
            "head injury 7 days ago: still acute, CT comes first",
            {**TRAUMA, "injury_days": "7"},
            40,
            "needs_review",
            None,
        ),
        (
            "past head injury without unexplained deficits",
            {**TRAUMA, "trauma_deficit": "false"},
            40,
            "needs_review",
            None,
        ),
        (
            "cancer: new symptoms, possible brain metastasis",
            {"cancer": "true", "cancer_context": "metastasis_symptoms"},
            62,
            "meets_criteria",
            "BRAIN-ONC",
        ),
        (
            "cancer: staging without brain symptoms",
            {"cancer": "true", "cancer_context": "staging"},
            62,
            "needs_review",
            None,
        ),
        (
            "child: headache waking from sleep",
            {**MIGRAINE, "peds_headache": ["wakes_from_sleep"]},
            10,
            "meets_criteria",
            "BRAIN-PEDS-HA",
        ),
        (
            "child: headache with no pediatric red flags",
            {**MIGRAINE, "peds_headache": ["none"]},
            10,
            "needs_review",
            None,
        ),
        (
            "child aged 5 with headache",
            {**MIGRAINE, "peds_headache": ["none"]},
            5,
            "meets_criteria",
            "BRAIN-PEDS-HA",
        ),
        (
            "child aged 6 with headache, no red flags",
            {**MIGRAINE, "peds_headache": ["none"]},
            6,
            "needs_review",
            None,
        ),
        (
            "child: new focal seizure",
            {**SEIZURE, "peds_seizure": "focal"},
            8,
            "meets_criteria",
            "BRAIN-PEDS-SEIZ",
        ),
        (
            "child: generalized seizure, normal exam",
            {**SEIZURE, "peds_seizure": "generalized_normal"},
            8,
            "needs_review",
            None,
        ),
        (
            "infant: generalized seizure without fever",
            {**SEIZURE, "peds_seizure": "generalized_normal"},
            0,
            "meets_criteria",
            "BRAIN-PEDS-SEIZ",
        ),
        (
            "child: simple febrile seizure",
            {**SEIZURE, "peds_seizure": "febrile_simple"},
            2,
            "needs_review",
            None,
        ),
        (
            "child: developmental regression",
            {**DEVELOPMENT, "peds_development": "regression"},
            3,
            "meets_criteria",
            "BRAIN-PEDS-DEV",
        ),
        (
            "child: isolated developmental delay",
            {**DEVELOPMENT, "peds_development": "delay_isolated"},
            3,
            "needs_review",
            None,
        ),
    ],
)
def test_mri_brain(name, answers, age, expect, rule):
    check(SLUG, answers, age=age, expect=expect, rule=rule)


@pytest.mark.parametrize(
    ("days", "expect"),
    [(365, "meets_criteria"), (364, "needs_review"), (None, "needs_review")],
)
def test_routine_ms_monitoring_needs_a_year_since_prior_imaging(days, expect):
    check(
        SLUG,
        {**MS, "ms_status": "known_monitoring"},
        age=40,
        days_since_prior_imaging=days,
        expect=expect,
    )


def test_missing_required_answer_is_an_error():
    answers = {k: v for k, v in MIGRAINE.items() if k != "headache_type"}
    check(SLUG, answers, expect="incomplete", errors={"headache_type"})


def test_pediatric_headache_question_is_required_under_19_only():
    check(SLUG, MIGRAINE, age=18, expect="incomplete", errors={"peds_headache"})
    check(SLUG, MIGRAINE, age=19, expect="needs_review")


def test_same_pediatric_headache_answers_at_19_are_ignored():
    answers = {**MIGRAINE, "peds_headache": ["vomiting"]}
    check(SLUG, answers, age=18, expect="meets_criteria", rule="BRAIN-PEDS-HA")
    check(SLUG, answers, age=19, expect="needs_review", dropped={"peds_headache"})


def test_seizure_question_switches_at_19():
    answers = {**SEIZURE, "peds_seizure": "focal"}
    check(SLUG, answers, age=18, expect="meets_criteria", rule="BRAIN-PEDS-SEIZ")
    check(
        SLUG,
        answers,
        age=19,
        expect="incomplete",
        errors={"seizure_type"},
        dropped={"peds_seizure"},
    )


def test_developmental_question_is_not_asked_of_adults():
    check(
        SLUG,
        {**DEVELOPMENT, "peds_development": "regression"},
        age=19,
        expect="needs_review",
        dropped={"peds_development"},
    )


def test_answer_to_a_disabled_question_is_ignored():
    # The cancer follow-up is not asked when cancer is "no", and the CT question only for
    # a thunderclap headache: their answers must not count.
    result = check(
        SLUG,
        {**MIGRAINE, "cancer_context": "metastasis_symptoms", "head_ct_done": "true"},
        expect="needs_review",
        dropped={"cancer_context", "head_ct_done"},
    )
    assert "cancer_context" not in result.answers


@pytest.mark.parametrize(
    ("base", "field", "value"),
    [
        (TRAUMA, "injury_days", "-1"),
        (TRAUMA, "injury_days", "3651"),
        (TRAUMA, "injury_days", "a week"),
        (TRAUMA, "injury_days", "7.5"),
        (TRAUMA, "trauma_deficit", "perhaps"),
        (MIGRAINE, "headache_type", "cluster"),
        (MIGRAINE, "headache_red_flags", ["papilledema", "bogus"]),
        (MIGRAINE, "cancer", "unsure"),
    ],
)
def test_bad_answers_are_field_errors(base, field, value):
    check(SLUG, {**base, field: value}, expect="incomplete", errors={field})
