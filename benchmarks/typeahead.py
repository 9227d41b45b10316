"""Diagnosis typeahead over the full ICD-10-CM table on PostgreSQL (target: p95 < 50 ms).

.venv/bin/python benchmarks/typeahead.py [--runs 400]
"""

import argparse
import itertools

from common import machine, measure, report, setup_django

QUERIES = [
    "M25.562",
    "m25.5",
    "R68.89",
    "S83",
    "E11.9",
    "C50.9",
    "I25.10",
    "G43",
    "knee pain",
    "low back pain",
    "headache",
    "chest pain",
    "diabetes",
    "shortness of breath",
    "pain in left knee",
    "lumbar radiculopathy",
    "breast cancer",
    "migraine",
    "abdominal pain",
    "seizure",
    "syncope",
    "osteoarthritis of knee",
    "meniscus tear",
    "pulmonary nodule",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from clinical import codesets
    from clinical.models import DiagnosisCode
    from clinical.selectors import diagnosis_search
    from portal.models import Office, User
    from portal.roles import Role

    if DiagnosisCode.objects.count() < 70_000:
        print("Loading ICD-10-CM ...")
        codesets.load_icd10cm()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clinical_diagnosiscode")
    print(f"Machine: {machine()}")
    print(f"Database: PostgreSQL {connection.pg_version}, {DiagnosisCode.objects.count()} codes")

    cycle = itertools.cycle(QUERIES)
    selector = measure(lambda: diagnosis_search(next(cycle)), runs=args.runs)

    setup_test_environment()
    office, _ = Office.objects.get_or_create(
        name="Benchmark office",
        defaults={
            "address_line1": "1 Main St",
            "city": "Phoenix",
            "state": "AZ",
            "zip_code": "85016",
            "phone": "(602) 555-0100",
            "fax": "(602) 555-0101",
        },
    )
    user, _ = User.objects.get_or_create(
        username="bench.typeahead", defaults={"role": Role.OFFICE_STAFF, "office": office}
    )
    client = Client()
    client.force_login(user, backend="portal.backends.LoginBackend")
    cycle2 = itertools.cycle(QUERIES)

    def view():
        response = client.get(
            "/codes/diagnoses/", {"q": next(cycle2)}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200

    through_view = measure(view, runs=args.runs)
    per_query = [
        (f"  {q!r}", measure(lambda q=q: diagnosis_search(q), runs=40, warmup=3)) for q in QUERIES
    ]
    report(
        "Diagnosis typeahead",
        [
            ("selector (mixed queries)", selector),
            ("htmx view, full request (mixed)", through_view),
            *per_query,
        ],
        target_ms=50,
    )


if __name__ == "__main__":
    main()
