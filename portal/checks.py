"""System checks: run by `check`, `runserver` and `migrate` (not by collectstatic, which runs only
the staticfiles ones, so it can always fill STATIC_ROOT)."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

COLLECT = "Run `manage.py collectstatic --noinput` before starting (README: Running in production)."


@checks.register()
def static_files_collected(app_configs, **kwargs):
    """In production every page names its static files through the manifest collectstatic
    writes (WhiteNoise's manifest storage): without it, or without an entry for a file the code
    now uses, every page fails, the error pages too."""
    if not settings.PRODUCTION or not hasattr(staticfiles_storage, "manifest_name"):
        return []
    storage = staticfiles_storage
    if not storage.manifest_storage.exists(storage.manifest_name):
        return [
            checks.Error(
                f"Static files are not collected: {storage.manifest_name} is missing from "
                f"STATIC_ROOT ({settings.STATIC_ROOT}).",
                hint=COLLECT,
                id="portal.E001",
            )
        ]
    collected, _ = storage.load_manifest()
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = {path for finder in finders.get_finders() for path, _ in finder.list(ignore)}
    missing = sorted(found - set(collected))
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        shown = ", ".join(missing[:5]) + more
        return [
            checks.Error(
                f"Static files were collected before an update: {shown} not in the manifest.",
                hint=COLLECT,
                id="portal.E002",
            )
        ]
    return []


def refuse_without_collected_static() -> None:
    """For the WSGI entry point: raise at start when the static files check fails."""
    errors = static_files_collected(None)
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint} ({errors[0].id})")
