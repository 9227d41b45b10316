import time

from django.core.management.base import BaseCommand

from clinical import codesets


class Command(BaseCommand):
    help = (
        "Load the programs, the advanced-imaging procedure codes (fixtures/procedure_codes.csv) "
        "and every billable ICD-10-CM code (simple-icd-10-cm package). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-icd", action="store_true", help="Programs and procedures only.")

    def handle(self, *args, skip_icd: bool = False, **options):
        programs = codesets.load_programs()
        procedures = codesets.load_procedure_codes()
        self.stdout.write(
            f"Programs: {programs.total}. Procedure codes: {procedures.total} "
            f"({procedures.created} new)."
        )
        if not skip_icd:
            started = time.perf_counter()
            icd = codesets.load_icd10cm()
            self.stdout.write(
                f"ICD-10-CM billable codes: {icd.total} ({icd.created} new) "
                f"in {time.perf_counter() - started:.1f} s."
            )
