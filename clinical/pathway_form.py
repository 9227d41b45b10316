"""The server-rendered pathway form component: answers in from a POST, questions out to HTML.

The wizard embeds it; the pathway demo page uses it alone. Validation lives in the engine, so this
module only maps request data to raw answers and evaluation results to what the template shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinical.engine import CompiledPathway, Evaluation, Item

DEFAULT_PREFIX = "pw"


def field_name(item: Item, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}-{item.link_id}"


def answers_from_post(
    post: Mapping, pathway: CompiledPathway, prefix: str = DEFAULT_PREFIX
) -> dict[str, Any]:
    """Raw answers (strings, or lists for repeating questions) as the user typed them."""
    answers: dict[str, Any] = {}
    for item in pathway.items:
        if not item.is_question:
            continue
        name = field_name(item, prefix)
        if item.repeats:
            values = post.getlist(name) if hasattr(post, "getlist") else post.get(name, [])
            if values:
                answers[item.link_id] = list(values)
        elif name in post:
            answers[item.link_id] = post.get(name)
    return answers


@dataclass(frozen=True)
class RenderedQuestion:
    item: Item
    name: str
    input_id: str
    value: str
    values: frozenset[str]
    error: str
    drives: bool = False  # its answer can show or hide another question

    @property
    def widget(self) -> str:
        if self.item.type == "choice":
            return "checkboxes" if self.item.repeats else "radios"
        return {
            "boolean": "yesno",
            "integer": "number",
            "decimal": "number",
            "date": "date",
            "text": "textarea",
            "group": "group",
            "display": "display",
        }.get(self.item.type, "text")


def rendered_questions(
    evaluation: Evaluation,
    raw_answers: Mapping[str, Any],
    *,
    show_errors: bool,
    prefix: str = DEFAULT_PREFIX,
) -> list[RenderedQuestion]:
    """The enabled items in order, each with what the user typed and (if asked) its error."""
    rows = []
    for item in evaluation.enabled:
        raw = raw_answers.get(item.link_id)
        values = raw if isinstance(raw, list | tuple) else ([] if raw is None else [raw])
        rows.append(
            RenderedQuestion(
                item=item,
                name=field_name(item, prefix),
                input_id=f"id_{prefix}_{item.link_id}",
                value="" if raw is None or isinstance(raw, list | tuple) else str(raw),
                values=frozenset(str(v) for v in values),
                error=evaluation.errors.get(item.link_id, "") if show_errors else "",
                drives=item.link_id in evaluation.drivers,
            )
        )
    return rows


YES_NO = (("true", "Yes"), ("false", "No"))


def pathway_form_context(
    evaluation: Evaluation,
    raw_answers: Mapping[str, Any],
    *,
    refresh_url: str,
    show_errors: bool,
    prefix: str = DEFAULT_PREFIX,
) -> dict[str, Any]:
    """Everything `clinical/partials/_pathway_questions.html` needs."""
    return {
        "questions": rendered_questions(
            evaluation, raw_answers, show_errors=show_errors, prefix=prefix
        ),
        "refresh_url": refresh_url,
        "yesno": YES_NO,
    }
