"""The server-rendered pathway form component: answers in from a POST, questions out to HTML.

The wizard embeds it; the pathway demo page uses it alone. Validation lives in the engine, so this
module only maps request data to raw answers and evaluation results to what the template shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

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
    drives: bool = False  # its answer can show or hide another question, or raise an alarm
    # What to tell the office for each chosen answer meaning "emergency department now".
    emergencies: tuple[str, ...] = ()

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
                # An answer that means "emergency now" re-renders the questions to say so at once.
                drives=item.link_id in evaluation.drivers or any(o.emergency for o in item.options),
                emergencies=tuple(
                    dict.fromkeys(
                        o.emergency for o in item.options if o.emergency and o.code in values
                    )
                ),
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
    urgent_input: str = "id_urgency_1",
) -> dict[str, Any]:
    """Everything `clinical/partials/_pathway_questions.html` needs.

    urgent_input: the id of the form's "medically urgent" choice, which an emergency alert offers
    to tick (a label for it, so it works without JavaScript); empty where there is none.
    """
    questions = rendered_questions(evaluation, raw_answers, show_errors=show_errors, prefix=prefix)
    return {
        "questions": questions,
        "questions_html": questions_html(
            questions, refresh_url=refresh_url, urgent_input=urgent_input
        ),
        "refresh_url": refresh_url,
    }


# The questions' markup is built here rather than in a template: each answer that shows or hides
# another question re-renders them, and Django's template engine took most of that request's time.

_INPUT_TYPES = {"number": "number"}


def questions_html(
    questions: list[RenderedQuestion], *, refresh_url: str, urgent_input: str = ""
) -> SafeString:
    """The enabled questions as Bootstrap 5 markup (every value escaped here)."""
    url = escape(refresh_url)
    return mark_safe(  # noqa: S308
        "".join(_question_html(q, url, escape(urgent_input)) for q in questions)
    )


def _emergency_html(messages: tuple[str, ...], urgent_input: str) -> str:
    offer = (
        f'<label for="{urgent_input}" class="btn btn-danger btn-sm mt-2 mb-0">'
        "Mark this request medically urgent</label>"
        if urgent_input
        else ""
    )
    said = "".join(f'<p class="mb-1">{escape(m)}</p>' for m in messages)
    return (
        '<div class="alert alert-danger mt-2 pathway-emergency" role="alert">'
        f'<h4 class="alert-heading h6 mb-1">Emergency: the patient may need care now</h4>'
        f"{said}{offer}</div>"
    )


def _question_html(q: RenderedQuestion, refresh_url: str, urgent_input: str = "") -> str:
    item = q.item
    # A class per depth, not a style attribute: the CSP allows no inline style.
    indent = f"pathway-depth-{min(item.depth, 6)}"
    text = escape(item.text)
    if q.widget == "group":
        return f'<h3 class="h6 mt-3 mb-2 text-uppercase text-body-secondary {indent}">{text}</h3>'
    if q.widget == "display":
        return f'<p class="small text-body-secondary {indent}">{text}</p>'
    input_id = escape(q.input_id)
    invalid = " is-invalid" if q.error else ""
    star = '<span class="text-danger" aria-hidden="true">*</span>' if item.required else ""
    drives = (
        f' {indent} pathway-driver" data-link-id="{escape(item.link_id)}" '
        f'hx-post="{refresh_url}" hx-trigger="change"'
        if q.drives
        else f' {indent}" data-link-id="{escape(item.link_id)}"'
    )
    parts = [f'<div class="mb-3 pathway-question{drives}>']
    if q.widget in ("yesno", "radios", "checkboxes"):
        described = f' aria-describedby="{input_id}-error"' if q.error else ""
        parts.append(
            f'<fieldset{described}><legend class="form-label fs-6 mb-1">{text}{star}</legend>'
        )
        name = escape(q.name)
        if q.widget == "yesno":
            required = " required" if item.required else ""
            for value, label in YES_NO:
                checked = " checked" if q.value == value else ""
                parts.append(
                    '<div class="form-check form-check-inline">'
                    f'<input class="form-check-input{invalid}" type="radio" name="{name}" '
                    f'id="{input_id}_{value}" value="{value}"{checked}{required}>'
                    f'<label class="form-check-label" for="{input_id}_{value}">{label}</label>'
                    "</div>"
                )
        else:
            kind = "checkbox" if q.widget == "checkboxes" else "radio"
            for n, option in enumerate(item.options, start=1):
                checked = " checked" if option.code in q.values else ""
                parts.append(
                    '<div class="form-check">'
                    f'<input class="form-check-input{invalid}" type="{kind}" name="{name}" '
                    f'id="{input_id}_{n}" value="{escape(option.code)}"{checked}>'
                    f'<label class="form-check-label" for="{input_id}_{n}">'
                    f"{escape(option.display)}</label></div>"
                )
        parts.append("</fieldset>")
    else:
        parts.append(f'<label class="form-label" for="{input_id}">{text}{star}</label>')
        aria = f' aria-describedby="{input_id}-error" aria-invalid="true"' if q.error else ""
        name, value = escape(q.name), escape(q.value)
        if q.widget == "textarea":
            parts.append(
                f'<textarea class="form-control{invalid}" name="{name}" id="{input_id}" '
                f'rows="3"{aria}>{value}</textarea>'
            )
        else:
            extra = ""
            if q.widget == "date":
                # A text box, not type=date: Chromium sends an impossible date as empty, and the
                # answer typed would be lost (docs/decisions.md).
                extra = ' inputmode="numeric" placeholder="MM/DD/YYYY" maxlength="10"'
            if q.widget == "number":
                integer = item.type == "integer"
                extra = (
                    f' inputmode="{"numeric" if integer else "decimal"}"'
                    f' step="{"1" if integer else "any"}"'
                )
                if item.min_value is not None:
                    extra += f' min="{item.min_value:f}"'
                if item.max_value is not None:
                    extra += f' max="{item.max_value:f}"'
            parts.append(
                f'<input class="form-control mw-14{invalid}" '
                f'type="{_INPUT_TYPES.get(q.widget, "text")}" name="{name}" id="{input_id}" '
                f'value="{value}"{extra}{aria}>'
            )
    if q.error:
        parts.append(
            f'<div id="{input_id}-error" class="invalid-feedback d-block">{escape(q.error)}</div>'
        )
    if q.emergencies:
        parts.append(_emergency_html(q.emergencies, urgent_input))
    parts.append("</div>")
    return "".join(parts)
