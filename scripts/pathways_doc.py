"""Write docs/pathways.md from fixtures/pathways/*.json, so the docs always match the data.

.venv/bin/python scripts/pathways_doc.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from clinical.engine import describe_condition  # noqa: E402
from clinical.pathway_files import read_pathway_file  # noqa: E402

HEADER = """# Clinical pathways

Generated from `fixtures/pathways/*.json` by `scripts/pathways_doc.py`: edit the files, then
rerun the script. Each pathway is a FHIR R4 Questionnaire (what the office is asked) plus
criteria (what "meets criteria" means). A request whose answers meet any one criterion is
approved at submission; otherwise it goes to a nurse or physician for clinical review, with the
list of what was not met. **A pathway never denies**: only a physician does.

Every pathway opens with the question "Is this request to evaluate suspicion of cancer,
screening for cancer, active evaluation or monitoring of known cancer?" (reference/002).
Questions marked *(under 19)* or *(19 and over)* are asked only in that age band; cardiac
pre-exam questions are not asked under 19 (reference/003).

Where a criterion uses the time since a prior study, the pathway asks whether there was one and,
if so, its date (only on the branches that use it); the interval is counted from that date to the
date of service. An answer or interval that is not given never meets a criterion, in either
direction: a rule that needs it, or uses it as a limit, is simply not met, and the case goes to
clinical review ("not" of an unknown is unknown).

An answer that means the patient belongs in an emergency department now is marked in the file
(extension `urn:precert-portal:emergency` on the answer option, with what to say): choosing it
shows an alert at once and offers to mark the request medically urgent.

The criteria below are our own plain-language summaries of the public guidelines named; they
are conservative on purpose (anything uncertain goes to clinical review).
"""


def _band(item) -> str:
    parts = []
    for fact, op, literal in item.expression:
        if fact == "age" and op == "<" and literal == "19":
            parts.append("under 19")
        elif fact == "age" and op == ">=" and literal == "19":
            parts.append("19 and over")
        else:
            parts.append(f"{fact} {op} {literal}")
    return f" *({', '.join(parts)})*" if parts else ""


def main() -> None:
    out = [HEADER]
    for path in sorted((ROOT / "fixtures" / "pathways").glob("*.json")):
        p = read_pathway_file(path)
        out.append(f"\n## {p.title}\n")
        out.append(
            f"`{p.slug}` version {p.version}, in force from {p.effective_date:%m/%d/%Y}. "
            f"Procedure codes: {', '.join(p.procedure_codes)}.\n"
        )
        out.append("\n**Sources:** " + "; ".join(p.sources) + "\n")
        out.append("\n**Questions** (follow-up questions appear only when they apply):\n")
        for item in p.compiled.items:
            if item.type == "display":
                continue
            indent = "  " * item.depth
            kind = (
                "group"
                if item.type == "group"
                else item.type + (", several" if item.repeats else "")
            )
            follow = " (follow-up)" if item.enable_when else ""
            out.append(f"{indent}- {item.text} [{kind}]{follow}{_band(item)}\n")
            for option in item.options:
                if option.emergency:
                    out.append(
                        f"{indent}  - **Emergency answer** “{option.display}”: the page shows an "
                        f"alert, offers to mark the request urgent, and says: {option.emergency}\n"
                    )
        out.append("\n**Meets criteria when any of these holds:**\n\n")
        out.append("| id | rule | in words | guideline |\n| --- | --- | --- | --- |\n")
        for rule in p.compiled.rules:
            words = describe_condition(rule.when, p.compiled).replace("|", "/")
            out.append(f"| {rule.id} | {rule.reason} | {words} | {rule.guideline} |\n")
    (ROOT / "docs" / "pathways.md").write_text("".join(out))
    print(f"Wrote docs/pathways.md ({len(out)} parts)")


if __name__ == "__main__":
    main()
