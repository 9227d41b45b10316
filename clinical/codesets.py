"""Loading the code sets: ICD-10-CM from the simple-icd-10-cm package, procedure codes from
fixtures/procedure_codes.csv. Idempotent: reloading replaces descriptions, never duplicates; a
procedure code no longer in the file is kept but no longer offered."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from clinical.models import DiagnosisCode, ProcedureCode, Program
from portal.lib import refcache

PROCEDURE_CODES_CSV = Path(settings.BASE_DIR) / "fixtures" / "procedure_codes.csv"
PROGRAMS_CSV = Path(settings.BASE_DIR) / "fixtures" / "programs.csv"


@dataclass
class LoadResult:
    total: int
    created: int


def diagnosis_search_text(code: str, description: str) -> str:
    return f"{code} {code.replace('.', '')} {description}".lower()


def load_icd10cm(*, batch_size: int = 5000) -> LoadResult:
    """Every billable (leaf) ICD-10-CM code of the installed package's release."""
    import simple_icd_10_cm as cm

    rows: dict[str, DiagnosisCode] = {}
    # The package lists a few three-character codes twice (B20, F99, ...): one row per code.
    for code in cm.get_all_codes(True):
        if code in rows or not cm.is_leaf(code):
            continue
        description = cm.get_description(code)
        rows[code] = DiagnosisCode(
            code=code,
            compact=code.replace(".", ""),
            description=description[:300],
            search_text=diagnosis_search_text(code, description)[:330],
        )
    before = DiagnosisCode.objects.count()
    with transaction.atomic():
        DiagnosisCode.objects.bulk_create(
            list(rows.values()),
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["compact", "description", "search_text"],
        )
        refcache.changed()  # a bulk write sends no signals
    total = DiagnosisCode.objects.count()
    return LoadResult(total=total, created=total - before)


def load_programs() -> LoadResult:
    with PROGRAMS_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    created = 0
    for order, row in enumerate(rows):
        _, was_created = Program.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "is_active": row["is_active"].strip().lower() == "true",
                "sort_order": order,
            },
        )
        created += was_created
    return LoadResult(total=len(rows), created=created)


def load_procedure_codes(
    *, path: Path = PROCEDURE_CODES_CSV, program_code: str = "radiology-cardiology"
) -> LoadResult:
    program = Program.objects.get(code=program_code)
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    objs = [
        ProcedureCode(
            code=row["code"].strip(),
            description=row["description"].strip(),
            modality=row["modality"].strip(),
            body_region=row["body_region"].strip(),
            contrast=row["contrast"].strip(),
            laterality_required=row["laterality_required"].strip().lower() == "true",
            program=program,
        )
        for row in rows
    ]
    before = ProcedureCode.objects.count()
    ProcedureCode.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "description",
            "modality",
            "body_region",
            "contrast",
            "laterality_required",
            "program",
        ],
    )
    # A code taken off the list stays (cases and plan rules refer to it) but is no longer
    # offered; whether one on the list is offered is the admin's to say, so it is not touched.
    ProcedureCode.objects.filter(program=program, is_active=True).exclude(
        code__in=[o.code for o in objs]
    ).update(is_active=False)
    refcache.changed()  # a bulk write sends no signals
    total = ProcedureCode.objects.count()
    return LoadResult(total=total, created=total - before)
