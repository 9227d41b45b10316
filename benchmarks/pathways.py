"""Pathway evaluation for one case (target: p95 < 1 ms), and the cost of the compile cache.

Pure Python: reads fixtures/pathways/*.json, no database needed.

    .venv/bin/python benchmarks/pathways.py [--runs 3000]
"""

import argparse
import random
from pathlib import Path

import django  # noqa: E402
from common import ROOT, machine, measure, report

django.setup()

from clinical.engine import CaseFacts, compile_pathway, evaluate  # noqa: E402
from clinical.pathway_files import read_pathway_file  # noqa: E402


def sample_answers(compiled, rnd: random.Random) -> dict:
    """A plausible complete-ish set of answers: the first option or a mid value for each."""
    answers = {}
    for item in compiled.items:
        if not item.is_question:
            continue
        if item.type == "boolean":
            answers[item.link_id] = rnd.choice(["true", "false"])
        elif item.type == "choice":
            codes = [o.code for o in item.options]
            answers[item.link_id] = [rnd.choice(codes)] if item.repeats else rnd.choice(codes)
        elif item.type in ("integer", "decimal"):
            answers[item.link_id] = str(rnd.randint(0, 12))
        elif item.type == "date":
            answers[item.link_id] = "2026-01-15"
        else:
            answers[item.link_id] = "text"
    return answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3000)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    rnd = random.Random(3)  # noqa: S311
    rows = []
    for path in sorted(Path(ROOT / "fixtures" / "pathways").glob("*.json")):
        parsed = read_pathway_file(path)
        compiled = parsed.compiled
        cases = [
            (
                sample_answers(compiled, rnd),
                CaseFacts(age=rnd.randint(5, 85), procedure=parsed.procedure_codes[0]),
            )
            for _ in range(50)
        ]
        index = iter(range(10**9))

        def run(compiled=compiled, cases=cases, index=index):
            answers, facts = cases[next(index) % len(cases)]
            evaluate(compiled, answers, facts)

        rows.append(
            (f"evaluate {parsed.slug} ({len(compiled.items)} items)", measure(run, runs=args.runs))
        )
    ok = report("Pathway evaluation, one case", rows, target_ms=1)

    parsed = read_pathway_file(ROOT / "fixtures" / "pathways" / "mri-knee.json")
    cache: dict = {}

    def cached():
        key = ("mri-knee", parsed.sha256)
        if key not in cache:
            cache[key] = compile_pathway(parsed.questionnaire, parsed.criteria)
        return cache[key]

    report(
        "Loading a pathway version (per request)",
        [
            (
                "compile from JSON every time (not done)",
                measure(lambda: compile_pathway(parsed.questionnaire, parsed.criteria), runs=500),
            ),
            ("compiled-version cache hit (what requests do)", measure(cached, runs=5000)),
        ],
        target_ms=1,
    )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
