"""Every page that shows a patient is logged, by the one path every page is drawn through.

The template backend below is Django's own, with one step added before a template is rendered:
the context is looked over for patient-bearing objects (a member, a case, a draft that holds a
member, or a list of them at the top level) and an access-log row is written for each one not
logged yet in this request. A new view that passes a patient to its template is logged without
a call of its own; tests/portal/test_patient_access_logged.py walks every address to keep it so.
"""

from django.template.backends.django import DjangoTemplates
from django.template.backends.django import Template as DjangoTemplate

LOGGED = "_patients_logged"  # request attribute: (model label, pk) already logged


def _patients(value):
    """(model, pk, detail) for each patient-bearing object this context value holds."""
    from cases.models import Case, Draft
    from payers.models import Member

    items = value if isinstance(value, list | tuple) else (value,)
    for item in items:
        if isinstance(item, Member | Case) and item.pk is not None:
            yield type(item), item.pk, ""
        elif isinstance(item, Draft):
            member = item.state.get("data", {}).get("member", {}).get("member")
            if member is not None:
                yield Member, member, f"draft {item.token}"


def _deleted_with(context) -> list:
    """An admin delete confirmation lists, as text, every row that goes with what is deleted
    (a plan's members): the rows themselves, to log the patients among them."""
    from django.contrib.admin.utils import NestedObjects
    from django.db import router

    from cases.models import Case
    from payers.models import Member

    objs = [context["object"]] if context.get("object") is not None else context.get("queryset")
    if not objs:
        return []
    objs = list(objs)
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    rows = [item for items in collector.data.values() for item in items]
    # What blocks the delete is listed too (a case protects its member).
    return [item for item in [*rows, *collector.protected] if isinstance(item, Member | Case)]


def mark_logged(request, model, pk) -> None:
    if request is not None:
        request.__dict__.setdefault(LOGGED, set()).add((model._meta.label, str(pk)))


def log_patients_shown(context, request) -> None:
    if request is None or not context:
        return
    from portal.services import access_log_record

    logged = request.__dict__.setdefault(LOGGED, set())
    values = list(context.values())
    if "deleted_objects" in context:
        values.append(_deleted_with(context))
    for value in values:
        for model, pk, detail in _patients(value):
            key = (model._meta.label, str(pk))
            if key in logged:
                continue
            logged.add(key)
            access_log_record(request=request, obj=model(pk=pk), detail=detail or "page")


class Template(DjangoTemplate):
    def render(self, context=None, request=None):
        log_patients_shown(context, request)
        return super().render(context, request)


class PatientLoggingTemplates(DjangoTemplates):
    """DjangoTemplates, logging the patients each rendered page is given."""

    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)
