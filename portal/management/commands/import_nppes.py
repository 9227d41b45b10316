import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.directory import REQUIRED_COLUMNS
from portal.services import directory_import


class Command(BaseCommand):
    help = (
        "Import an NPPES-format CSV (the CMS NPI data dissemination file, or an extract with the "
        "same headers) into the provider directory. Columns are listed in portal/directory.py. "
        "Re-running refreshes existing NPIs; invalid or deactivated rows are skipped and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, csv_path: Path, batch_size: int, verbosity: int, **options):
        if not csv_path.is_file():
            raise CommandError(f"No such file: {csv_path}")
        # NPPES files are UTF-8 in practice but have shipped as Latin-1; accept both.
        with csv_path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{csv_path} lacks NPPES columns: {', '.join(missing)}")
            result = directory_import(rows=reader, batch_size=batch_size)
        if verbosity >= 2:
            for error in result.errors:
                self.stderr.write(f"  skipped {error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Directory import: {result.created_or_updated} records created or updated, "
                f"{result.skipped} rows skipped."
            )
        )
