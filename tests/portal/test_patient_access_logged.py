"""Every page that shows a patient writes an access-log row for that request: every address of
the portal and of the admin is opened, with demo data, by an office user and the plan admin;
any page naming the demo patient must have logged them (or their case)."""

import itertools
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from cases import wizard
from cases.models import Case
from payers.models import Member
from portal.models import AccessLog
from tests.cases.test_wizard import build
from tests.conftest import login

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _addresses(values):
    """Every address with its parameters filled from `values` (a list of choices per name);
    `object_id` of an admin page: the pk given for that admin's model, else of a few rows."""
    for route, callback in _patterns(get_resolver().url_patterns):
        if route.startswith("^") or "(?P" in route:
            continue  # the admin's catch-all and regex routes: nothing patient-bearing
        names = PARAM.findall(route)
        model_admin = getattr(callback, "model_admin", None)
        options = []
        for name in names:
            if name == "object_id" and model_admin is not None:
                model = model_admin.model
                pks = values["object_id"].get(model) or list(
                    model._default_manager.values_list("pk", flat=True)[:3]
                )
                options.append([str(pk) for pk in pks])
            else:
                options.append(values.get(name, []))
        if any(not o for o in options):
            continue
        for combo in itertools.product(*options):
            path = "/" + route
            for value in combo:
                path = PARAM.sub(value, path, count=1)
            yield path


def _logged(member, since):
    rows = AccessLog.objects.filter(pk__gt=since)
    member_type = ContentType.objects.get_for_model(Member)
    case_type = ContentType.objects.get_for_model(Case)
    cases = [str(pk) for pk in Case.objects.filter(member=member).values_list("pk", flat=True)]
    return rows.filter(content_type=member_type, object_id=str(member.pk)).exists() or (
        rows.filter(content_type=case_type, object_id__in=cases).exists()
    )


@pytest.mark.django_db
def test_every_page_showing_a_patient_logs_the_access(client, alice, paula, nina, world):
    login(client, alice)
    build(client, world)  # a submitted case
    case = Case.objects.get()
    drafts = [build(client, world, upto=step)[0] for step in ("member", "service", "site")]
    member = Member.objects.get(member_id="SAG100200301")
    values = {
        "token": drafts,
        "step": list(wizard.STEPS),
        "case_number": [case.case_number],
        "object_id": {Member: [member.pk], Case: [case.pk]},  # the demo patient's own rows
    }
    marks = [member.last_name, member.member_id]
    checked, unlogged = [], []
    case.status = "in_review"  # in the queue too (the reviewers' pages)
    case.save(update_fields=["status"])
    for user in (alice, paula, nina):
        login(client, user)
        for path in _addresses(values):
            since = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(path, follow=True)
            html = response.content.decode(errors="replace")
            if any(mark in html for mark in marks):
                checked.append(path)
                if not _logged(member, since):
                    unlogged.append((user.username, path))
    assert not unlogged, f"pages showing a patient without an access-log row: {unlogged}"
    # The walk did reach the pages issue 11 names (else it would prove nothing).
    assert any(p.endswith("/cancel/") for p in checked)
    assert any("/site/" in p for p in checked)
    assert any(p.startswith("/admin/payers/member/") and "/delete/" in p for p in checked)
    assert "/cases/in-progress/" in checked
    assert "/review/" in checked and f"/review/cases/{case.case_number}/" in checked
