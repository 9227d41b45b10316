"""The wizard's rules where they are easy to get wrong: what is re-checked at submission, what
another office may learn, what happens to uploads, odd input. Alice builds, Bob works in her
office, Charlie is elsewhere."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Attachment, Case, CaseStatus, Draft
from clinical.models import Program
from payers.models import HealthPlan, Member, PlanPolicy
from portal.models import AccessLog, DirectoryProvider
from tests.cases.test_uploads import PDF
from tests.cases.test_wizard import CHRONIC, KNEE, MEMBER, PROVIDER, build, post, start, step_url
from tests.conftest import login
from tests.factories import OfficePractitionerFactory, SiteFactory

CLINICAL = {"urgency": "standard", "attest": "on", **{f"pw-{k}": v for k, v in CHRONIC.items()}}


def provider_data(world, **extra):
    return {
        **PROVIDER,
        "program": Program.objects.get(code="radiology-cardiology").pk,
        "practitioner": world["doctor"].pk,
        "health_plan": world["plan"].pk,
        **extra,
    }


# --- odd input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["next", "later", "back"])
def test_a_nul_character_in_a_field_is_dropped_not_a_server_error(client, alice, world, action):
    login(client, alice)
    token = start(client)
    response = post(
        client, token, "provider", provider_data(world, contact_name="Luis\x00"), action
    )
    assert response.status_code in (200, 302)
    raw = Draft.objects.get(token=token).state["raw"]["provider"]
    assert raw["contact_name"] == ["Luis"]
    assert client.get(step_url(token, "provider") + "?q=%00").status_code == 200


def test_only_the_steps_own_fields_are_kept_in_the_draft(client, alice, world):
    login(client, alice)
    token = start(client)
    junk = {f"junk{n}": "x" * 2000 for n in range(300)}
    long_name = "L" * 50_000
    post(
        client, token, "provider", {**provider_data(world, contact_name=long_name), **junk}, "later"
    )
    raw = Draft.objects.get(token=token).state["raw"]["provider"]
    assert not any(key.startswith("junk") for key in raw)
    assert raw["health_plan"] == [str(world["plan"].pk)]
    assert len(raw["contact_name"][0]) == 10_000  # bounded; the form itself refuses it anyway


# --- the practitioner filter -------------------------------------------------------------------


def test_the_practitioner_filter_keeps_what_was_typed(client, alice, world):
    from tests.factories import DirectoryProviderFactory

    chen = DirectoryProviderFactory(last_name="Chen", first_name="Aisha")
    OfficePractitionerFactory(office=alice.office, provider=chen)
    login(client, alice)
    token = start(client)
    typed = provider_data(world, practitioner="", contact_name="Luis Ortega", q="Che")
    page = post(client, token, "provider", typed, action="filter")
    assert page.status_code == 200
    form = page.context["form"]
    assert list(form.fields["practitioner"].queryset) == [chen]
    html = page.content.decode()
    assert 'value="Luis Ortega"' in html and "is-invalid" not in html  # no errors yet
    assert f'<option value="{world["plan"].pk}" selected>' in html
    # With JavaScript the filter posts with htmx and only the list is replaced (hx-select).
    hx = client.post(
        step_url(token, "provider"),
        {**typed, "q": "Alv", "action": "filter"},
        headers={"HX-Request": "true", "HX-Target": "id_practitioner"},
    )
    assert 'id="id_practitioner"' in hx.content.decode()
    assert list(hx.context["form"].fields["practitioner"].queryset) == [world["doctor"]]


def test_charlie_cannot_filter_alices_draft(client, alice, charlie, world):
    login(client, alice)
    token = start(client)
    login(client, charlie)
    response = post(client, token, "provider", {"q": "Alv"}, action="filter")
    assert response.status_code == 404


# --- the rendering site ------------------------------------------------------------------------


def _to_site(client, world, plan, member):
    token = start(client)
    assert post(client, token, "provider", provider_data(world, health_plan=plan.pk)).status_code
    assert post(client, token, "member", member).status_code == 302
    assert post(client, token, "service", KNEE).status_code == 302
    return token


def test_a_hospital_outpatient_site_can_be_chosen_with_its_notices(client, alice, world):
    hospital = SiteFactory(
        organization_name="Huntsville Hospital Radiology",
        state="AL",
        zip_code="35801",
        site_type=DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT,
    )
    yellowhammer = HealthPlan.objects.get(name="Yellowhammer Blue Cross")  # site-of-care review
    login(client, alice)
    member = {
        "performed": "no",
        "member_id": "YHA300400500",
        "date_of_birth": "1979-02-28",
        "last_name": "Pruitt",
    }
    token = _to_site(client, world, yellowhammer, member)
    search = "?name=Huntsville&zip_code=35801"
    chosen = client.post(
        step_url(token, "site") + search, {"site": hospital.pk, "action": "choose"}
    )
    html = chosen.content.decode()
    assert "Selected site:" in html and "Huntsville Hospital Radiology" in html
    assert "Site-of-care review" in html and 'name="site_of_care_reason"' in html
    assert "Out-of-network notice" in html  # not in Yellowhammer's network
    assert "is-invalid" not in html and "Please select the rendering site" not in html
    missing = post(client, token, "site", {"site": hospital.pk})
    assert missing.status_code == 200
    assert "say why the hospital is needed" in missing.content.decode()
    reason = {"site": hospital.pk, "site_of_care_reason": "Needs sedation with anesthesia"}
    assert post(client, token, "site", reason).status_code == 302


# --- patient data: who may read it, and the log ------------------------------------------------


def test_a_colleague_reading_a_drafts_patient_details_is_logged(client, alice, bob, world):
    login(client, alice)
    token, _ = build(client, world, upto="site")
    other = login(Client(), bob)
    html = other.get(step_url(token, "confirm")).content.decode()
    assert "Marsh" in html
    member = Member.objects.get(member_id="SAG100200301")
    logged = AccessLog.objects.get(user=bob)
    assert logged.action == AccessLog.Action.VIEW and logged.object_id == str(member.pk)
    assert str(token) in logged.detail


def test_the_cancel_page_is_never_cached(client, alice, charlie, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    page = client.get(reverse("draft_cancel", args=[token]))
    assert "no-store" in page["Cache-Control"]
    login(client, charlie)
    assert client.get(reverse("draft_cancel", args=[token])).status_code == 404


def test_another_offices_request_is_told_of_but_not_named(client, alice, charlie, world):
    login(client, alice)
    build(client, world)
    alices = Case.objects.get()
    OfficePractitionerFactory(office=charlie.office, provider=world["doctor"])
    login(client, charlie)
    _, response = build(client, world, upto="confirm")
    html = response.content.decode()
    assert "Possible duplicate" in html and "a request from another office" in html
    assert alices.case_number not in html


# --- rules applied again at submission ---------------------------------------------------------


def test_an_expired_draft_is_not_submitted_even_before_the_job_runs(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    Draft.objects.filter(token=token).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = post(client, token, "clinical", CLINICAL)
    assert response.status_code == 302 and response.url == reverse("drafts_in_progress")
    assert not Case.objects.exists()
    assert Draft.objects.get(token=token).expired_at is not None
    page = client.get(reverse("drafts_in_progress")).content.decode()
    assert "Not submitted within two business days" in page


def test_the_in_progress_list_expires_what_is_due(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    Draft.objects.filter(token=token).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.get(reverse("drafts_in_progress")).content.decode()
    assert "Not submitted within two business days" in page and "Resume" not in page


def test_a_duplicate_filed_after_the_confirmation_is_noticed_at_submission(
    client, alice, bob, world
):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")  # nothing on file yet
    build(login(Client(), bob), world)  # Bob files the same member and procedure meanwhile
    bobs = Case.objects.get()
    noticed = post(client, token, "clinical", CLINICAL)
    assert noticed.status_code == 200 and Case.objects.count() == 1
    html = noticed.content.decode()
    assert "Possible duplicate" in html and bobs.case_number in html  # same office: named
    confirmed = post(client, token, "clinical", {**CLINICAL, "confirm_duplicate": "yes"})
    assert confirmed.status_code == 302
    assert Case.objects.exclude(pk=bobs.pk).get().duplicate_of == bobs


def _ordering_only(plan, line_of_business):
    policy = PlanPolicy.objects.get(health_plan=plan, line_of_business=line_of_business)
    policy.requester = PlanPolicy.Requester.ORDERING_ONLY
    policy.save()  # as the admin does: every process drops what it kept of the plan


MEDICARE_MEMBER = {
    "performed": "no",
    "member_id": "M2K100200300",
    "date_of_birth": "1950-05-05",
    "last_name": "Benson",
}


def test_the_members_line_of_business_decides_who_may_request(client, alice, world):
    _ordering_only(world["plan"], "medicare_advantage")  # the plan's default allows anyone
    login(client, alice)
    token = start(client)
    assert post(client, token, "provider", provider_data(world, requester="other")).status_code
    refused = post(client, token, "member", MEDICARE_MEMBER)
    assert refused.status_code == 200
    assert "for its Medicare Advantage members from the ordering provider only" in (
        refused.content.decode()
    )
    post(client, token, "provider", provider_data(world, requester="ordering"))
    assert post(client, token, "member", MEDICARE_MEMBER).status_code == 302


def test_who_may_request_is_checked_again_at_submission_and_recorded(client, alice, world):
    login(client, alice)
    token = start(client)
    post(client, token, "provider", provider_data(world, requester="other"))
    for step, data in [
        ("member", MEDICARE_MEMBER),
        ("service", KNEE),
        ("site", {"site": world["site"].pk}),
        ("confirm", {}),
    ]:
        assert post(client, token, step, data).status_code == 302, step
    _ordering_only(world["plan"], "medicare_advantage")  # the plan changed its rule meanwhile
    refused = post(client, token, "clinical", CLINICAL)
    assert refused.status_code == 200 and not Case.objects.exists()
    assert "from the ordering provider only" in refused.content.decode()


def test_the_requester_is_recorded_on_the_case(client, alice, world):
    login(client, alice)
    build(client, world)
    assert Case.objects.get().requester == "ordering"


def test_the_retro_window_is_checked_again_at_submission(client, alice, world, monkeypatch):
    login(client, alice)
    dos = timezone.localdate() - timedelta(days=30)  # the last day of Saguaro's 30-day window
    member = {**MEMBER, "performed": "yes", "date_of_service": dos.isoformat()}
    token, _ = build(client, world, member=member, upto="confirm")
    later = timezone.localdate() + timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    refused = post(client, token, "clinical", CLINICAL)
    assert refused.status_code == 200 and not Case.objects.exists()
    assert "takes retrospective requests within 30 calendar days" in refused.content.decode()


def test_coverage_that_ended_during_the_build_stops_the_submission(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    Member.objects.filter(member_id="SAG100200301").update(
        coverage_end=timezone.localdate() - timedelta(days=1)
    )
    refused = post(client, token, "clinical", CLINICAL)
    assert refused.status_code == 200 and not Case.objects.exists()
    assert "not eligible" in refused.content.decode().lower()


def test_a_not_required_case_records_no_attestation(client, alice, world):
    login(client, alice)
    echo = {**KNEE, "procedure_code": "93306", "laterality": ""}  # not on Saguaro's list
    build(client, world, service=echo, upto="confirm")
    case = Case.objects.get()
    assert case.status == CaseStatus.NOT_REQUIRED
    assert case.attested_by is None and case.attested_at is None


# --- uploads -----------------------------------------------------------------------------------


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "attachments"


def _upload(client, token, action, *files, **fields):
    return client.post(
        step_url(token, "clinical"),
        {"urgency": "urgent", "action": action, "files": list(files), **fields},
    )


@pytest.mark.parametrize("action", ["later", "back"])
def test_documents_sent_with_back_or_finish_later_are_kept(
    client, alice, world, private_media, action
):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    response = _upload(
        client,
        token,
        action,
        SimpleUploadedFile("note.pdf", PDF),
        SimpleUploadedFile("fake.pdf", b"MZ\x90 an exe"),
    )
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["note.pdf"]
    shown = client.get(response.url).content.decode()
    assert "fake.pdf is not a PDF file" in shown  # said on the next page


def test_cancelling_a_request_deletes_its_documents(
    client, alice, world, private_media, django_capture_on_commit_callbacks
):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    _upload(client, token, "later", SimpleUploadedFile("note.pdf", PDF))
    assert len(list(private_media.iterdir())) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("draft_cancel", args=[token]))
    assert not Attachment.objects.exists() and not list(private_media.iterdir())


def test_an_expired_drafts_documents_are_deleted(
    client, alice, world, private_media, django_capture_on_commit_callbacks
):
    from cases.tasks import expire_drafts

    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    _upload(client, token, "later", SimpleUploadedFile("note.pdf", PDF))
    Draft.objects.filter(token=token).update(expires_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_drafts() == 1
    assert not Attachment.objects.exists() and not list(private_media.iterdir())
    assert expire_drafts() == 0


def test_a_file_over_5_mb_is_refused_by_name_and_the_form_kept(client, alice, world, private_media):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (6 * 1024 * 1024))
    response = _upload(client, token, "next", big, notes="Knee locks at night", attest="on")
    assert response.status_code == 200 and not Case.objects.exists()
    html = response.content.decode()
    assert "scan.pdf is larger than 5 MB." in html
    assert "Knee locks at night" in html  # the rest of the form is kept
    assert not Attachment.objects.exists()


def test_a_sixth_file_is_refused_with_a_message(client, alice, world, private_media):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    files = [SimpleUploadedFile(f"note{n}.pdf", PDF) for n in range(6)]
    response = _upload(client, token, "next", *files)
    assert response.status_code == 200
    assert "at most 5 files" in response.content.decode()
    assert Attachment.objects.count() == 5


def test_a_renamed_program_is_refused_through_the_wizard(client, alice, world, private_media):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    response = _upload(client, token, "next", SimpleUploadedFile("x-ray.pdf", b"MZ\x90\x00 exe"))
    assert "x-ray.pdf is not a PDF file" in response.content.decode()
    assert not Attachment.objects.exists() and not Case.objects.exists()


def test_expired_drafts_go_after_30_days_and_empty_ones_at_once(client, alice, world):
    from cases.services import draft_create
    from cases.tasks import expire_drafts

    login(client, alice)
    token, _ = build(client, world, upto="member")
    empty = draft_create(user=alice)  # "Start a new request", then nothing
    past = timezone.now() - timedelta(minutes=1)
    Draft.objects.filter(pk__in=[empty.pk, Draft.objects.get(token=token).pk]).update(
        expires_at=past
    )
    assert expire_drafts() == 2
    assert [str(t) for t in Draft.objects.values_list("token", flat=True)] == [token]  # shown
    Draft.objects.filter(token=token).update(expired_at=timezone.now() - timedelta(days=31))
    expire_drafts()
    assert not Draft.objects.exists()


# --- found in review: states between the pages ---------------------------------------------


def test_a_not_required_answer_that_no_longer_holds_leads_to_the_questions(client, alice, world):
    from clinical.models import ProcedureCode
    from payers.models import CodeRule

    login(client, alice)
    echo = {**KNEE, "procedure_code": "93306", "laterality": ""}  # not on Saguaro's list
    token, _ = build(client, world, service=echo, upto="site")
    code = ProcedureCode.objects.get(code="93306")
    CodeRule.objects.create(  # the plan adds the code meanwhile
        health_plan=world["plan"],
        program=code.program,
        procedure_code=code,
        effective_date=timezone.localdate(),
    )
    response = post(client, token, "confirm", {})
    assert response.status_code == 302 and response.url == step_url(token, "clinical")
    assert not Case.objects.exists()
    page = client.get(response.url).content.decode()
    assert "now needs authorization" in page and "I acknowledge" in page


def test_a_refused_confirmation_leaves_the_request_unlocked(client, alice, world):
    login(client, alice)
    echo = {**KNEE, "procedure_code": "93306", "laterality": ""}
    token, _ = build(client, world, service=echo, upto="site")
    Member.objects.filter(member_id="SAG100200301").update(
        coverage_end=timezone.localdate() - timedelta(days=1)
    )
    refused = post(client, token, "confirm", {})
    assert refused.status_code == 200 and "not eligible" in refused.content.decode().lower()
    assert not Draft.objects.get(token=token).state.get("locked")  # Back still works


def test_removing_a_user_takes_their_drafts_documents_too(
    client, alice, bob, world, private_media, django_capture_on_commit_callbacks
):
    from portal.services import office_user_remove

    login(client, bob)
    token, _ = build(client, world, upto="confirm")
    login(client, alice)  # alice adds a document to bob's draft (same office)
    _upload(client, token, "later", SimpleUploadedFile("note.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        assert office_user_remove(actor=alice, target=bob) is True
    assert not Draft.objects.exists() and not Attachment.objects.exists()
    assert not list(private_media.iterdir())


def test_a_submitted_request_is_never_discarded(client, alice, world, private_media):
    from cases.services import draft_discard
    from cases.uploads import attachments_add

    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    _upload(client, token, "later", SimpleUploadedFile("note.pdf", PDF))
    post(client, token, "clinical", CLINICAL)
    draft = Draft.objects.get(token=token)
    assert draft_discard(draft=draft) is False  # a cancel that arrives after the submit
    assert Attachment.objects.get().case == Case.objects.get()
    # A second click's files arrive after the first submitted: nothing is added.
    assert attachments_add(draft=draft, user=alice, files=[SimpleUploadedFile("x.pdf", PDF)]) == (
        [],
        [],
    )
    assert Attachment.objects.count() == 1


def test_choosing_another_site_keeps_what_was_typed_below(client, alice, world):
    other = SiteFactory(organization_name="Other Imaging", state="AZ", zip_code="85016")
    login(client, alice)
    token, _ = build(client, world, upto="service")
    post(client, token, "site", {"site": world["site"].pk, "site_email": "desk@site.org"}, "later")
    page = post(client, token, "site", {"site": other.pk}, "choose")
    assert 'value="desk@site.org"' in page.content.decode()
    assert Draft.objects.get(token=token).state["raw"]["site"]["site_email"] == ["desk@site.org"]


def test_a_draft_saved_before_the_requester_was_recorded_keeps_it(client, alice, world):
    login(client, alice)
    token = start(client)
    post(client, token, "provider", provider_data(world, requester="other"))
    draft = Draft.objects.get(token=token)
    del draft.state["data"]["provider"]["requester"]  # as drafts were saved before
    draft.save()
    for step, data in [
        ("member", MEMBER),
        ("service", KNEE),
        ("site", {"site": world["site"].pk}),
        ("confirm", {}),
        ("clinical", CLINICAL),
    ]:
        assert post(client, token, step, data).status_code == 302, step
    assert Case.objects.get().requester == "other"


def test_the_duplicate_recorded_is_the_offices_own_first(client, alice, charlie, world):
    OfficePractitionerFactory(office=charlie.office, provider=world["doctor"])
    build(login(Client(), charlie), world)
    charlies = Case.objects.get()
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    post(client, token, "confirm", {"confirm_duplicate": "yes"})
    post(client, token, "clinical", CLINICAL)
    alices = Case.objects.exclude(pk=charlies.pk).get()
    token, _ = build(client, world, upto="confirm")
    post(client, token, "confirm", {"confirm_duplicate": "yes"})
    post(client, token, "clinical", CLINICAL)
    third = Case.objects.exclude(pk__in=[charlies.pk, alices.pk]).get()
    assert third.duplicate_of == alices
