"""Reading pathway files (fixtures/pathways/*.json): pure, no database.

A file holds one version of one pathway:

    {
      "slug": "mri-knee",                      # stable name of the pathway
      "title": "...", "version": "2026.1", "effective_date": "2026-01-01",
      "procedure_codes": ["73721", ...],       # the codes it answers for
      "age_min": null, "age_max": null,        # optional age band, whole years, inclusive
      "sources": ["ACR Appropriateness Criteria ...", ...],
      "questionnaire": { FHIR R4 Questionnaire },
      "criteria": [ {id, reason, guideline, when}, ... ]   # see clinical.engine
    }
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clinical.engine import CompiledPathway, PathwayError, compile_pathway

REQUIRED_KEYS = (
    "slug",
    "title",
    "version",
    "effective_date",
    "procedure_codes",
    "questionnaire",
    "criteria",
)


@dataclass(frozen=True)
class PathwayFile:
    slug: str
    title: str
    version: str
    effective_date: date
    procedure_codes: tuple[str, ...]
    age_min: int | None
    age_max: int | None
    sources: tuple[str, ...]
    questionnaire: dict[str, Any]
    criteria: list[dict[str, Any]]
    sha256: str
    compiled: CompiledPathway


def parse_pathway(data: dict[str, Any], *, sha256: str = "") -> PathwayFile:
    try:
        return _parse(data, sha256)
    except PathwayError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise PathwayError(f"malformed pathway ({type(exc).__name__}: {exc})") from exc


def _parse(data: dict[str, Any], sha256: str) -> PathwayFile:
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise PathwayError(f"pathway file lacks {', '.join(missing)}")
    compiled = compile_pathway(
        data["questionnaire"], data["criteria"], key=f"{data['slug']}@{data['version']}"
    )
    return PathwayFile(
        slug=data["slug"],
        title=data["title"],
        version=str(data["version"]),
        effective_date=date.fromisoformat(data["effective_date"]),
        procedure_codes=tuple(data["procedure_codes"]),
        age_min=data.get("age_min"),
        age_max=data.get("age_max"),
        sources=tuple(data.get("sources", ())),
        questionnaire=data["questionnaire"],
        criteria=data["criteria"],
        sha256=sha256,
        compiled=compiled,
    )


def read_pathway_file(path: Path) -> PathwayFile:
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PathwayError(f"{path.name}: not valid JSON ({exc})") from exc
    try:
        return parse_pathway(data, sha256=hashlib.sha256(raw).hexdigest())
    except PathwayError as exc:
        raise PathwayError(f"{path.name}: {exc}") from exc
