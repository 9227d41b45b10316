"""The whole case build through Django's test client, on the demo plans and real pathways."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseStatus, Draft
from payers.models import HealthPlan
from portal.models import AccessLog
from tests.clinical.pathways.test_mri_knee import CHRONIC
from tests.conftest import login

SAGUARO = "Saguaro Blue Cross Blue Shield"


def step_url(token, step):
    return reverse("case_step", args=[token, step])


def start(client):
    response = client.post(reverse("case_new"))
    assert response.status_code == 302
    return response.url.split("/")[-3]


def post(client, token, step, data, action="next"):
    return client.post(step_url(token, step), {**data, "action": action})


PROVIDER = {
    "requester": "ordering",
    "address": "practice",
    "contact_name": "Luis Ortega",
    "contact_phone": "602-555-0140",
    "contact_fax": "602-555-0141",
    "contact_email": "luis@example.org",
}
MEMBER = {
    "performed": "no",
    "member_id": "SAG100200301",
    "date_of_birth": "1971-03-14",
    "last_name": "Marsh",
}
KNEE = {
    "procedure_code": "73721",
    "quantity": "1",
    "laterality": "left",
    "place": "outpatient",
    "primary_diagnosis": "M25.562",
}


def build(
    client, world, *, member=MEMBER, service=KNEE, answers=CHRONIC, urgency="standard", upto=None
):
    """Walk the wizard; returns (token, last response)."""
    from clinical.models import Program

    token = start(client)
    steps = [
        (
            "provider",
            {
                **PROVIDER,
                "program": Program.objects.get(code="radiology-cardiology").pk,
                "practitioner": world["doctor"].pk,
                "health_plan": world["plan"].pk,
            },
        ),
        ("member", member),
        ("service", service),
        ("site", {"site": world["site"].pk}),
        ("confirm", {}),
        (
            "clinical",
            {"urgency": urgency, "attest": "on", **{f"pw-{k}": v for k, v in answers.items()}},
        ),
    ]
    response = None
    for name, data in steps:
        response = post(client, token, name, data)
        if name == upto:
            break
        assert response.status_code == 302, (
            name,
            getattr(response, "context", None)
            and response.context.get("form")
            and response.context["form"].errors,
        )
    return token, response


def test_mri_knee_meeting_criteria_is_approved_at_once(client, alice, world):
    login(client, alice)
    token, response = build(client, world)
    case = Case.objects.get()
    assert response.url == reverse("case_detail", args=[case.case_number])
    assert case.status == CaseStatus.APPROVED
    assert case.authorization_number.startswith("A")
    assert case.expiration_date == timezone.localdate() + timedelta(days=45)  # Saguaro: 45 days
    assert case.pathway_version.pathway.slug == "mri-knee"
    assert case.pathway_answers["conservative_weeks"] == "8"
    assert case.procedures.get().quantity_approved == 1
    assert CaseEvent.objects.get(case=case).to_status == CaseStatus.APPROVED
    assert Draft.objects.get(token=token).submitted_case == case
    page = client.get(response.url)
    html = page.content.decode()
    assert "Approved" in html and case.authorization_number in html
    assert "no-store" in page["Cache-Control"]
    assert AccessLog.objects.filter(object_id=str(case.pk), action="view").exists()


def test_lumbar_mri_not_meeting_criteria_pends_with_a_due_time(client, alice, world):
    login(client, alice)
    service = {
        "procedure_code": "72148",
        "quantity": "1",
        "place": "outpatient",
        "primary_diagnosis": "M54.50",
    }
    answers = {"cancer": "false"}  # incomplete on purpose first
    token, response = build(client, world, service=service, answers=answers, upto="clinical")
    assert response.status_code == 200  # unanswered questions: errors, nothing lost
    assert not Case.objects.exists()
    from tests.clinical.pathways.helpers import pathway

    compiled = pathway("mri-lumbar-spine")
    # Answer every enabled question with its first option / "no" / 0: no rule is met.
    from clinical.engine import CaseFacts, evaluate

    raw = {"cancer": "false"}
    for _ in range(6):
        result = evaluate(compiled, raw, CaseFacts(age=55, sex="F", procedure="72148"))
        for item in result.enabled:
            if item.is_question and item.link_id not in raw:
                if item.type == "boolean":
                    raw[item.link_id] = "false"
                elif item.type == "choice":
                    none = [o.code for o in item.options if o.code == "none"]
                    raw[item.link_id] = (
                        [none[0] if none else item.options[-1].code]
                        if item.repeats
                        else item.options[-1].code
                    )
                elif item.type in ("integer", "decimal"):
                    raw[item.link_id] = "1"
                else:
                    raw[item.link_id] = "x"
    response = post(
        client,
        token,
        "clinical",
        {"urgency": "standard", "attest": "on", **{f"pw-{k}": v for k, v in raw.items()}},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.IN_REVIEW
    assert case.review_due_at is not None and case.authorization_number is None
    assert case.determination_reasons
    assert "Sent to medical review" in client.get(response.url).content.decode()


def test_a_code_not_on_the_list_is_recorded_as_not_required(client, alice, world):
    login(client, alice)
    service = {
        "procedure_code": "93306",
        "quantity": "1",
        "place": "outpatient",
        "primary_diagnosis": "M25.562",
    }
    token, response = build(client, world, service=service, upto="confirm")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.NOT_REQUIRED
    assert "not on the plan's precertification list" in " ".join(case.determination_reasons)


def test_an_fep_member_stops_with_a_plain_answer_and_no_case(client, alice, world):
    login(client, alice)
    member = {
        "performed": "no",
        "member_id": "R10020030",
        "date_of_birth": "1965-07-22",
        "last_name": "Caldwell",
    }
    token, response = build(client, world, member=member, upto="member")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not managed by this program" in html and "Print this answer" in html
    assert client.get(step_url(token, "service")).status_code == 302  # cannot go on
    assert not Case.objects.exists()


def test_member_step_shares_the_lookup_limit_and_logs_failures(client, alice, bob, world, caplog):
    """40 wrong dates of birth, then the right one: refused, as on the eligibility page (one
    limit per user for every member lookup); each failure is logged without what was typed."""
    login(client, alice)
    token, _ = build(client, world, upto="provider")
    wrong = {**MEMBER, "date_of_birth": "1971-03-15"}
    with caplog.at_level("WARNING", logger="portal.security"):
        statuses = [post(client, token, "member", wrong).status_code for _ in range(40)]
    assert statuses[:30] == [200] * 30 and set(statuses[30:]) == {429}
    failed = [r for r in caplog.records if "member lookup failed" in r.getMessage()]
    assert len(failed) == 30
    assert all("SAG100200301" not in r.getMessage() for r in caplog.records)
    right = post(client, token, "member", MEMBER)
    assert right.status_code == 429
    assert "Too many patient lookups" in right.content.decode()
    assert right.context["form"]["member_id"].value() == "SAG100200301"  # kept as typed
    eligibility = client.post(
        reverse("eligibility_lookup"),
        {
            "health_plan": world["plan"].pk,
            "member_id": "SAG100200301",
            "date_of_birth": "1971-03-14",
        },
    )
    assert eligibility.status_code == 429  # the same limit, whichever page asks
    login(client, bob)  # another user's limit is their own
    token, _ = build(client, world, upto="provider")
    assert post(client, token, "member", MEMBER).status_code == 302


def test_an_impossible_date_of_birth_is_named_on_the_member_step(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="provider")
    response = post(client, token, "member", {**MEMBER, "date_of_birth": "02/31/1971"})
    assert "not a real date" in response.context["form"].errors["date_of_birth"][0]
    assert 'value="02/31/1971"' in response.content.decode()  # kept as typed


def test_wrong_member_details_say_no_match(client, alice, world):
    login(client, alice)
    token, response = build(client, world, member={**MEMBER, "last_name": "Smith"}, upto="member")
    assert "No member of this health plan matches" in response.content.decode()
    assert response.context["form"]["member_id"].value() == "SAG100200301"


@pytest.mark.parametrize(("days_ago", "accepted"), [(10, True), (31, False)])
def test_retro_request_inside_and_outside_the_window(client, alice, world, days_ago, accepted):
    login(client, alice)
    dos = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    member = {**MEMBER, "performed": "yes", "date_of_service": dos}
    token, response = build(client, world, member=member, upto="member")
    if accepted:  # Saguaro: 30 calendar days
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "retrospective requests within 30 calendar days" in response.content.decode()


def test_urgent_without_an_upload_is_refused(client, alice, world):
    login(client, alice)
    token, response = build(client, world, urgency="urgent", upto="clinical")
    assert response.status_code == 200
    assert "urgent request needs at least one clinical document" in response.content.decode()
    assert not Case.objects.exists()


def test_finish_later_and_resume_from_another_browser(client, alice, bob, world, django_user_model):
    from django.test import Client

    login(client, alice)
    token, _ = build(client, world, upto="member")
    post(client, token, "service", {"procedure_code": "7372"}, action="later")  # half typed
    listing = Client()
    login(listing, bob)  # a colleague, another browser
    untouched = start(client)  # opened, then left before anything was sent
    page = listing.get(reverse("drafts_in_progress"))
    assert token in page.content.decode()
    assert untouched not in page.content.decode()  # nothing to resume there
    resumed = listing.get(step_url(token, "service"))
    assert resumed.context["form"]["procedure_code"].value() == "7372"  # kept as typed


def test_in_progress_lists_only_requests_saved_or_typed_into(client, alice, charlie, world):
    login(client, alice)
    opened = start(client)  # opened and left
    prefilled = start(client)  # the practitioner filter posts only what the page filled in
    post(client, prefilled, "provider", {**PROVIDER, "q": "Alv"}, action="filter")
    fep = {"performed": "no", "member_id": "R10020030", "date_of_birth": "1965-07-22"}
    not_managed, _ = build(client, world, member={**fep, "last_name": "Caldwell"}, upto="member")
    typed, _ = build(client, world, upto="member")
    saved = start(client)
    post(client, saved, "provider", PROVIDER, action="later")  # Finish later, even at once
    page = client.get(reverse("drafts_in_progress")).content.decode()
    for token in (opened, prefilled, not_managed):
        assert token not in page
    assert typed in page and saved in page
    login(client, charlie)  # another office sees none of them
    page = client.get(reverse("drafts_in_progress")).content.decode()
    assert typed not in page and saved not in page


def test_back_keeps_what_was_typed(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    post(client, token, "service", {"procedure_code": "73721", "quantity": "2"}, action="back")
    again = client.get(step_url(token, "service"))
    assert again.context["form"]["quantity"].value() == "2"


def test_double_submit_creates_one_case(client, alice, world):
    login(client, alice)
    token, _ = build(client, world)
    replay = post(
        client,
        token,
        "clinical",
        {"urgency": "standard", "attest": "on", **{f"pw-{k}": v for k, v in CHRONIC.items()}},
    )
    assert Case.objects.count() == 1
    assert replay.status_code in (302, 404)


def test_charlie_cannot_see_alices_case_or_draft(client, alice, charlie, world):
    login(client, alice)
    token, response = build(client, world)
    case = Case.objects.get()
    open_token, _ = build(client, world, upto="member")
    login(client, charlie)
    assert client.get(reverse("case_detail", args=[case.case_number])).status_code == 404
    assert client.get(step_url(open_token, "member")).status_code == 404
    assert client.get(reverse("draft_cancel", args=[open_token])).status_code == 404
    assert open_token not in client.get(reverse("drafts_in_progress")).content.decode()


def test_provider_member_and_service_are_locked_after_confirmation(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    response = client.get(step_url(token, "service"))
    assert response.status_code == 302 and response.url.endswith("/confirm/")


def test_requester_policy_ordering_provider_only(client, alice, world):
    from clinical.models import Program

    login(client, alice)
    token = start(client)
    data = {
        **PROVIDER,
        "requester": "other",
        "program": Program.objects.get(code="radiology-cardiology").pk,
        "practitioner": world["doctor"].pk,
    }
    yellowhammer = HealthPlan.objects.get(name="Yellowhammer Blue Cross")  # ordering provider only
    refused = post(client, token, "provider", {**data, "health_plan": yellowhammer.pk})
    assert refused.status_code == 200
    assert "accepts requests from the ordering provider only" in refused.content.decode()
    accepted = post(
        client, token, "provider", {**data, "health_plan": world["plan"].pk}
    )  # any provider
    assert accepted.status_code == 302


def test_duplicate_notice_and_the_users_decision_is_recorded(client, alice, world):
    login(client, alice)
    build(client, world)
    first = Case.objects.get()
    token, response = build(client, world, upto="confirm")
    assert response.status_code == 200  # not confirmed yet: the notice
    assert first.case_number in response.content.decode()
    confirmed = post(client, token, "confirm", {"confirm_duplicate": "yes"})
    assert confirmed.status_code == 302
    post(
        client,
        token,
        "clinical",
        {"urgency": "standard", "attest": "on", **{f"pw-{k}": v for k, v in CHRONIC.items()}},
    )
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.duplicate_of == first
    # Criteria met, but a nurse verifies a confirmed duplicate (reference/003): not approved.
    assert first.status == CaseStatus.APPROVED and second.status == CaseStatus.IN_REVIEW
    assert f"Possible duplicate of case {first.case_number}" in second.determination_reasons[0]
    assert second.review_due_at is not None and second.authorization_number is None


def test_expiry_job_is_idempotent_and_the_user_sees_why(client, alice, world):
    from cases.tasks import expire_drafts

    login(client, alice)
    token, _ = build(client, world, upto="member")
    draft = Draft.objects.get(token=token)
    draft.expires_at = timezone.now() - timedelta(minutes=1)
    draft.save(update_fields=["expires_at"])
    assert expire_drafts() == 1
    assert expire_drafts() == 0  # a second run changes nothing
    page = client.get(reverse("drafts_in_progress")).content.decode()
    assert "Not submitted within two business days" in page
    response = client.get(step_url(token, "service"))
    assert response.status_code == 302 and response.url == reverse("drafts_in_progress")


def test_drafts_expire_at_the_end_of_the_second_business_day():
    from datetime import date

    from cases.services import draft_expiry

    expiry = timezone.localtime(draft_expiry(date(2026, 11, 25)))  # Wednesday before Thanksgiving
    assert expiry.date() == date(2026, 11, 30) and expiry.hour == 23


def test_cancel_asks_first_then_discards(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="member")
    page = client.get(reverse("draft_cancel", args=[token]))
    assert "cannot be undone" in page.content.decode()
    assert Draft.objects.filter(token=token).exists()
    client.post(reverse("draft_cancel", args=[token]))
    assert not Draft.objects.filter(token=token).exists()


def test_only_a_post_starts_a_request(client, alice, nina, world):
    """A link or an image on another site (a GET) must not create drafts."""
    login(client, alice)
    page = client.get(reverse("case_new"))
    assert page.status_code == 200
    assert not Draft.objects.exists()
    assert re.search(r'<form method="post" action="/cases/new/"', page.content.decode())
    assert client.post(reverse("case_new")).status_code == 302
    assert Draft.objects.count() == 1
    home = client.get(reverse("home")).content.decode()  # the home page starts one at once
    assert '<form method="post" action="/cases/new/">' in home
    login(client, nina)  # a reviewer does not build requests
    assert client.post(reverse("case_new")).status_code == 403
    assert Draft.objects.count() == 1


@pytest.mark.parametrize(
    ("reuse", "practitioner", "plan"),
    [
        ("program", False, False),
        ("provider", True, False),
        ("program,provider", True, False),
        ("program,plan", False, True),
    ],
)
def test_new_case_reusing_what_was_chosen(client, alice, charlie, world, reuse, practitioner, plan):
    login(client, alice)
    build(client, world)
    case = Case.objects.get()
    response = client.post(reverse("case_new_reusing", args=[case.case_number]), {"reuse": reuse})
    provider_page = client.get(response.url)
    form = provider_page.context["form"]
    assert form["program"].value() == case.program_id
    assert (form["practitioner"].value() == world["doctor"].pk) is practitioner
    assert (form["health_plan"].value() == world["plan"].pk) is plan
    login(client, charlie)  # another office's case number reuses nothing: 404
    refused = client.post(reverse("case_new_reusing", args=[case.case_number]), {"reuse": reuse})
    assert refused.status_code == 404


def test_an_expired_approval_is_not_a_duplicate(client, alice, world):
    login(client, alice)
    build(client, world)
    first = Case.objects.get()
    Case.objects.filter(pk=first.pk).update(
        expiration_date=timezone.localdate() - timedelta(days=1)
    )
    token, response = build(client, world, upto="service")
    assert response.status_code == 302
    assert Draft.objects.get(token=token).state["derived"]["duplicates"] == []


def test_changing_an_earlier_answer_makes_later_steps_confirm_again(client, alice, world):
    from clinical.models import Program

    login(client, alice)
    token, _ = build(client, world, upto="site")
    yellowhammer = HealthPlan.objects.get(name="Yellowhammer Blue Cross")
    changed = {
        **PROVIDER,
        "program": Program.objects.get(code="radiology-cardiology").pk,
        "practitioner": world["doctor"].pk,
        "health_plan": yellowhammer.pk,
    }
    assert post(client, token, "provider", changed).status_code == 302
    # The member found under the old plan no longer counts: back to the member step...
    response = client.get(step_url(token, "confirm"))
    assert response.status_code == 302 and response.url.endswith("/member/")
    # ...which still shows what was typed there.
    page = client.get(step_url(token, "member"))
    assert page.context["form"]["member_id"].value() == "SAG100200301"


def test_resubmitting_a_step_unchanged_keeps_the_later_steps(client, alice, world):
    from clinical.models import Program

    login(client, alice)
    token, _ = build(client, world, upto="site")
    same = {
        **PROVIDER,
        "program": Program.objects.get(code="radiology-cardiology").pk,
        "practitioner": world["doctor"].pk,
        "health_plan": world["plan"].pk,
    }
    post(client, token, "provider", same)
    assert client.get(step_url(token, "confirm")).status_code == 200


def test_an_administrators_change_to_a_plan_is_seen_by_the_next_page(client, alice, world):
    """Plans and their rules are kept between requests (portal/lib/refcache.py), never stale."""
    login(client, alice)
    token = start(client)
    assert SAGUARO in client.get(step_url(token, "provider")).content.decode()
    plan = world["plan"]
    plan.is_active = False
    plan.save()
    page = client.get(step_url(token, "provider")).content.decode()
    assert SAGUARO not in page
    refused = post(
        client,
        token,
        "provider",
        {**PROVIDER, "practitioner": world["doctor"].pk, "health_plan": plan.pk},
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()


def test_without_javascript_update_questions_shows_follow_ups_without_errors(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    page = post(client, token, "clinical", {"pw-xray_done": "true"}, action="refresh")
    html = page.content.decode()
    assert page.status_code == 200 and "What did the x-rays show" in html
    assert "Please correct what is marked below" not in html and not Case.objects.exists()
    assert "Update questions" in html  # offered in a <noscript> for browsers without JavaScript


def test_enter_in_a_field_continues_rather_than_going_back(client, alice, world):
    login(client, alice)
    token, _ = build(client, world, upto="provider")
    html = client.get(step_url(token, "member")).content.decode()
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"', html)
    assert buttons[0] == "next" and "back" in buttons  # a form's first button is Enter's


def test_a_draft_saved_before_member_facts_were_kept_still_completes(client, alice, world):
    """Drafts from before the member step kept date of birth, sex and line of business."""
    login(client, alice)
    token, _ = build(client, world, upto="service")
    draft = Draft.objects.get(token=token)
    for key in ("date_of_birth", "sex", "line_of_business"):
        draft.state["data"]["member"].pop(key)
    draft.save()
    assert post(client, token, "site", {"site": world["site"].pk}).status_code == 302
    assert post(client, token, "confirm", {}).status_code == 302
    answers = {f"pw-{k}": v for k, v in CHRONIC.items()}
    done = post(client, token, "clinical", {"urgency": "standard", "attest": "on", **answers})
    assert done.status_code == 302 and Case.objects.get().status == CaseStatus.APPROVED
