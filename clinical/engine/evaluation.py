"""Evaluation: enabled questions, parsed answers, errors and the outcome with its reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from clinical.engine.answers import is_blank, is_enabled, parse_answer
from clinical.engine.criteria import holds, is_excluded, unmet_parts
from clinical.engine.model import CaseFacts, CompiledPathway, Evaluation, Item, Outcome, UnmetRule


def evaluate(
    pathway: CompiledPathway, raw_answers: Mapping[str, Any], facts: CaseFacts
) -> Evaluation:
    """Enabled questions, parsed answers, errors and (when complete and valid) the outcome.

    Answers to questions that are not enabled are dropped before anything uses them.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    enabled_ids: set[str] = set()
    enabled: list[Item] = []
    for item in pathway.items:  # document order: conditions only look backwards
        if not is_enabled(item, answers, facts, enabled_ids):
            continue
        enabled_ids.add(item.link_id)
        enabled.append(item)
        if not item.is_question:
            continue
        raw = raw_answers.get(item.link_id)
        if is_blank(raw):
            if item.required:
                errors[item.link_id] = "Please answer this question."
            continue
        try:
            answers[item.link_id] = parse_answer(item, raw)
        except ValueError as exc:
            errors[item.link_id] = str(exc)
    facts = _with_interval(pathway, answers, facts, errors)
    dropped = tuple(
        sorted(k for k in raw_answers if k not in enabled_ids and not is_blank(raw_answers[k]))
    )
    complete = not errors
    if not complete:
        return Evaluation(
            tuple(enabled), answers, errors, False, dropped=dropped, drivers=pathway.drivers
        )
    met = tuple(r for r in pathway.rules if holds(r.when, answers, facts, enabled_ids) is True)
    if met:
        return Evaluation(
            tuple(enabled),
            answers,
            errors,
            True,
            Outcome.MEETS_CRITERIA,
            met=met,
            dropped=dropped,
            drivers=pathway.drivers,
        )
    unmet = tuple(
        UnmetRule(
            r.id,
            r.reason,
            r.guideline,
            tuple(unmet_parts(r.when, answers, facts, pathway, enabled_ids)),
            applies=not is_excluded(r.when, answers, facts, enabled_ids, pathway.drivers),
        )
        for r in pathway.rules
    )
    return Evaluation(
        tuple(enabled),
        answers,
        errors,
        True,
        Outcome.NEEDS_REVIEW,
        unmet=unmet,
        dropped=dropped,
        drivers=pathway.drivers,
    )


def _with_interval(
    pathway: CompiledPathway, answers: dict[str, Any], facts: CaseFacts, errors: dict[str, str]
) -> CaseFacts:
    """The facts with days_since_prior_imaging derived from the prior study's date, if asked.

    The interval given as a fact is kept when the question is not answered; without either it
    stays unknown, and no criterion is met on an unknown interval.
    """
    link = pathway.prior_study_date_link
    if link is None or link not in answers:
        return facts
    studied = answers[link]
    if studied > facts.as_of:
        errors[link] = f"Enter a date on or before {facts.as_of:%m/%d/%Y}."
        del answers[link]
        return facts
    return replace(facts, days_since_prior_imaging=(facts.as_of - studied).days)
