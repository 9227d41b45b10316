"""Writes for the clinical app: loading pathway files into versioned rows."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from clinical.engine import PathwayError
from clinical.models import Pathway, PathwayVersion, ProcedureCode
from clinical.pathway_files import PathwayFile, read_pathway_file

PATHWAYS_DIR = Path(settings.BASE_DIR) / "fixtures" / "pathways"


@dataclass
class PathwayLoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def pathway_version_save(*, parsed: PathwayFile) -> tuple[PathwayVersion, bool]:
    """Store one parsed file as a version. A version's content never changes once stored."""
    codes = list(ProcedureCode.objects.filter(code__in=parsed.procedure_codes))
    missing = sorted(set(parsed.procedure_codes) - {c.code for c in codes})
    if missing:
        raise PathwayError(f"{parsed.slug}: unknown procedure codes {', '.join(missing)}")
    pathway, _ = Pathway.objects.update_or_create(
        slug=parsed.slug, defaults={"title": parsed.title}
    )
    existing = PathwayVersion.objects.filter(pathway=pathway, version=parsed.version).first()
    if existing is not None:
        if existing.sha256 != parsed.sha256:
            raise PathwayError(
                f"{parsed.slug} v{parsed.version} changed since it was loaded: cases may have "
                "been answered against it. Give the file a new version number."
            )
        return existing, False
    version = PathwayVersion.objects.create(
        pathway=pathway,
        version=parsed.version,
        effective_date=parsed.effective_date,
        age_min=parsed.age_min,
        age_max=parsed.age_max,
        questionnaire=parsed.questionnaire,
        criteria=parsed.criteria,
        sources=list(parsed.sources),
        sha256=parsed.sha256,
    )
    version.procedure_codes.set(codes)
    return version, True


def pathways_load(*, directory: Path = PATHWAYS_DIR) -> PathwayLoadReport:
    """Load every pathway file; all or nothing, so a bad file leaves the database as it was."""
    report = PathwayLoadReport()
    parsed = [read_pathway_file(path) for path in sorted(directory.glob("*.json"))]
    with transaction.atomic():
        for item in parsed:
            version, created = pathway_version_save(parsed=item)
            (report.created if created else report.unchanged).append(str(version))
    return report
