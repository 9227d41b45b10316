from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinical"
    verbose_name = "Code sets and clinical pathways"

    def ready(self):
        from clinical.models import DiagnosisCode, Pathway, PathwayVersion, ProcedureCode, Program
        from portal.lib import refcache

        # Read on every wizard step and kept between requests (portal/lib/refcache.py).
        refcache.watch(Program, ProcedureCode, DiagnosisCode, Pathway, PathwayVersion)
