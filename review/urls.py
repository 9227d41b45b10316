from django.urls import path

from review import views

urlpatterns = [
    path("", views.queue, name="review_queue"),
    path("peer-to-peer/", views.p2p_slots, name="review_p2p"),
    path("cases/<str:case_number>/", views.case_review, name="review_case"),
    path("cases/<str:case_number>/claim/", views.case_claim, name="review_claim"),
    path("cases/<str:case_number>/release/", views.case_release, name="review_release"),
    path("cases/<str:case_number>/reassign/", views.case_reassign, name="review_reassign"),
    path("cases/<str:case_number>/<slug:action>/", views.case_action, name="review_action"),
]
