"""Mutation testing of the pure rule modules (`make mutate`; scores in docs/mutation.md).

    python scripts/mutate.py [MODULE ...] [--jobs N]      e.g. clinical.engine.criteria

mutmut writes a mutants/ folder beside the sources and keeps its results there, so it runs in a
copy under var/mutate: the checkout stays clean, and a second run only tests what changed. What
it mutates and which tests it runs are set in pyproject.toml ([tool.mutmut]).
"""

import argparse
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPY = ROOT / "var" / "mutate"
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "var", "mutants", "__pycache__", ".hypothesis", "test-artifacts", "*.egg-info"
)
# A mutant is caught when a test failed (or it looped until the time limit); survivors, mutants
# no test reaches and suspicious ones count against; those not run this time are left out.
CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


def copy_checkout() -> None:
    COPY.mkdir(parents=True, exist_ok=True)
    for entry in COPY.iterdir():
        if entry.name != "mutants":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    # copy2 keeps modification times: mutmut tells a changed source from an unchanged one by them.
    shutil.copytree(ROOT, COPY, ignore=SKIP, dirs_exist_ok=True)


def scores(results: str) -> list[str]:
    """Per module: caught / run, and the survivors by name (`mutmut show NAME` for the diff)."""
    by_module: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" in name:  # payers.eligibility.x_eligibility_answer__mutmut_9
            by_module[name.rsplit(".", 1)[0]].append((name, status))
    lines = []
    for module, mutants in sorted(by_module.items()):
        run = [(name, status) for name, status in mutants if status not in NOT_RUN]
        if run:
            caught = sum(status in CAUGHT for _, status in run)
            lines.append(f"{module}: {caught}/{len(run)} caught ({100 * caught / len(run):.1f}%)")
            lines += [f"    {n}: {s}" for n, s in run if s not in CAUGHT]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="dotted module names (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    args = parser.parse_args()
    os.nice(10)  # slow and in the background: the rest of the machine comes first
    copy_checkout()
    patterns = [f"{module}.*" for module in args.modules] or ["*"]
    command = [MUTMUT, "run", "--max-children", str(args.jobs), *patterns]
    run = subprocess.run(command, cwd=COPY)  # noqa: S603 (our own arguments, no shell)
    results = subprocess.run(  # noqa: S603
        [MUTMUT, "results", "--all", "true"], cwd=COPY, capture_output=True, text=True, check=True
    )
    print("\n".join(scores(results.stdout)))
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
