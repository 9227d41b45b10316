"""What the wizard's pages say and keep when the user strays from the straight path: words
typed where a code goes, a choice to correct, documents to take back, a page left and
resumed. Alice builds; Charlie, of another office, gets 404s."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Case, Draft
from payers.models import HealthPlan
from portal.models import AccessLog, DirectoryProvider
from tests.cases.test_uploads import PDF
from tests.cases.test_wizard import KNEE, build, post, step_url
from tests.cases.test_wizard_rules import CLINICAL, provider_data
from tests.conftest import login
from tests.factories import SiteFactory

HX = {"HX-Request": "true", "HX-Target": "wizard"}


def test_words_where_a_code_goes_are_answered_with_the_codes_they_match(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    words = {**KNEE, "procedure_code": "mri knee", "primary_diagnosis": "left knee"}
    response = post(client, token, "service", words)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "“mri knee” is not an advanced imaging procedure code" in errors["procedure_code"][0]
    assert "73721 (" in errors["procedure_code"][0]  # the match, without JavaScript too
    assert "M25.562 (Pain in left knee)" in errors["primary_diagnosis"][0]
    html = response.content.decode()
    assert 'value="mri knee"' in html and 'maxlength="100"' in html  # kept, and room for words
    nothing = post(client, token, "service", {**KNEE, "procedure_code": "zzzz"})
    assert "no code matches it" in nothing.context["form"].errors["procedure_code"][0]


def test_the_service_page_says_who_was_found(client, alice, world):
    login(client, alice)
    token, response = build(client, world, upto="member")
    page = client.get(response.url).content.decode()
    assert "Member: Olivia Marsh, born 03/14/1971" in page
    assert AccessLog.objects.filter(action="view", detail__contains=str(token)).exists()
    # Posted with htmx, the member step answers with this page: the search is the one log row.
    logged = AccessLog.objects.count()
    hx = client.post(
        step_url(token, "member"),
        {
            "performed": "no",
            "member_id": "SAG100200301",
            "date_of_birth": "1971-03-14",
            "last_name": "Marsh",
            "action": "next",
        },
        headers=HX,
    )
    assert "Member: Olivia Marsh" in hx.content.decode()
    assert AccessLog.objects.count() == logged + 1


def _hospital_case(client, world):
    hospital = SiteFactory(
        organization_name="Huntsville Hospital Radiology",
        state="AL",
        zip_code="35801",
        site_type=DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT,
    )
    yellowhammer = HealthPlan.objects.get(name="Yellowhammer Blue Cross")
    token = client.post(reverse("case_new")).url.split("/")[-3]
    post(client, token, "provider", provider_data(world, health_plan=yellowhammer.pk))
    member = {
        "performed": "no",
        "member_id": "YHA300400500",
        "date_of_birth": "1979-02-28",
        "last_name": "Pruitt",
    }
    post(client, token, "member", member)
    post(client, token, "service", KNEE)
    return token, hospital


def test_a_site_choice_to_correct_comes_back_with_the_search_results(client, alice, world):
    login(client, alice)
    token, hospital = _hospital_case(client, world)
    search = "?name=Huntsville&zip_code=35801&match=starts"
    chosen = client.post(
        step_url(token, "site") + search, {"site": hospital.pk, "action": "choose"}
    )
    html = chosen.content.decode()
    assert f'action="{step_url(token, "site")}?name=Huntsville' in html  # the form posts there
    corrected = client.post(
        step_url(token, "site") + search, {"site": hospital.pk, "action": "next"}
    )
    html = corrected.content.decode()
    assert "say why the hospital is needed" in html
    assert 'Select<span class="visually-hidden"> Huntsville Hospital Radiology' in html
    assert 'value="Huntsville"' in html  # the search boxes too


def test_an_empty_site_search_says_what_to_enter(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="service")
    empty = client.get(step_url(token, "site") + "?npi=&tin=&name=&zip_code=&city=")
    assert "NPI, its TIN, or its name with a zip code" in empty.content.decode()
    name_only = client.get(step_url(token, "site") + "?name=Camelback")
    assert "zip code or city (or search by NPI or TIN)" in name_only.content.decode()
    none = client.get(step_url(token, "site") + "?name=Nowhere&zip_code=99999")
    assert "Check the spelling" in none.content.decode()


def test_every_clinical_problem_is_said_at_once(client, alice, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    response = post(client, token, "clinical", {"urgency": "urgent"})
    form = response.context["form"]
    assert (
        "An urgent request needs at least one clinical document uploaded." in form.errors["urgency"]
    )
    assert "attest" in form.errors
    assert any(q.error for q in response.context["questions"])  # the questions too


def test_update_questions_shows_no_errors_before_a_submit(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    refreshed = post(
        client, token, "clinical", {"urgency": "standard", "pw-cancer": "false"}, "refresh"
    )
    html = refreshed.content.decode()
    assert "Please confirm the attestation" not in html and "is-invalid" not in html


def test_a_document_can_be_removed_before_submitting(
    client, alice, charlie, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    client.post(
        step_url(token, "clinical"),
        {"action": "later", "files": [SimpleUploadedFile("wrong-patient.pdf", PDF)]},
    )
    attachment = Attachment.objects.get()
    page = client.get(step_url(token, "clinical")).content.decode()
    assert f'value="remove-{attachment.pk}"' in page
    login(client, charlie)
    assert post(client, token, "clinical", {}, f"remove-{attachment.pk}").status_code == 404
    login(client, alice)
    assert post(client, token, "clinical", {}, "remove-notanumber").status_code == 200
    removed = post(client, token, "clinical", {**CLINICAL}, f"remove-{attachment.pk}")
    assert "wrong-patient.pdf was removed." in removed.content.decode()
    assert not Attachment.objects.exists() and not Case.objects.exists()


def test_no_authorization_required_is_said_on_the_site_page(client, alice, world):
    login(client, alice)
    build(client, world)  # an approved knee case on file
    echo = {**KNEE, "procedure_code": "93306", "laterality": ""}
    token, response = build(client, world, service=echo, upto="service")
    page = client.get(response.url).content.decode()
    assert "No authorization is required." in page
    post(client, token, "site", {"site": world["site"].pk})
    confirm = client.get(step_url(token, "confirm")).content.decode()
    assert "Possible duplicate" not in confirm and "Outpatient" in confirm  # where it is done
    assert post(client, token, "confirm", {}).status_code == 302  # nothing to tick


def test_resume_returns_to_the_page_the_user_was_on(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    client.post(step_url(token, "service"), {**KNEE, "action": "next"}, headers=HX)
    assert Draft.objects.get(token=token).current_step == "site"  # shown by that same reply
    page = client.get(reverse("drafts_in_progress")).content.decode()
    assert step_url(token, "site") in page and "Rendering site" in page
    cancel = client.get(reverse("draft_cancel", args=[token])).content.decode()
    assert step_url(token, "site") in cancel  # "Keep working on it"


def test_a_discarded_request_is_a_plain_not_found_page(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    client.post(reverse("draft_cancel", args=[token]))
    gone = client.get(step_url(token, "service"))
    assert gone.status_code == 404
    html = gone.content.decode()
    assert "may have been cancelled" in html and "URLconf" not in html
