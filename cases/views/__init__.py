"""The cases app's pages: the case-build wizard, drafts, and the case after submission."""

from cases.views.case_page import (
    case_answer,
    case_appeal,
    case_attachment,
    case_detail,
    case_reconsider,
    case_withdraw_view,
)
from cases.views.drafts import case_new, case_new_reusing, draft_cancel, drafts_in_progress
from cases.views.p2p import PeerToPeerBooking
from cases.views.wizard import case_step

__all__ = [
    "PeerToPeerBooking",
    "case_answer",
    "case_appeal",
    "case_attachment",
    "case_detail",
    "case_new",
    "case_new_reusing",
    "case_reconsider",
    "case_withdraw_view",
    "case_step",
    "draft_cancel",
    "drafts_in_progress",
]
