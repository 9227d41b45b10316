import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# A server started directly (gunicorn) runs no system checks: refuse to serve pages that would
# all fail, as `check` does (portal/checks.py), instead of answering 500 to every request.
from portal.checks import refuse_without_collected_static  # noqa: E402

refuse_without_collected_static()
