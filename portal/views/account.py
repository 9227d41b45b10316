"""Manage Your Account (reference/002): office details, practitioners and office users."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal import selectors, services
from portal.forms import InviteUserForm, OfficeForm, PractitionerSearchForm, ProfileForm
from portal.lib.access import capability_required
from portal.roles import user_can


@capability_required("practitioners.view")
def account(request):
    return render(
        request,
        "portal/account.html",
        {
            "office": request.user.office,
            "practitioners": selectors.office_practitioners(user=request.user),
        },
    )


@capability_required("practitioners.view")
def account_edit(request):
    user = request.user
    office_editable = user_can(user, "office.manage_users")
    profile_form = ProfileForm(request.POST or None, instance=user, prefix="me")
    office_form = (
        OfficeForm(request.POST or None, instance=user.office, prefix="office")
        if office_editable
        else None
    )
    forms = [f for f in (profile_form, office_form) if f is not None]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        with transaction.atomic():
            for f in forms:
                f.save()
        messages.success(request, "Your account details are saved.")
        return redirect("account")
    return render(
        request,
        "portal/account_edit.html",
        {"profile_form": profile_form, "office_form": office_form},
    )


@capability_required("practitioners.manage")
def practitioner_add(request):
    """Search the directory by NPI + state + zip (GET), then pick a match (POST)."""
    if request.method == "POST":
        # The record must be one the NPI + state + zip search finds, not any directory row.
        search = PractitionerSearchForm(request.POST)
        provider_id = request.POST.get("provider", "")
        if not provider_id.isdigit() or not search.is_valid():
            raise Http404
        provider = get_object_or_404(
            selectors.directory_search_by_npi(**search.cleaned_data), pk=provider_id
        )
        try:
            link = services.office_practitioner_add(
                office=request.user.office, provider=provider, added_by=request.user
            )
        except ValidationError as exc:
            messages.warning(request, exc.messages[0])
            return redirect("account")
        return render(request, "portal/practitioner_added.html", {"link": link})

    form = PractitionerSearchForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        matches = list(selectors.directory_search_by_npi(**form.cleaned_data))
        already = set(
            selectors.office_practitioners(user=request.user).values_list("provider_id", flat=True)
        )
        for match in matches:
            match.already_added = match.pk in already
    return render(request, "portal/practitioner_add.html", {"form": form, "matches": matches})


@capability_required("practitioners.manage")
def practitioner_remove(request, pk: int):
    link = selectors.office_practitioner_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        name = link.provider.display_name
        services.office_practitioner_remove(link=link)
        messages.success(request, f"{name} is no longer on your account.")
        return redirect("account")
    return render(request, "portal/practitioner_remove.html", {"link": link})


@capability_required("office.manage_users")
def office_users(request):
    return render(
        request, "portal/office_users.html", {"users": selectors.office_users(user=request.user)}
    )


@capability_required("office.manage_users")
def office_user_invite(request):
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            invited = services.office_user_invite(
                office=request.user.office, invited_by=request.user, data=form.invite_data()
            )
        messages.success(
            request, f"Invitation sent to {invited.email}. The link is valid for one day."
        )
        return redirect("office_users")
    return render(request, "portal/office_user_invite.html", {"form": form})


@require_POST
@capability_required("office.manage_users")
def office_user_set_active(request, pk: int):
    target = selectors.office_user_for_user(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.office_user_set_active(actor=request.user, target=target, active=active)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        state = "reactivated" if active else "deactivated"
        messages.success(request, f"{target.get_full_name()} is {state}.")
    return redirect("office_users")


@require_POST
@capability_required("office.manage_users")
def office_user_invitation_resend(request, pk: int):
    target = selectors.office_user_for_user(user=request.user, pk=pk)
    try:
        services.office_user_invitation_resend(actor=request.user, target=target)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            f"Invitation sent again to {target.email}. The new link is valid for one day; the "
            "earlier link no longer works.",
        )
    return redirect("office_users")


@capability_required("office.manage_users")
def office_user_remove(request, pk: int):
    target = selectors.office_user_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            removed = services.office_user_remove(actor=request.user, target=target)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            name = target.get_full_name()
            messages.success(
                request,
                f"{name} was removed from your office."
                if removed
                else f"{name} has requests on record, so the account stays (deactivated: it can "
                "no longer log in) to show who submitted them.",
            )
        return redirect("office_users")
    return render(request, "portal/office_user_remove.html", {"target": target})
