from django.urls import path

from clinical import views

urlpatterns = [
    path("diagnoses/", views.diagnosis_typeahead, name="diagnosis_typeahead"),
    path("procedures/", views.procedure_typeahead, name="procedure_typeahead"),
]
