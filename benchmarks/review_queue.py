"""The review queue, the claim and a decision with many cases in PostgreSQL (issue 12).

Target (../shared/DESIGN.md, issue 12): with 1,000,000 cases of which about 100,000 are open,
p95 under 100 ms for the queue with any single filter, a query count that does not grow with the
rows shown, and claim and decision requests p95 under 100 ms. Server time through Django's test
client (middleware, session, templates, the access log), medians and p95 over many runs.

    .venv/bin/python benchmarks/review_queue.py [--cases 1000000] [--runs 60]
"""

import argparse

from common import machine, measure, setup_django

FILTERS = [
    "",
    "urgency=urgent",
    "category=in_review",
    "category=md_review",
    "modality=MRI",
    "line_of_business=commercial",
    "assigned=unassigned",
    "page=40",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from wizard import seed

    from cases.models import OPEN_STATUSES, Case, CaseStatus
    from portal.models import User
    from review import services

    seed(args.cases)
    total = Case.objects.count()
    open_cases = Case.objects.filter(status__in=list(OPEN_STATUSES)).count()
    nurse = User.objects.get(username="nurse")
    physician = User.objects.get(username="physician")
    client = Client()
    client.force_login(nurse, backend="portal.backends.LoginBackend")
    print(f"{machine()}\n{total:,} cases, {open_cases:,} open\n")
    print("| request | runs | median | p95 | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for query in FILTERS:
        url = reverse("review_queue") + (f"?{query}" if query else "")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        stats = measure(lambda url=url: client.get(url), runs=args.runs, warmup=5)
        label = query or "no filter"
        print(
            f"| queue, {label} | {stats['runs']} | {stats['median_ms']:.1f} ms | "
            f"{stats['p95_ms']:.1f} ms | {len(queries)} |"
        )
    # Claim, release and a decision, each on a fresh case of the queue.
    pending = list(
        Case.objects.filter(status=CaseStatus.IN_REVIEW, assigned_to__isnull=True)
        .order_by("review_due_at")
        .values_list("case_number", flat=True)[: args.runs * 3 + 30]
    )
    doctor = Client()
    doctor.force_login(physician, backend="portal.backends.LoginBackend")
    numbers = iter(pending)

    def claim():
        number = next(numbers)
        doctor.post(reverse("review_claim", args=[number]))
        return number

    stats = measure(claim, runs=args.runs, warmup=5)
    print(f"| claim | {stats['runs']} | {stats['median_ms']:.1f} ms | {stats['p95_ms']:.1f} ms | |")

    def decide():
        number = next(numbers)
        case = Case.objects.get(case_number=number)
        services.case_claim(case=case, reviewer=physician)
        procedure = case.procedures.first()
        doctor.post(
            reverse("review_action", args=[number, "approve"]),
            {"expected": "in_review", f"quantity_{procedure.pk}": procedure.quantity_requested},
        )

    stats = measure(decide, runs=args.runs, warmup=5)
    print(
        f"| claim (service) + approve (request) | {stats['runs']} | {stats['median_ms']:.1f} ms "
        f"| {stats['p95_ms']:.1f} ms | |"
    )


if __name__ == "__main__":
    main()
