from django.apps import AppConfig


class PayersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payers"
    verbose_name = "Health plans and payer rules"

    def ready(self):
        from payers.models import CodeRule, HealthPlan, PlanPolicy, PlanProgram
        from portal.lib import refcache

        # Read on every wizard step and kept between requests (portal/lib/refcache.py).
        refcache.watch(HealthPlan, PlanPolicy, PlanProgram, CodeRule)
