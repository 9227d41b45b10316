"""Every pathway file: loads, is a valid FHIR R4 Questionnaire, names real codes; and properties
of the engine that must hold for any answers (hypothesis)."""

import csv
import json
from pathlib import Path

import pytest
from fhir.resources.questionnaire import Questionnaire
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.engine import CaseFacts, Outcome, PathwayError, compile_pathway, evaluate
from clinical.pathway_files import parse_pathway, read_pathway_file

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "fixtures" / "pathways").glob("*.json"))
CODES = {row["code"] for row in csv.DictReader((ROOT / "fixtures" / "procedure_codes.csv").open())}
REQUIRED_SLUGS = {
    "mri-knee",
    "mri-lumbar-spine",
    "mri-brain",
    "ct-head",
    "ct-abdomen-pelvis",
    "ct-chest",
    "oncologic-pet",
    "myocardial-perfusion",
    "coronary-cta",
    "echo-tte",
}
OPENING = (
    "Is this request to evaluate suspicion of cancer, screening for cancer, active evaluation "
    "or monitoring of known cancer?"
)


def test_every_required_pathway_is_there():
    assert REQUIRED_SLUGS <= {f.stem for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_pathway_file_is_valid(path):
    parsed = read_pathway_file(path)
    assert parsed.slug == path.stem
    Questionnaire.model_validate(parsed.questionnaire)  # FHIR R4 shape (fhir.resources)
    assert set(parsed.procedure_codes) <= CODES
    assert parsed.sources, "name the guidelines the rules rest on"
    first = parsed.compiled.items[0]
    assert (first.link_id, first.type, first.text) == ("cancer", "boolean", OPENING)
    for rule in parsed.compiled.rules:
        assert rule.reason and rule.guideline


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["questionnaire"].update(resourceType="Patient"), "not a FHIR Questionnaire"),
        (
            lambda d: d["questionnaire"]["item"].append(dict(d["questionnaire"]["item"][0])),
            "duplicate linkId",
        ),
        (lambda d: d["criteria"][0]["when"].update(op="equals"), "unknown op"),
        (
            lambda d: d["criteria"].append(
                {"id": "X", "reason": "r", "when": {"fact": "answer:nope", "op": "eq", "value": 1}}
            ),
            "no question",
        ),
        (
            lambda d: d["questionnaire"]["item"][0].update(
                enableWhen=[{"question": "red_flags", "operator": "=", "answerBoolean": True}]
            ),
            "earlier question",
        ),
        (lambda d: d.pop("criteria"), "lacks criteria"),
        (
            lambda d: d["criteria"].append({"id": "E", "reason": "r", "when": {"all": []}}),
            "non-empty list",
        ),
        (
            lambda d: d["criteria"].append(
                {
                    "id": "R",
                    "reason": "r",
                    "when": {"fact": "diagnosis", "op": "range", "value": ["C00"]},
                }
            ),
            "range",
        ),
        (
            lambda d: d["criteria"].append(
                {"id": "P", "reason": "r", "when": {"fact": "age", "op": "prefix", "value": "C"}}
            ),
            "diagnosis codes only",
        ),
        (
            lambda d: d["criteria"].append(
                {
                    "id": "N",
                    "reason": "r",
                    "when": {"fact": "diagnosis", "op": "ne", "value": "C50"},
                }
            ),
            "does not apply",
        ),
        (
            lambda d: d["questionnaire"]["item"][-1]["extension"][0]["valueExpression"].update(
                expression="%age >= abc"
            ),
            "whole number",
        ),
        (lambda d: d["criteria"].append({"id": "K", "reason": "r"}), "malformed pathway"),
        (lambda d: d.update(effective_date="someday"), "malformed pathway"),
    ],
)
def test_malformed_pathways_are_refused_at_load(mutate, message):
    data = json.loads((ROOT / "fixtures" / "pathways" / "mri-knee.json").read_text())
    if message != "unknown op":
        mutate(data)
    else:
        data["criteria"][0]["when"] = {"fact": "age", "op": "equals", "value": 1}
    with pytest.raises(PathwayError, match=message):
        parse_pathway(data)


def _answer_strategy(item):
    junk = st.one_of(
        st.none(), st.text(max_size=12), st.integers(-(10**6), 10**6).map(str), st.booleans()
    )
    if item.type == "choice":
        codes = [o.code for o in item.options]
        valid = (
            st.lists(st.sampled_from(codes), max_size=3) if item.repeats else st.sampled_from(codes)
        )
        return st.one_of(valid, junk)
    if item.type == "boolean":
        return st.one_of(st.sampled_from(["true", "false"]), junk)
    if item.type in ("integer", "decimal"):
        return st.one_of(st.integers(-5, 200).map(str), junk)
    return junk


@st.composite
def answers_for(draw, compiled):
    answers = {}
    for item in compiled.items:
        if item.is_question and draw(st.booleans()):
            value = draw(_answer_strategy(item))
            if value is not None:
                answers[item.link_id] = value
    return answers


FACTS = st.builds(
    CaseFacts,
    age=st.integers(0, 110),
    sex=st.sampled_from(["F", "M", "U"]),
    diagnoses=st.lists(
        st.sampled_from(["M25.562", "C50.911", "R51.9", "I25.10", "Z00.00"]), max_size=2
    ).map(tuple),
    days_since_prior_imaging=st.one_of(st.none(), st.integers(0, 2000)),
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), facts=FACTS)
def test_engine_never_crashes_and_irrelevant_answers_change_nothing(path, data, facts):
    compiled = read_pathway_file(path).compiled
    codes = read_pathway_file(path).procedure_codes
    facts = CaseFacts(
        facts.age,
        facts.sex,
        facts.diagnoses,
        facts.days_since_prior_imaging,
        procedure=data.draw(st.sampled_from(codes)),
    )
    answers = data.draw(answers_for(compiled))
    result = evaluate(compiled, answers, facts)
    assert result.complete == (not result.errors)
    if result.complete:
        assert result.outcome in (Outcome.MEETS_CRITERIA, Outcome.NEEDS_REVIEW)
        assert bool(result.met) == (result.outcome == Outcome.MEETS_CRITERIA)
    enabled = {i.link_id for i in result.enabled}
    assert set(result.answers) <= enabled
    # Dropping answers to questions that are not asked never changes the outcome.
    relevant = {k: v for k, v in answers.items() if k in enabled}
    again = evaluate(compiled, relevant, facts)
    assert (again.outcome, again.errors, again.answers) == (
        result.outcome,
        result.errors,
        result.answers,
    )


def test_compile_refuses_cycles_by_order():
    questionnaire = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {
                "linkId": "a",
                "type": "boolean",
                "enableWhen": [{"question": "b", "operator": "=", "answerBoolean": True}],
            },
            {"linkId": "b", "type": "boolean"},
        ],
    }
    with pytest.raises(PathwayError, match="earlier question"):
        compile_pathway(questionnaire, [])


def test_not_equal_on_a_repeating_answer_means_none_of_them():
    questionnaire = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {
                "linkId": "flags",
                "type": "choice",
                "repeats": True,
                "answerOption": [{"valueCoding": {"code": "a"}}, {"valueCoding": {"code": "b"}}],
            },
            {
                "linkId": "why",
                "type": "string",
                "enableWhen": [
                    {"question": "flags", "operator": "!=", "answerCoding": {"code": "a"}}
                ],
            },
        ],
    }
    compiled = compile_pathway(questionnaire, [])

    def enabled(flags):
        result = evaluate(compiled, {"flags": flags}, CaseFacts(age=40))
        return "why" in {i.link_id for i in result.enabled}

    assert enabled(["b"]) is True
    assert enabled(["a", "b"]) is False


def test_a_huge_number_is_refused_quickly():
    compiled = read_pathway_file(ROOT / "fixtures" / "pathways" / "mri-knee.json").compiled
    result = evaluate(
        compiled,
        {"cancer": "false", "indication": "chronic_pain", "conservative_weeks": "1e1000000"},
        CaseFacts(age=40),
    )
    assert result.errors["conservative_weeks"] in (
        "Enter a smaller number.",
        "Enter a whole number.",
    )
