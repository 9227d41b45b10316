"""The case-build wizard's steps and its state in the draft (no request handling here).

Seven pages from home to the determination for a standard case: provider, member, service,
site, confirm (with the lock-in notice), clinical (urgency, uploads, pathway questions,
attestation, submit), then the determination.
"""

from dataclasses import dataclass

STEPS = ("provider", "member", "service", "site", "confirm", "clinical")
TITLES = {
    "provider": "Provider and health plan",
    "member": "Member",
    "service": "Procedure and diagnosis",
    "site": "Rendering site",
    "confirm": "Confirm",
    "clinical": "Clinical information",
}
# After the confirmation page, provider, member and service can no longer change (reference/002).
LOCKED_STEPS = frozenset({"provider", "member", "service", "site"})


@dataclass(frozen=True)
class StepView:
    name: str
    title: str
    number: int
    state: str  # done, current, todo, locked


def data(draft, step: str) -> dict:
    return draft.state.get("data", {}).get(step, {})


def raw(draft, step: str) -> dict:
    return draft.state.get("raw", {}).get(step, {})


def derived(draft) -> dict:
    return draft.state.setdefault("derived", {})


def duplicates(draft) -> list[dict]:
    """The requests on file the duplicate notice told of: {"number", "own" (this office's)}.
    Drafts saved before offices were told apart hold bare numbers: not named to anyone."""
    return [
        d if isinstance(d, dict) else {"number": d, "own": False}
        for d in derived(draft).get("duplicates", [])
    ]


def applies(draft, step: str) -> bool:
    # A code that needs no authorization skips the clinical page: the case is "not required".
    return not (step == "clinical" and derived(draft).get("not_required"))


def steps_for(draft) -> list[str]:
    return [s for s in STEPS if applies(draft, s)]


def is_complete(draft, step: str) -> bool:
    if step == "confirm":
        return bool(draft.state.get("locked"))
    return step in draft.state.get("data", {}) and not derived(draft).get(f"stop_{step}")


def first_incomplete(draft) -> str:
    return next((s for s in steps_for(draft) if not is_complete(draft, s)), steps_for(draft)[-1])


def reachable(draft, step: str) -> bool:
    order = steps_for(draft)
    if step not in order:
        return False
    return all(is_complete(draft, s) for s in order[: order.index(step)])


def previous(draft, step: str) -> str | None:
    order = steps_for(draft)
    index = order.index(step)
    return order[index - 1] if index else None


def back_from(draft, step: str) -> str | None:
    """Where Back leads: the step before, unless the lock-in put it out of reach."""
    back = previous(draft, step)
    if back is None or (draft.state.get("locked") and back in LOCKED_STEPS):
        return None
    return back


def following(draft, step: str) -> str | None:
    order = steps_for(draft)
    index = order.index(step)
    return order[index + 1] if index + 1 < len(order) else None


def progress(draft, current: str) -> tuple[list[StepView], int]:
    order = steps_for(draft)
    locked = bool(draft.state.get("locked"))
    views = []
    for n, step in enumerate(order, start=1):
        if step == current:
            state = "current"
        elif locked and step in LOCKED_STEPS:
            state = "locked"
        elif is_complete(draft, step):
            state = "done"
        else:
            state = "todo"
        views.append(StepView(step, TITLES[step], n, state))
    percent = int(100 * order.index(current) / len(order)) if current in order else 0
    return views, percent


# What is kept of a post: the step's own fields only, each within bounds (a draft is read and
# written on every request), and without NUL characters (PostgreSQL refuses them in JSON).
RAW_MAX_KEYS = 120
RAW_MAX_VALUES = 50
RAW_MAX_CHARS = 10_000


def save_raw(draft, step: str, post, *, keep) -> None:
    """What the user typed, kept as typed (so Back, Finish later and errors never lose it).
    `keep(name)` says which posted names belong to the step."""
    kept = {}
    for key, values in post.lists():
        if len(kept) >= RAW_MAX_KEYS:
            break
        if keep(key):
            kept[key] = [clean_text(v)[:RAW_MAX_CHARS] for v in values[:RAW_MAX_VALUES]]
    draft.state.setdefault("raw", {})[step] = kept


def clean_text(value: str) -> str:
    return value.replace("\x00", "") if "\x00" in value else value


# What each step works out beyond its own fields (eligibility stops, the code's answer...).
DERIVED_BY_STEP = {
    "member": ("stop_member",),
    "service": ("stop_service", "not_required", "duplicates"),
}


def save_data(draft, step: str, values: dict) -> None:
    """Store a step's validated answers. A changed answer makes every later step confirm again:
    their validated data and what was derived from it go (what was typed there stays)."""
    data = draft.state.setdefault("data", {})
    changed = data.get(step) != values
    later = STEPS[STEPS.index(step) + 1 :]
    for name in (step, *later) if changed else (step,):
        for key in DERIVED_BY_STEP.get(name, ()):
            derived(draft).pop(key, None)
        if name != step:
            data.pop(name, None)
    data[step] = values
