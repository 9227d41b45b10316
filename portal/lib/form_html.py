"""A form field as Bootstrap 5 markup, built in Python: the wizard's pages are the busiest in the
portal and crispy-forms' field template cost more than everything else on them together.

The markup follows crispy-bootstrap5's (label with `requiredField`, `is-invalid`, errors in an
`invalid-feedback` block, help in `form-text`, radio and checkbox lists as `form-check` rows in a
fieldset). Widgets are read through their own `get_context()`, so values, `checked`/`selected`
and ids come from Django; a widget this module does not know is rendered by Django itself.
"""

from django import forms
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

CHOICE_LISTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


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
    parts = (control, label) if checkbox else (label, control)
    return format_html(
        '<div id="div_{}" class="{}">{}{}{}{}</div>',
        bf.auto_id,
        "mb-3 form-check" if checkbox else "mb-3",
        *parts,
        _errors(bf, errors),
        _help(bf),
    )


def _label(bf, css: str) -> SafeString:
    if not bf.label:
        return mark_safe("")  # noqa: S308 (a constant)
    return format_html('<label for="{}" class="{}">{}</label>', bf.id_for_label, css, _caption(bf))


def _caption(bf) -> SafeString:
    """The label's text with crispy's required marker, for a <label> or a <legend>."""
    if not bf.field.required:
        return conditional_escape(bf.label)
    return format_html('{}<span class="asteriskField">*</span>', bf.label)


def _errors(bf, errors) -> SafeString:
    if not errors:
        return mark_safe("")  # noqa: S308 (a constant)
    return format_html(
        '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
        bf.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, bf.auto_id, e) for n, e in enumerate(errors, start=1)),
        ),
    )


def _help(bf) -> SafeString:
    if not bf.help_text:
        return mark_safe("")  # noqa: S308 (a constant)
    # Help texts are written by us in the forms and may hold markup, as in Django's own output.
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>',
        bf.auto_id,
        mark_safe(bf.help_text),  # noqa: S308
    )


def _widget_attrs(bf, widget, css: str) -> dict:
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    classes = " ".join(c for c in (widget.attrs.get("class", ""), css) if c)
    return {**attrs, "class": classes} if classes else attrs


def _control(bf, widget, *, checkbox: bool, invalid: bool) -> SafeString:
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
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        value = context["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            context["type"],
            context["name"],
            format_html(' value="{}"', value) if value is not None else "",
            flatatt(context["attrs"]),
        )
    if kind is forms.Textarea:
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            flatatt(context["attrs"]),
            "" if context["value"] is None else context["value"],
        )
    if kind is forms.CheckboxInput:
        return format_html(
            '<input type="checkbox" name="{}"{}{}>',
            context["name"],
            format_html(' value="{}"', context["value"]) if context["value"] is not None else "",
            flatatt(context["attrs"]),
        )
    if kind is forms.Select:
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            flatatt(context["attrs"]),
            _options(context["optgroups"]),
        )
    return bf.as_widget(attrs=attrs)


def _options(optgroups) -> SafeString:
    html = []
    for group, options, _index in optgroups:
        rows = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
        )
        html.append(
            format_html('<optgroup label="{}">{}</optgroup>', group, rows) if group else rows
        )
    return mark_safe("".join(html))  # noqa: S308 (each part was escaped above)


def _choice_list(bf, widget, errors) -> SafeString:
    invalid = " is-invalid" if errors else ""
    attrs = _widget_attrs(bf, widget, "")
    context = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    rows = []
    for _group, options, _index in context["optgroups"]:
        for option in options:
            rows.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" '
                    'name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label>'
                    "</div>",
                    option["type"],
                    invalid,
                    option["name"],
                    option["value"],
                    flatatt({k: v for k, v in option["attrs"].items() if k != "class"}),
                    option["attrs"].get("id", ""),
                    option["label"],
                )
            )
    legend = format_html(
        '<legend class="form-label fs-6{}">{}</legend>',
        " requiredField" if bf.field.required else "",
        _caption(bf),
    )
    described = " ".join(
        f"{bf.auto_id}_{suffix}"
        for suffix, present in (("helptext", bf.help_text), ("error", errors))
        if present and bf.auto_id
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}>{}<div>{}</div>{}{}</fieldset></div>',
        bf.auto_id,
        format_html(' aria-describedby="{}"', described) if described else "",
        legend,
        mark_safe("".join(conditional_escape(r) for r in rows)),  # noqa: S308
        _errors(bf, errors),
        _help(bf),
    )
