from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinical.engine import PathwayError
from clinical.services import PATHWAYS_DIR, pathways_load


class Command(BaseCommand):
    help = (
        "Load the clinical pathways under fixtures/pathways/ (one file per pathway version). "
        "New versions are added; loaded versions are kept as they were. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=PATHWAYS_DIR)

    def handle(self, *args, directory: Path, **options):
        try:
            report = pathways_load(directory=directory)
        except PathwayError as exc:
            raise CommandError(f"No pathway was loaded: {exc}") from exc
        self.stdout.write(
            f"Pathways: {len(report.created)} new versions, {len(report.unchanged)} already loaded."
        )
        for name in report.created:
            self.stdout.write(f"  + {name}")
