"""A missing answer or interval never approves: the engine is three-valued (met / not met /
unknown), unknown never passes and "not unknown" is unknown. The prior study's date is asked as a
question, and the interval is derived from it."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.engine import CaseFacts, Outcome, PathwayError, compile_pathway, evaluate
from clinical.engine.criteria import holds
from clinical.pathway_files import read_pathway_file
from tests.clinical.pathways.helpers import AS_OF, pathway

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "fixtures" / "pathways").glob("*.json"))

QUESTIONNAIRE = {
    "resourceType": "Questionnaire",
    "status": "active",
    "item": [
        {"linkId": "flag", "type": "boolean"},
        {
            "linkId": "prior",
            "type": "date",
            "extension": [{"url": "urn:precert-portal:prior-study-date", "valueBoolean": True}],
        },
    ],
}
INTERVAL = {"fact": "days_since_prior_imaging", "op": "gte", "value": 365}


def _one_rule(when):
    return compile_pathway(QUESTIONNAIRE, [{"id": "R", "reason": "r", "when": when}])


@pytest.mark.parametrize(
    "when",
    [
        INTERVAL,  # a rule that needs the interval
        {"not": {"fact": "days_since_prior_imaging", "op": "lt", "value": 365}},  # as a limit
        {"fact": "days_since_prior_imaging", "op": "lte", "value": 1095},
        {"not": {"fact": "answer:flag", "op": "eq", "value": True}},  # not over a blank answer
        {"fact": "answer:flag", "op": "ne", "value": True},
        {"any": [{"fact": "answer:flag", "op": "eq", "value": True}, INTERVAL]},
    ],
)
def test_a_missing_answer_or_interval_never_meets_a_rule(when):
    result = evaluate(_one_rule(when), {}, CaseFacts(age=40, as_of=AS_OF))
    assert result.outcome == Outcome.NEEDS_REVIEW


def test_the_interval_is_derived_from_the_prior_study_date():
    compiled = _one_rule(INTERVAL)
    year_ago = (AS_OF - timedelta(days=365)).isoformat()
    facts = CaseFacts(age=40, as_of=AS_OF)
    assert evaluate(compiled, {"prior": year_ago}, facts).outcome == Outcome.MEETS_CRITERIA
    assert evaluate(compiled, {"prior": "2026-01-01"}, facts).outcome == Outcome.NEEDS_REVIEW
    same_day_us = f"{AS_OF - timedelta(days=365):%m/%d/%Y}"
    assert evaluate(compiled, {"prior": same_day_us}, facts).outcome == Outcome.MEETS_CRITERIA
    wrong = evaluate(compiled, {"prior": "02/31/2025"}, facts)
    assert wrong.errors == {"prior": "Enter a real date as MM/DD/YYYY."}


def test_a_prior_study_after_the_date_of_service_is_an_error():
    result = evaluate(_one_rule(INTERVAL), {"prior": "2026-06-02"}, CaseFacts(age=40, as_of=AS_OF))
    assert result.errors == {"prior": "Enter a date on or before 06/01/2026."}
    assert "prior" not in result.answers


def test_not_of_unknown_is_unknown():
    facts = CaseFacts(age=40)
    assert holds(INTERVAL, {}, facts) is None
    assert holds({"not": INTERVAL}, {}, facts) is None
    assert holds({"all": [INTERVAL, {"fact": "age", "op": "lt", "value": 18}]}, {}, facts) is False
    assert holds({"any": [INTERVAL, {"fact": "age", "op": "gte", "value": 18}]}, {}, facts)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"fact": "days_since_prior_imaging", "op": "not_exists"}, "not_exists"),
        ({"fact": "answer:flag", "op": "not_exists"}, "not_exists"),
    ],
)
def test_compile_refuses_not_answered_passes(when, message):
    with pytest.raises(PathwayError, match=message):
        _one_rule(when)


def test_compile_refuses_an_interval_without_a_date_question():
    questionnaire = {**QUESTIONNAIRE, "item": QUESTIONNAIRE["item"][:1]}
    with pytest.raises(PathwayError, match="date question"):
        compile_pathway(questionnaire, [{"id": "R", "reason": "r", "when": INTERVAL}])


# ---------------------------------------------------------------------------------------------
# The pathways of the issue


VALVE_MILD = {
    "cancer": "false",
    "indication": "valve_followup",
    "valve_lesion": "mitral_regurgitation",
    "valve_severity": "mild",
    "valve_change": "false",
}


def _ago(days):
    return (AS_OF - timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("answers", "expect"),
    [
        ({"prior_study": "true", "prior_study_date": _ago(365)}, Outcome.NEEDS_REVIEW),
        ({"prior_study": "true", "prior_study_date": _ago(1094)}, Outcome.NEEDS_REVIEW),
        ({"prior_study": "true", "prior_study_date": _ago(1095)}, Outcome.MEETS_CRITERIA),
        ({"prior_study": "false"}, Outcome.MEETS_CRITERIA),  # a first echo
    ],
)
def test_mild_valve_follow_up_keeps_the_three_year_limit(answers, expect):
    result = evaluate(pathway("echo-tte"), {**VALVE_MILD, **answers}, CaseFacts(45, as_of=AS_OF))
    assert result.outcome == expect, result.reasons


def test_valve_follow_up_asks_when_the_last_echo_was():
    result = evaluate(pathway("echo-tte"), VALVE_MILD, CaseFacts(age=45, as_of=AS_OF))
    assert result.errors == {"prior_study": "Please answer this question."}
    result = evaluate(pathway("echo-tte"), {**VALVE_MILD, "prior_study": "true"}, CaseFacts(45))
    assert result.errors == {"prior_study_date": "Please answer this question."}


def test_the_prior_study_question_is_not_asked_where_it_does_not_matter():
    murmur = {"cancer": "false", "indication": "murmur", "murmur_new": "true"}
    result = evaluate(pathway("echo-tte"), murmur, CaseFacts(age=45, as_of=AS_OF))
    assert "prior_study" not in {i.link_id for i in result.enabled}


NODULE = {
    "cancer": "false",
    "indication": "nodule",
    "red_flags": ["none"],
    "nodule_type": "solid",
    "nodule_size_mm": "5",
    "nodule_risk": "true",
    "nodule_followup": "first",
    "immunocompromised": "false",
}


def test_a_lung_nodule_follow_up_meets_criteria_once_the_date_is_given():
    facts = CaseFacts(age=60, procedure="71250", as_of=AS_OF)
    given = {**NODULE, "prior_study": "true", "prior_study_date": _ago(340)}
    result = evaluate(pathway("ct-chest"), given, facts)
    assert result.outcome == Outcome.MEETS_CRITERIA, result.reasons
    assert "CTCH-NODULE-SOLID-SMALL" in {r.id for r in result.met}


def test_why_review_names_the_nodule_rules_when_it_is_too_early():
    facts = CaseFacts(age=60, procedure="71250", as_of=AS_OF)
    early = {**NODULE, "prior_study": "true", "prior_study_date": _ago(100)}
    result = evaluate(pathway("ct-chest"), early, facts)
    assert result.outcome == Outcome.NEEDS_REVIEW
    applying = {u.id for u in result.unmet if u.applies}
    assert "CTCH-NODULE-SOLID-SMALL" in applying
    assert any("days since prior imaging" in r for r in result.reasons)
    # Rules of branches not taken (lung screening, pulmonary embolism) are not the office's.
    assert "CTCH-LCS" not in applying


# ---------------------------------------------------------------------------------------------
# The property, over every pathway file


def _valid_answer(item):
    if item.type == "boolean":
        return st.sampled_from(["true", "false"])
    if item.type == "choice":
        codes = [o.code for o in item.options]
        if not item.repeats:
            return st.sampled_from(codes)
        others = [c for c in codes if c != "none"]
        some = st.lists(st.sampled_from(others), min_size=1, max_size=3) if others else st.nothing()
        return st.one_of(st.just(["none"]), some) if "none" in codes else some
    if item.type in ("integer", "decimal"):
        low = int(item.min_value) if item.min_value is not None else 0
        high = int(item.max_value) if item.max_value is not None else 200
        return st.integers(low, min(high, low + 400)).map(str)
    if item.type == "date":
        return st.integers(0, 2500).map(lambda d: (AS_OF - timedelta(days=d)).isoformat())
    return st.sampled_from(["", "some words"])


@st.composite
def _valid_answers(draw, compiled):
    return {
        item.link_id: draw(_valid_answer(item))
        for item in compiled.items
        if item.is_question and (item.required or draw(st.booleans()))
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), age=st.integers(0, 100), sex=st.sampled_from(["F", "M"]))
def test_removing_an_answer_never_turns_review_into_meets(path, data, age, sex):
    file = read_pathway_file(path)
    compiled = file.compiled
    facts = CaseFacts(
        age=age, sex=sex, procedure=data.draw(st.sampled_from(file.procedure_codes)), as_of=AS_OF
    )
    answers = data.draw(_valid_answers(compiled))
    result = evaluate(compiled, answers, facts)
    asked = {i.link_id for i in result.enabled}
    for link in result.answers:
        fewer = {k: v for k, v in answers.items() if k != link}
        again = evaluate(compiled, fewer, facts)
        if again.outcome == Outcome.MEETS_CRITERIA:
            assert result.outcome == Outcome.MEETS_CRITERIA, (link, again.met)
        # The same at each rule, with the question still asked but its answer unknown (so it
        # also holds for required questions, whose removal only makes the form incomplete).
        known = {k: v for k, v in result.answers.items() if k != link}
        for rule in compiled.rules:
            if holds(rule.when, known, facts, asked) is True:
                assert holds(rule.when, result.answers, facts, asked) is True, (rule.id, link)
    # The interval itself, removed (facts here carry none): never approves what it did not.
    derived = result.answers.get(compiled.prior_study_date_link)
    if isinstance(derived, date):
        with_days = CaseFacts(
            age=age,
            sex=sex,
            procedure=facts.procedure,
            days_since_prior_imaging=(AS_OF - derived).days,
        )
        for rule in compiled.rules:
            if holds(rule.when, result.answers, facts, asked) is True:
                assert holds(rule.when, result.answers, with_days, asked) is True, rule.id


def test_the_reviewer_list_leaves_out_adult_rules_for_a_child():
    from tests.clinical.pathways.helpers import pathway_file

    compiled = pathway("coronary-cta")
    child = {
        "cancer": "false",
        "acute_features": ["none"],
        "heart_rhythm": "regular_controlled",
        "egfr_known": "false",
        "peds_condition": "other",
        "peds_symptoms": "false",
    }
    result = evaluate(compiled, child, CaseFacts(age=15, procedure="75574", as_of=AS_OF))
    assert result.outcome == Outcome.NEEDS_REVIEW, result.errors
    adult = {r.id for r in compiled.rules if r.id.startswith("CCTA-") and "PEDS" not in r.id}
    applying = {u.id for u in result.unmet if u.applies}
    assert not applying & adult
    assert not any(
        r.startswith(pathway_file("coronary-cta").criteria[0]["reason"]) for r in result.reasons
    )


def test_an_emergency_extension_needs_its_message():
    questionnaire = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {
                "linkId": "flags",
                "type": "choice",
                "answerOption": [
                    {
                        "valueCoding": {"code": "a"},
                        "extension": [{"url": "urn:precert-portal:emergency", "valueString": " "}],
                    }
                ],
            }
        ],
    }
    with pytest.raises(PathwayError, match="emergency"):
        compile_pathway(questionnaire, [])
