"""Helpers for the table-driven pathway tests (pure: no database)."""

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from clinical.engine import CaseFacts, CompiledPathway, Evaluation, evaluate
from clinical.pathway_files import PathwayFile, read_pathway_file

PATHWAYS_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "pathways"
AS_OF = date(2026, 6, 1)  # the date of service the tables' intervals count to
PRIOR = ("prior_study", "prior_study_date")


def prior_answers(days: int | None) -> dict:
    """The answers saying when the prior study was: days before AS_OF, or None for "none"."""
    if days is None:
        return {"prior_study": "false"}
    return {"prior_study": "true", "prior_study_date": (AS_OF - timedelta(days)).isoformat()}


@cache
def pathway_file(slug: str) -> PathwayFile:
    return read_pathway_file(PATHWAYS_DIR / f"{slug}.json")


def pathway(slug: str) -> CompiledPathway:
    return pathway_file(slug).compiled


def check(
    slug: str,
    answers: dict,
    *,
    age: int = 45,
    sex: str = "F",
    diagnoses: tuple[str, ...] = (),
    days_since_prior_imaging: int | None = None,
    procedure: str = "",
    expect: str,
    rule: str | None = None,
    errors: set[str] | None = None,
    dropped: set[str] | None = None,
) -> Evaluation:
    """Evaluate and assert. expect: "meets_criteria", "needs_review" or "incomplete"."""
    facts = CaseFacts(age=age, sex=sex, diagnoses=diagnoses, procedure=procedure, as_of=AS_OF)
    # The interval is asked as a question (the prior study's date); a table gives it in days.
    answers = {**prior_answers(days_since_prior_imaging), **answers}
    result = evaluate(pathway(slug), answers, facts)
    if expect == "incomplete":
        assert not result.complete, f"expected errors, got {result.outcome}"
        if errors is not None:
            assert set(result.errors) == errors, result.errors
    else:
        assert result.complete, f"unexpected errors: {dict(result.errors)}"
        assert result.outcome == expect, f"{result.outcome}: {result.reasons}"
        if rule is not None:
            assert rule in {r.id for r in result.met}, [r.id for r in result.met]
    if dropped is not None:
        assert set(result.dropped) - set(PRIOR) == dropped, result.dropped
    return result
