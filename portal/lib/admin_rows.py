"""Fields in an admin table row (a list's inline edits, a tabular inline) are labelled only by
their column header, which nothing ties to the control, so a screen reader reads a row of
unnamed boxes. Each gets an aria-label of its own. A help text, which the tabular inline shows
as an icon in the header with no id to point at, becomes the control's title (its accessible
description) instead of an aria-describedby that points nowhere."""

from django import forms
from django.contrib import admin
from django.utils.html import strip_tags


def label_row_fields(form: forms.BaseForm) -> None:
    """Name each control by its column and its row ("Requires auth: 70551 Saguaro ...")."""
    row = str(form.instance) if getattr(form.instance, "pk", None) else "new row"
    for field in form.fields.values():
        if field.widget.is_hidden:
            continue
        # A related-field wrapper renders its inner widget (whose attrs a form's copy owns).
        attrs = getattr(field.widget, "widget", field.widget).attrs
        attrs.setdefault("aria-label", f"{field.label or ''}: {row}".lstrip(": "))
        if field.help_text:
            attrs.setdefault("title", strip_tags(str(field.help_text)))
            field.help_text = ""


def _labelled(formset_class):
    # add_fields runs for every form, after the formset's own fields (DELETE, ORDER) are added.
    class Labelled(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            label_row_fields(form)

    return Labelled


class LabelledListEditable:
    """For a ModelAdmin with list_editable."""

    def get_changelist_formset(self, request, **kwargs):
        return _labelled(super().get_changelist_formset(request, **kwargs))


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        return _labelled(super().get_formset(request, obj, **kwargs))
