"""Helpers for the table-driven pathway tests (pure: no database)."""

from functools import cache
from pathlib import Path

from clinical.engine import CaseFacts, CompiledPathway, Evaluation, evaluate
from clinical.pathway_files import PathwayFile, read_pathway_file

PATHWAYS_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "pathways"


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
    facts = CaseFacts(
        age=age,
        sex=sex,
        diagnoses=diagnoses,
        days_since_prior_imaging=days_since_prior_imaging,
        procedure=procedure,
    )
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
        assert set(result.dropped) == dropped, result.dropped
    return result
