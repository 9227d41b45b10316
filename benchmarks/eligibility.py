"""Eligibility with 1,000 code rules loaded (target: < 5 ms per answer).

Measures the pure function over 1,000 rules in memory, and the full path (facts read from
PostgreSQL for a plan holding 1,000 code rules, then computed).

    .venv/bin/python benchmarks/eligibility.py [--runs 2000]
"""

import argparse
import random
from datetime import date, timedelta

from common import machine, measure, report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from clinical import codesets
    from clinical.models import ProcedureCode, Program
    from payers.eligibility import CodeRuleFact, Coverage, ProgramWindow, eligibility_answer
    from payers.models import BenefitPlan, CodeRule, HealthPlan, Member, PlanProgram
    from payers.selectors import eligibility_for_procedure
    from portal.lib import refcache

    print(f"Machine: {machine()}")
    rnd = random.Random(1)  # noqa: S311
    codesets.load_programs()
    codesets.load_procedure_codes()
    program = Program.objects.get(code="radiology-cardiology")
    codes = list(ProcedureCode.objects.all())
    lines = ["", "commercial", "medicare_advantage", "medicaid", "dual"]

    # Pure: 1,000 rules in memory (codes x lines x date ranges).
    rules = [
        CodeRuleFact(
            code=rnd.choice(codes).code,
            line_of_business=rnd.choice(lines),
            requires_auth=rnd.random() > 0.1,
            start=date(2015, 1, 1) + timedelta(days=rnd.randint(0, 4000)),
            end=None if rnd.random() > 0.3 else date(2030, 1, 1),
        )
        for _ in range(1000)
    ]
    coverage = Coverage(start=date(2020, 1, 1), end=None, line_of_business="commercial")
    windows = [ProgramWindow("radiology-cardiology", "", date(2015, 1, 1))]

    def pure():
        eligibility_answer(
            coverage=coverage,
            program="radiology-cardiology",
            program_name="Radiology",
            program_active=True,
            windows=windows,
            on_date=date(2026, 11, 23),
            code=rnd.choice(codes).code,
            rules=rules,
            setting="freestanding",
            excluded_settings=frozenset({"emergency"}),
        )

    pure_result = measure(pure, runs=args.runs)

    # Full path: a plan with 1,000 code rules in PostgreSQL.
    plan, _ = HealthPlan.objects.get_or_create(name="Benchmark Health Plan")
    bp, _ = BenefitPlan.objects.get_or_create(
        health_plan=plan,
        name="Bench PPO",
        defaults={"line_of_business": "commercial", "member_id_prefix": "BEN"},
    )
    PlanProgram.objects.get_or_create(
        health_plan=plan, program=program, line_of_business="", effective_date=date(2015, 1, 1)
    )
    if CodeRule.objects.filter(health_plan=plan).count() < 1000:
        CodeRule.objects.filter(health_plan=plan).delete()
        start = date(2015, 1, 1)
        objs = []
        for i in range(1000):
            code = codes[i % len(codes)]
            objs.append(
                CodeRule(
                    health_plan=plan,
                    program=program,
                    procedure_code=code,
                    line_of_business=lines[(i // len(codes)) % len(lines)],
                    effective_date=start + timedelta(days=i // len(codes) * 400),
                )
            )
        CodeRule.objects.bulk_create(objs, ignore_conflicts=True)
    member, _ = Member.objects.get_or_create(
        health_plan=plan,
        member_id="BEN000000001",
        defaults={
            "benefit_plan": bp,
            "first_name": "Bench",
            "last_name": "Mark",
            "date_of_birth": date(1970, 1, 1),
            "coverage_start": date(2015, 1, 1),
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE payers_coderule")
    n_rules = CodeRule.objects.filter(health_plan=plan).count()

    def full():
        # Plans and rules are kept between requests (portal/lib/refcache.py); this is the path
        # just after a change, when they are read from PostgreSQL again.
        refcache.clear()
        eligibility_for_procedure(
            member=member, procedure=rnd.choice(codes), on_date=date(2026, 11, 23)
        )

    def kept():
        eligibility_for_procedure(
            member=member, procedure=rnd.choice(codes), on_date=date(2026, 11, 23)
        )

    full_result = measure(full, runs=args.runs // 4)
    kept_result = measure(kept, runs=args.runs)
    report(
        "Eligibility",
        [
            ("pure function, 1,000 rules in memory", pure_result),
            (f"facts from PostgreSQL ({n_rules} rules) + compute", full_result),
            ("facts kept between requests + compute", kept_result),
        ],
        target_ms=5,
    )


if __name__ == "__main__":
    main()
