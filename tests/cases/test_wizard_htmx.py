"""With JavaScript the wizard's forms post with htmx: each reply is the next step's area, its
address pushed into the browser history; the submission's reply is the determination (the page's
main area); anything else that leaves the wizard is a full navigation."""

import re

import pytest
from django.urls import reverse

from cases.models import Case, CaseStatus, Draft
from clinical.models import Program
from portal.models import AccessLog
from tests.cases.test_wizard import KNEE, MEMBER, PROVIDER, start, step_url
from tests.clinical.pathways.test_mri_knee import CHRONIC
from tests.conftest import login

HTMX = {"HX-Request": "true", "HX-Target": "wizard"}


def main_text(html):
    """The words of the determination and the case summary, without markup or spacing."""
    body = html[html.index('<div class="d-flex') : html.index("Building additional cases")]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def hx_post(client, token, step, data, action="next"):
    return client.post(step_url(token, step), {**data, "action": action}, headers=HTMX)


def provider(world):
    return {
        **PROVIDER,
        "program": Program.objects.get(code="radiology-cardiology").pk,
        "practitioner": world["doctor"].pk,
        "health_plan": world["plan"].pk,
    }


def to_clinical(client, token, world):
    for step, data in [
        ("provider", provider(world)),
        ("member", MEMBER),
        ("service", KNEE),
        ("site", {"site": world["site"].pk}),
        ("confirm", {}),
    ]:
        hx_post(client, token, step, data)


@pytest.mark.django_db
def test_each_step_replies_with_the_next_step_and_pushes_its_address(client, alice, world):
    login(client, alice)
    token = start(client)
    steps = [
        ("provider", provider(world), "member"),
        ("member", MEMBER, "service"),
        ("service", KNEE, "site"),
        ("site", {"site": world["site"].pk}, "confirm"),
        ("confirm", {}, "clinical"),
    ]
    for step, data, following in steps:
        response = hx_post(client, token, step, data)
        assert response.status_code == 200
        assert response.headers["HX-Push-Url"] == step_url(token, following)
        html = response.content.decode()
        assert html.lstrip().startswith("<title>") and "<html" not in html  # the step area only
        assert 'id="wizard"' in html and f'hx-post="{step_url(token, following)}"' in html
        assert "no-store" in response["Cache-Control"]
    answers = {f"pw-{k}": v for k, v in CHRONIC.items()}
    response = hx_post(
        client, token, "clinical", {"urgency": "standard", "attest": "on", **answers}
    )
    case = Case.objects.get()
    assert case.status == CaseStatus.APPROVED
    assert Draft.objects.get(token=token).submitted_case == case
    # The reply is the determination: it replaces the page's main area, at the case's address.
    case_url = reverse("case_detail", args=[case.case_number])
    assert response.status_code == 200 and response.headers["HX-Push-Url"] == case_url
    assert response.headers["HX-Retarget"] == "#main"
    assert response.headers["HX-Reswap"].startswith("innerHTML")
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.lstrip().startswith("<title>Case ") and "<html" not in html
    assert 'id="determination"' in html and case.authorization_number in html
    # Shown from the case as written, it says exactly what the case page (read back) says.
    page = client.get(case_url).content.decode()
    assert main_text(html) == main_text(page.split('<main id="main"', 1)[1].split("</main>")[0])
    # Reading the case to show it is recorded, as for the page, at the case's address.
    assert AccessLog.objects.filter(
        object_id=str(case.pk), action=AccessLog.Action.VIEW, user=alice, path=case_url
    ).exists()


@pytest.mark.django_db
def test_a_submitted_requests_steps_lead_to_its_case(client, alice, charlie, world):
    login(client, alice)
    token = start(client)
    to_clinical(client, token, world)
    answers = {f"pw-{k}": v for k, v in CHRONIC.items()}
    data = {"urgency": "standard", "attest": "on", **answers}
    hx_post(client, token, "clinical", data)
    case_url = reverse("case_detail", args=[Case.objects.get().case_number])
    # Back in the browser reloads a step's address; Submit sent again creates nothing.
    assert client.get(step_url(token, "clinical")).url == case_url
    assert hx_post(client, token, "clinical", data).headers["HX-Redirect"] == case_url
    assert Case.objects.count() == 1
    client.logout()
    login(client, charlie)  # another office: nothing, not even where it went
    assert client.get(step_url(token, "clinical")).status_code == 404


@pytest.mark.django_db
def test_errors_come_back_on_the_same_step_with_nothing_lost(client, alice, world):
    login(client, alice)
    token = start(client)
    hx_post(client, token, "provider", provider(world))
    response = hx_post(client, token, "member", {**MEMBER, "last_name": ""})
    assert response.status_code == 200 and "HX-Push-Url" not in response.headers
    html = response.content.decode()
    assert "is-invalid" in html and 'value="SAG100200301"' in html
    assert Draft.objects.get(token=token).state["raw"]["member"]["member_id"] == ["SAG100200301"]


@pytest.mark.django_db
def test_back_and_finish_later_with_htmx(client, alice, world):
    login(client, alice)
    token = start(client)
    hx_post(client, token, "provider", provider(world))
    back = hx_post(client, token, "member", {"member_id": "SAG1"}, action="back")
    assert back.headers["HX-Push-Url"] == step_url(token, "provider")
    assert 'value="Luis Ortega"' in back.content.decode()
    later = hx_post(client, token, "provider", provider(world), action="later")
    assert later.headers["HX-Redirect"] == reverse("drafts_in_progress")
    assert Draft.objects.get(token=token).state["raw"]["provider"]["contact_name"] == [
        "Luis Ortega"
    ]


@pytest.mark.django_db
def test_a_question_refresh_never_submits(client, alice, world):
    login(client, alice)
    token = start(client)
    to_clinical(client, token, world)
    answers = {f"pw-{k}": v for k, v in CHRONIC.items()}
    refresh = client.post(
        step_url(token, "clinical"),
        {"urgency": "standard", "attest": "on", **answers},
        headers={"HX-Request": "true", "HX-Target": "pathway-questions"},
    )
    assert refresh.status_code == 200 and not Case.objects.exists()
    # The questions alone come back (not the page), and what was answered is kept in the draft.
    html = refresh.content.decode()
    assert html.lstrip().startswith('<div id="pathway-questions"') and "<form" not in html
    assert "no-store" in refresh["Cache-Control"]
    assert Draft.objects.get(token=token).state["raw"]["clinical"]["pw-xray_done"] == ["true"]


@pytest.mark.django_db
def test_answers_reveal_follow_up_questions_one_refresh_at_a_time(client, alice, world):
    login(client, alice)
    token = start(client)
    to_clinical(client, token, world)
    headers = {"HX-Request": "true", "HX-Target": "pathway-questions"}
    before = client.post(step_url(token, "clinical"), {"pw-xray_done": "false"}, headers=headers)
    after = client.post(step_url(token, "clinical"), {"pw-xray_done": "true"}, headers=headers)
    assert "What did the x-rays show" not in before.content.decode()
    assert "What did the x-rays show" in after.content.decode()


@pytest.mark.django_db
def test_site_search_and_choice_swap_the_step(client, alice, charlie, world):
    login(client, alice)
    token = start(client)
    for step, data in [("provider", provider(world)), ("member", MEMBER), ("service", KNEE)]:
        hx_post(client, token, step, data)
    search = client.get(
        step_url(token, "site"), {"name": "Camelback", "zip_code": "85016"}, headers=HTMX
    )
    html = search.content.decode()
    assert search.status_code == 200 and "<html" not in html and 'id="wizard"' in html
    assert "Camelback Imaging Center" in html and "In network" in html
    chosen = client.post(
        step_url(token, "site") + "?name=Camelback&zip_code=85016",
        {"site": world["site"].pk, "action": "choose"},
        headers=HTMX,
    )
    assert chosen.status_code == 200 and "<html" not in chosen.content.decode()
    assert Draft.objects.get(token=token).state["raw"]["site"]["site"] == [str(world["site"].pk)]
    client.logout()
    login(client, charlie)
    assert (
        client.get(step_url(token, "site"), {"name": "Camelback"}, headers=HTMX).status_code == 404
    )


@pytest.mark.django_db
def test_charlie_posting_with_htmx_to_alices_draft_gets_404(client, alice, charlie, world):
    login(client, alice)
    token = start(client)
    client.logout()
    login(client, charlie)
    assert hx_post(client, token, "provider", provider(world)).status_code == 404


@pytest.mark.django_db
def test_a_locked_step_answers_with_the_confirmation_and_says_why(client, alice, world):
    login(client, alice)
    token = start(client)
    to_clinical(client, token, world)
    response = hx_post(client, token, "provider", provider(world))
    assert response.headers["HX-Push-Url"] == step_url(token, "confirm")
    html = response.content.decode()
    # The message comes in the swapped area (the page's own message list is not re-rendered).
    assert "Provider, member and service can no longer be changed for this request." in html
