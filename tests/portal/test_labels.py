"""Every form control has a name a screen reader can read, and every id an attribute points at
exists: the pages of a walk over every address (office admin and plan admin, the admin's lists
with their inline-edit fields included), and the wizard's clinical step and the pathway demo with
their errors shown."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases import wizard
from cases.models import Case
from payers.models import Member
from tests.cases.test_wizard import build, post, step_url
from tests.conftest import login
from tests.portal.test_patient_access_logged import _addresses

CONTROLS = {"input", "select", "textarea"}
UNNAMED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
ID_REFS = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-activedescendant")


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.label_for, self.refs, self.controls = set(), set(), [], []
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ID_REFS:
            self.refs += [(tag, name, ref) for ref in (attrs.get(name) or "").split()]
        if tag == "label":
            self._open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
                self.refs.append((tag, "for", attrs["for"]))
        if tag in CONTROLS and (attrs.get("type") or "text") not in UNNAMED_INPUTS:
            named = self._open_labels or attrs.get("aria-label") or attrs.get("aria-labelledby")
            named = named or attrs.get("title")
            self.controls.append((attrs, bool(named)))

    def handle_endtag(self, tag):
        if tag == "label" and self._open_labels:
            self._open_labels -= 1


def problems(html: str) -> list[str]:
    parser = _Controls()
    parser.feed(html)
    found = [
        f"<{attrs.get('name') or attrs.get('id') or '?'}> has no label"
        for attrs, named in parser.controls
        if not named and attrs.get("id") not in parser.label_for
    ]
    found += [
        f"{tag} {name}={ref!r}: no such id"
        for tag, name, ref in parser.refs
        if ref not in parser.ids
    ]
    return found


def test_the_checker_finds_what_it_should():
    assert problems('<label for="a">A</label><input id="a">') == []
    assert problems('<label>A <input type="file"></label><input type="hidden" name="x">') == []
    assert problems('<input type="file" name="files">') == ["<files> has no label"]
    assert problems('<input id="a" aria-label="A" aria-describedby="a_helptext">') == [
        "input aria-describedby='a_helptext': no such id"
    ]


@pytest.mark.django_db
def test_every_page_names_its_controls_and_points_at_real_ids(client, alice, paula, nina, world):
    login(client, alice)
    # The draft at the clinical step first: after a submitted case it would stop at a
    # duplicate-request notice.
    drafts = [build(client, world, upto=step)[0] for step in ("confirm", "member", "service")]
    build(client, world)
    case = Case.objects.get()
    member = Member.objects.get(member_id="SAG100200301")
    values = {
        "token": drafts,
        "step": list(wizard.STEPS),
        "case_number": [case.case_number],
        "object_id": {Member: [member.pk], Case: [case.pk]},
    }
    # With errors shown: the clinical step sent empty, the pathway demo with a bad diagnosis.
    pages = {"clinical": client.get(step_url(drafts[0], "clinical")).content.decode()}
    pages["clinical with errors"] = post(client, drafts[0], "clinical", {}).content.decode()
    demo = client.post(
        reverse("pathway_try", args=["mri-knee"]), {"age": "40", "diagnoses": "not a code"}
    )
    pages["pathway demo with errors"] = demo.content.decode()
    # In the queue and claimed by the nurse: the review page shows its action forms.
    Case.objects.filter(pk=case.pk).update(status="in_review", assigned_to=nina)
    for user in (alice, paula, nina):
        login(client, user)
        for path in _addresses(values):
            response = client.get(path, follow=True)
            if "text/html" in response.get("Content-Type", ""):
                pages[f"{user.username} {path}"] = response.content.decode()
    assert 'type="file"' in pages["clinical with errors"]
    assert any("/admin/payers/coderule/" in name for name in pages)
    assert "Enter ICD-10-CM codes" in pages["pathway demo with errors"]
    assert 'name="items"' in pages[f"nina /review/cases/{case.case_number}/"]
    found = {name: p for name, html in pages.items() if (p := problems(html))}
    assert not found, found
