from django.urls import path

from clinical import views, views_pathways

urlpatterns = [
    path("codes/diagnoses/", views.diagnosis_typeahead, name="diagnosis_typeahead"),
    path("codes/procedures/", views.procedure_typeahead, name="procedure_typeahead"),
    path("pathways/", views_pathways.pathway_list, name="pathway_list"),
    path("pathways/<slug:slug>/", views_pathways.pathway_try, name="pathway_try"),
]
