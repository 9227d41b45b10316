"""Every page carries the Content-Security-Policy and the Permissions-Policy: a walk over every
address of the portal and the admin, signed out, as an office admin and as the plan admin."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from cases import wizard
from cases.models import Case
from payers.models import Member
from tests.cases.test_wizard import build
from tests.conftest import login
from tests.portal.test_patient_access_logged import _addresses

CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
}


def directives(header: str) -> dict[str, set[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def permissions(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


def check(response) -> list[str]:
    wrong = []
    csp = response.headers.get("Content-Security-Policy")
    if csp is None or directives(csp) != CSP:
        wrong.append(f"Content-Security-Policy: {csp!r}")
    policy = response.headers.get("Permissions-Policy")
    if policy is None or any(
        permissions(policy).get(feature) != "()"
        for feature in ("camera", "microphone", "geolocation", "payment", "usb")
    ):
        wrong.append(f"Permissions-Policy: {policy!r}")
    return wrong


class _Inline(HTMLParser):
    """What the policy would refuse in a page: style="", on* handlers, inline <script>, <style>."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style" or (tag == "script" and not attrs.get("src")):
            self.found.append(f"<{tag}>")
        self.found += [f"<{tag} {name}>" for name in attrs if name == "style" or name[:2] == "on"]
        self.found += [f"<{tag} {name}>" for name in attrs if name.startswith(("hx-on", "js:"))]


def inline(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


def test_the_parsers_read_the_headers():
    assert directives("default-src 'self'; img-src 'self' data:") == {
        "default-src": {"'self'"},
        "img-src": {"'self'", "data:"},
    }
    assert permissions("camera=(), geolocation=()") == {"camera": "()", "geolocation": "()"}
    html = '<p style="x" onclick="y"><script>z</script><script src="/a.js"></script>'
    html += '<b hx-on:click="">'
    assert inline(html) == ["<p style>", "<p onclick>", "<script>", "<b hx-on:click>"]


@pytest.mark.django_db
def test_every_page_carries_the_csp_and_the_permissions_policy(client, alice, paula, nina, world):
    login(client, alice)
    build(client, world)
    case = Case.objects.get()
    drafts = [build(client, world, upto=step)[0] for step in ("member", "service", "site")]
    member = Member.objects.get(member_id="SAG100200301")
    values = {
        "token": drafts,
        "step": list(wizard.STEPS),
        "case_number": [case.case_number],
        "object_id": {Member: [member.pk], Case: [case.pk]},
    }
    Case.objects.filter(pk=case.pk).update(status="in_review", assigned_to=nina)
    wrong, seen = {}, 0
    others = {"paula": paula, "nina": nina}
    for who, browser in (
        ("anonymous", Client()),
        ("alice", client),
        ("paula", None),
        ("nina", None),
    ):
        if browser is None:
            browser = login(Client(), others[who])
        for path in _addresses(values):
            # Not followed: a redirect, a 404 and a 403 need the headers as much as a page.
            response = browser.get(path)
            seen += 1
            problems = check(response)
            if "text/html" in response.get("Content-Type", ""):
                problems += inline(response.content.decode())
            if problems:
                wrong[f"{who} {path} ({response.status_code})"] = problems
    assert seen > 300
    assert not wrong, wrong


@pytest.mark.django_db
def test_a_missing_page_carries_them_too(client):
    assert not check(client.get("/no-such-page/"))
    assert client.get("/no-such-page/").status_code == 404
