"""Booking a peer-to-peer from the case page: a short django-formtools session wizard (a time,
then who takes the call), as the design names for short flows that need no resume elsewhere."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from formtools.wizard.views import SessionWizardView

from cases import selectors
from cases.forms import PeerToPeerCallerForm, PeerToPeerSlotForm
from cases.services import AnswerRefusedError, p2p_book, p2p_offer
from payers.selectors import plan_policy
from portal.lib.access import capability_required, no_store


@method_decorator([no_store, capability_required("cases.view_own_office")], name="dispatch")
class PeerToPeerBooking(SessionWizardView):
    form_list = [("time", PeerToPeerSlotForm), ("caller", PeerToPeerCallerForm)]
    template_name = "cases/p2p_booking.html"

    def dispatch(self, request, *args, **kwargs):
        self.case = selectors.case_for_user(user=request.user, case_number=kwargs["case_number"])
        policy = plan_policy(
            health_plan=self.case.health_plan,
            line_of_business=self.case.member_snapshot.get("line_of_business", ""),
        )
        self.offer = p2p_offer(case=self.case, policy=policy)
        if not self.offer.offered:
            messages.error(request, "A peer-to-peer is not available for this request now.")
            return redirect("case_detail", case_number=self.case.case_number)
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        return f"p2p_{kwargs['case_number']}"  # one booking per case in the session

    def get_form_initial(self, step):
        if step == "caller":
            return {"caller_phone": self.case.contact_phone}
        return {}

    def get_context_data(self, form, **kwargs):
        return {
            **super().get_context_data(form=form, **kwargs),
            "case": self.case,
            "offer": self.offer,
        }

    def done(self, form_list, **kwargs):
        data = {}
        for form in form_list:
            data.update(form.cleaned_data)
        try:
            slot = p2p_book(
                case=self.case,
                user=self.request.user,
                slot_id=data["slot"].pk,
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
            )
        except AnswerRefusedError as exc:
            messages.error(self.request, str(exc))
            return redirect("case_p2p", case_number=self.case.case_number)
        messages.success(
            self.request,
            f"Peer-to-peer booked: the physician reviewer calls {data['caller_name']} at "
            f"{data['caller_phone']} on {timezone.localtime(slot.starts_at):%m/%d/%Y at %I:%M %p}.",
        )
        return redirect("case_detail", case_number=self.case.case_number)
