from django.urls import path

from payers import views

urlpatterns = [path("eligibility/", views.eligibility_lookup, name="eligibility_lookup")]
