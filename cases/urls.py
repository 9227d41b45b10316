from django.urls import path

from cases import views

urlpatterns = [
    path("new/", views.case_new, name="case_new"),
    path("in-progress/", views.drafts_in_progress, name="drafts_in_progress"),
    path("drafts/<uuid:token>/cancel/", views.draft_cancel, name="draft_cancel"),
    path("drafts/<uuid:token>/<slug:step>/", views.case_step, name="case_step"),
    path("<str:case_number>/", views.case_detail, name="case_detail"),
    path("<str:case_number>/new/", views.case_new_reusing, name="case_new_reusing"),
    path("<str:case_number>/documents/<int:pk>/", views.case_attachment, name="case_attachment"),
    path("<str:case_number>/answer/", views.case_answer, name="case_answer"),
    path("<str:case_number>/reconsider/", views.case_reconsider, name="case_reconsider"),
    path("<str:case_number>/withdraw/", views.case_withdraw_view, name="case_withdraw"),
    path("<str:case_number>/appeal/", views.case_appeal, name="case_appeal"),
    path(
        "<str:case_number>/peer-to-peer/",
        views.PeerToPeerBooking.as_view(),
        name="case_p2p",
    ),
]
