import time

from django.core.management.base import BaseCommand

from clinical import codesets
from clinical.models import DiagnosisCode


class Command(BaseCommand):
    help = (
        "Load the programs, the advanced-imaging procedure codes (fixtures/procedure_codes.csv) "
        "and every billable ICD-10-CM code (simple-icd-10-cm package). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-icd", action="store_true", help="Programs and procedures only.")
        parser.add_argument(
            "--icd-if-empty", action="store_true", help="Load ICD-10-CM only if none is loaded yet."
        )

    def handle(self, *args, skip_icd: bool = False, icd_if_empty: bool = False, **options):
        programs = codesets.load_programs()
        procedures = codesets.load_procedure_codes()
        self.stdout.write(
            f"Programs: {programs.total}. Procedure codes: {procedures.total} "
            f"({procedures.created} new)."
        )
        if icd_if_empty and DiagnosisCode.objects.exists():
            skip_icd = True
            self.stdout.write(f"ICD-10-CM already loaded: {DiagnosisCode.objects.count()} codes.")
        if not skip_icd:
            started = time.perf_counter()
            icd = codesets.load_icd10cm()
            self.stdout.write(
                f"ICD-10-CM billable codes: {icd.total} ({icd.created} new) "
                f"in {time.perf_counter() - started:.1f} s."
            )
