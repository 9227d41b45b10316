"""A form field as Bootstrap 5 markup, built in Python: the wizard's pages are the busiest in the
portal and crispy-forms' field template cost more than everything else on them together.

The markup follows crispy-bootstrap5's (label with `requiredField`, `is-invalid`, errors in an
`invalid-feedback` block, help in `form-text`, radio and checkbox lists as `form-check` rows in a
fieldset). Widgets are read through their own `get_context()`, so values, `checked`/`selected`
and ids come from Django; a widget this module does not know is rendered by Django itself.
"""

from html import escape

from django import forms
from django.forms.widgets import Input
from django.utils.safestring import SafeString, mark_safe

CHOICE_LISTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _e(value) -> str:
    """conditional_escape without its lazy-string wrapper (it was a third of this module's time):
    markup already safe passes, anything else is escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _flatatt(attrs: dict) -> str:
    """django.forms.utils.flatatt: valued attributes, then the boolean ones set, each by name."""
    valued = sorted(
        (key, value)
        for key, value in attrs.items()
        if value is not None and not isinstance(value, bool)
    )
    flags = sorted(key for key, value in attrs.items() if value is True)
    return "".join(f' {_e(key)}="{_e(value)}"' for key, value in valued) + "".join(
        f" {_e(key)}" for key in flags
    )


def field_html(bf: forms.BoundField) -> SafeString:
    """The label, the widget, the errors and the help text of one bound field."""
    if bf.is_hidden:
        return bf.as_widget()
    widget = bf.field.widget
    errors = bf.errors
    if isinstance(widget, CHOICE_LISTS):
        return _choice_list(bf, widget, errors)
    checkbox = isinstance(widget, forms.CheckboxInput)
    control = _control(bf, widget, checkbox=checkbox, invalid=bool(errors))
    label = _label(
        bf,
        ("form-check-label" if checkbox else "form-label")
        + (" requiredField" if bf.field.required else ""),
    )
    first, second = (control, label) if checkbox else (label, control)
    css = "mb-3 form-check" if checkbox else "mb-3"
    return mark_safe(  # noqa: S308 (every part is escaped as it is built)
        f'<div id="div_{_e(bf.auto_id)}" class="{css}">{first}{second}'
        f"{_errors(bf, errors)}{_help(bf)}</div>"
    )


def _label(bf, css: str) -> str:
    if not bf.label:
        return ""
    return f'<label for="{_e(bf.id_for_label)}" class="{css}">{_caption(bf)}</label>'


def _caption(bf) -> str:
    """The label's text with crispy's required marker, for a <label> or a <legend>."""
    if not bf.field.required:
        return _e(bf.label)
    return f'{_e(bf.label)}<span class="asteriskField">*</span>'


def _errors(bf, errors) -> str:
    if not errors:
        return ""
    auto_id = _e(bf.auto_id)
    rows = "".join(
        f'<p id="error_{n}_{auto_id}"><strong>{_e(e)}</strong></p>'
        for n, e in enumerate(errors, start=1)
    )
    return f'<div id="{auto_id}_error" class="invalid-feedback d-block">{rows}</div>'


def _help(bf) -> str:
    if not bf.help_text:
        return ""
    # Help texts are written by us in the forms and may hold markup, as in Django's own output.
    return f'<div id="{_e(bf.auto_id)}_helptext" class="form-text">{bf.help_text}</div>'


def _widget_attrs(bf, widget, css: str) -> dict:
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    classes = " ".join(c for c in (widget.attrs.get("class", ""), css) if c)
    return {**attrs, "class": classes} if classes else attrs


def _control(bf, widget, *, checkbox: bool, invalid: bool) -> str:
    if checkbox:
        css = "form-check-input"
    elif "class" in widget.attrs:
        css = ""  # the form chose form-control / form-select already
    else:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if invalid:
        css = f"{css} is-invalid".strip()
    attrs = _widget_attrs(bf, widget, css)
    context = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    kind = type(widget)
    name, attributes = _e(context["name"]), _flatatt(context["attrs"])
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        value = context["value"]
        value = f' value="{_e(value)}"' if value is not None else ""
        return f'<input type="{_e(context["type"])}" name="{name}"{value}{attributes}>'
    if kind is forms.Textarea:
        value = "" if context["value"] is None else _e(context["value"])
        return f'<textarea name="{name}"{attributes}>\n{value}</textarea>'
    if kind is forms.CheckboxInput:
        value = context["value"]
        value = f' value="{_e(value)}"' if value is not None else ""
        return f'<input type="checkbox" name="{name}"{value}{attributes}>'
    if kind is forms.Select:
        return f'<select name="{name}"{attributes}>{_options(context["optgroups"])}</select>'
    return bf.as_widget(attrs=attrs)


def _options(optgroups) -> str:
    html = []
    for group, options, _index in optgroups:
        rows = "".join(
            f'<option value="{_e(o["value"])}"{_flatatt(o["attrs"])}>{_e(o["label"])}</option>'
            for o in options
        )
        html.append(f'<optgroup label="{_e(group)}">{rows}</optgroup>' if group else rows)
    return "".join(html)


def _choice_list(bf, widget, errors) -> SafeString:
    invalid = " is-invalid" if errors else ""
    attrs = _widget_attrs(bf, widget, "")
    context = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    rows = []
    for _group, options, _index in context["optgroups"]:
        for option in options:
            attributes = _flatatt({k: v for k, v in option["attrs"].items() if k != "class"})
            rows.append(
                f'<div class="form-check"><input type="{_e(option["type"])}" '
                f'class="form-check-input{invalid}" name="{_e(option["name"])}" '
                f'value="{_e(option["value"])}"{attributes}><label '
                f'for="{_e(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{_e(option['label'])}</label></div>"
            )
    required = " requiredField" if bf.field.required else ""
    legend = f'<legend class="form-label fs-6{required}">{_caption(bf)}</legend>'
    described = " ".join(
        f"{bf.auto_id}_{suffix}"
        for suffix, present in (("helptext", bf.help_text), ("error", errors))
        if present and bf.auto_id
    )
    described = f' aria-describedby="{_e(described)}"' if described else ""
    return mark_safe(  # noqa: S308 (every part is escaped as it is built)
        f'<div id="div_{_e(bf.auto_id)}" class="mb-3"><fieldset{described}>{legend}'
        f"<div>{''.join(rows)}</div>{_errors(bf, errors)}{_help(bf)}</fieldset></div>"
    )
