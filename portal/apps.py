from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _user_changed(sender, instance, **kwargs):
    from portal.backends import user_cache_drop

    user_cache_drop([instance.pk])


def _office_changed(sender, instance, **kwargs):
    from portal.backends import user_cache_drop

    user_cache_drop(instance.users.values_list("pk", flat=True))


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Accounts and practitioners"

    def ready(self):
        from portal import checks  # noqa: F401  (registers them)
        from portal.models import Office, User

        # Users (with their office) are kept in the cache between requests (portal/backends.py).
        for signal in (post_save, post_delete):
            signal.connect(_user_changed, sender=User, dispatch_uid=f"user-cache:{signal}")
            signal.connect(_office_changed, sender=Office, dispatch_uid=f"office-cache:{signal}")
