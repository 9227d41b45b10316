"""Settings for the portal, all read from the environment.

The defaults need nothing: a SQLite file, Celery tasks run eagerly in-process, files under var/.
DATABASE_URL switches to PostgreSQL, CELERY_BROKER_URL to Redis or RabbitMQ, and
PORTAL_PRODUCTION=1 turns on the hardened configuration that `check --deploy` accepts.
"""

import hashlib
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; the environment itself wins

PRODUCTION = env.bool("PORTAL_PRODUCTION", default=False)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    # No fallbacks in production: a missing secret or host list must stop the start-up.
    if DEBUG:
        raise ImproperlyConfigured("PORTAL_PRODUCTION=1 refuses DEBUG=1: unset DEBUG.")
    if not env.str("SECRET_KEY", default=""):
        raise ImproperlyConfigured("PORTAL_PRODUCTION=1 requires SECRET_KEY.")
    if not env.list("ALLOWED_HOSTS", default=[]):
        raise ImproperlyConfigured("PORTAL_PRODUCTION=1 requires ALLOWED_HOSTS.")
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "formtools",
    "axes",
    "portal",
    "payers",
    "clinical",
    "cases",
    "review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (settings at the end).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.IdleLogoffMiddleware",
    "portal.middleware.OfficeTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the response of the login view (django-axes' own advice).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
CSRF_FAILURE_VIEW = "portal.views.pages.csrf_failure"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        # Django's templates, logging every patient a page is given (portal/lib/patient_templates)
        "BACKEND": "portal.lib.patient_templates.PatientLoggingTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Keep connections between requests (checked before reuse) instead of one per request, and
    # read small choice lists in one round trip rather than through server-side cursors.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["default"].setdefault("DISABLE_SERVER_SIDE_CURSORS", True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run` serves requests in threads. The write-ahead log lets pages read while a submit
    # writes; IMMEDIATE takes the write lock at BEGIN, since a transaction that reads and then
    # writes (a submit) is otherwise refused at once with "database is locked", whatever the
    # timeout; and a writer waits up to 20 s for the one before it (Django 5.2, SQLite notes).
    _sqlite = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    _sqlite.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite.setdefault("timeout", 20)
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first so that a locked-out user never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    # Lets a deactivated user reach confirm_login_allowed(), which tells them why they can't log in.
    "portal.backends.LoginBackend",
    # Grants admin permissions by role (portal.roles is the one place that decides).
    "portal.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day, for reset, confirmation and invitation links

# HIPAA automatic logoff: the session ends after this many idle minutes; the page warns first.
IDLE_LOGOFF_MINUTES = env.int("IDLE_LOGOFF_MINUTES", default=15)
IDLE_WARNING_SECONDS = env.int("IDLE_WARNING_SECONDS", default=120)
# The middleware ends idle sessions (and says why); the cookie is only an absolute backstop.
SESSION_COOKIE_AGE = env.int("SESSION_MAX_HOURS", default=12) * 3600
# Saved when something in it changes (the idle clock at most every 30 s: portal.middleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Messages live in the session, not in a cookie: they can name what a user uploaded.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Login throttling (django-axes, portal/lib/axes.py): failures on the normalised User ID lock it
# from that address for a while; many failures from any addresses lock the account for minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Failures are counted on the normalised User ID: OFFICE.STAFF and office.staff share one lock.
AXES_USERNAME_CALLABLE = "portal.lib.axes.axes_username"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_HANDLER = "portal.lib.axes.PortalAxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: the account limit counts them
PORTAL_ACCOUNT_FAILURE_LIMIT = env.int("PORTAL_ACCOUNT_FAILURE_LIMIT", default=20)
PORTAL_ACCOUNT_LOCK_MINUTES = env.int("PORTAL_ACCOUNT_LOCK_MINUTES", default=5)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
# Outside production, static files are served from the source folders (no collectstatic), with
# DEBUG on or off: `make run` serves the portal as users see it, DEBUG off.
WHITENOISE_USE_FINDERS = not PRODUCTION
# WhiteNoise indexes STATIC_ROOT at start-up and warns when it is missing (before collectstatic).
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Uploaded and generated files are private: never under a served URL, only through views that
# check access. MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Clinical documents are at most 5 MB (cases/uploads.py): a larger file is not read in full.
UPLOAD_MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "portal.lib.uploads.FileSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Files past the first 20 of a post are skipped unread by portal.lib.uploads (the page says so
# and keeps the rest of the post), so Django's own count, whose refusal is a bare 400 page that
# loses everything typed, is left off.
DATA_UPLOAD_MAX_NUMBER_FILES = None
# Uploaded documents hold patient data: readable by the portal's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Imaging Precert Portal <no-reply@localhost>"
)

# Celery: with no broker configured, tasks run eagerly in-process (zero set-up).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None) or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {
    "expire-drafts": {"task": "cases.tasks.expire_drafts", "schedule": 15 * 60},
    "expire-holds": {"task": "review.tasks.expire_holds", "schedule": 15 * 60},
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://portal")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "portal.lib.cache.RedisCache"  # one client, not one per call
    # A Redis that is down or frozen costs one short wait, then the database alone is used
    # (portal/lib/cache.py): without these a frozen Redis held every request until the proxy
    # gave up. redis-py retries nothing on a pool it is given.
    _redis = CACHES["default"].setdefault("OPTIONS", {})
    _redis.setdefault("socket_connect_timeout", env.float("CACHE_CONNECT_TIMEOUT", default=0.5))
    _redis.setdefault("socket_timeout", env.float("CACHE_SOCKET_TIMEOUT", default=0.5))
# Users, sessions and reference rows are cached by primary key: two portals sharing one Redis
# (staging and production, a benchmark database beside another) must never read each other's.
_db = DATABASES["default"]
CACHES["default"].setdefault(
    "KEY_PREFIX",
    env.str(
        "CACHE_KEY_PREFIX",
        default=hashlib.sha256(
            f"{_db.get('HOST', '')}:{_db.get('PORT', '')}/{_db['NAME']}".encode()
        ).hexdigest()[:12],
    ),
)
_PER_PROCESS_CACHE = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in {
    "LocMemCache",
    "DummyCache",
}
if PRODUCTION and _PER_PROCESS_CACHE:
    # Several processes serve production: a logout, a rate limit and a change to a plan's rules
    # (portal/lib/refcache.py) must reach all of them at once.
    raise ImproperlyConfigured("PORTAL_PRODUCTION=1 requires CACHE_URL (a shared cache: Redis).")
# With a cache every process shares (Redis), sessions are read from it and written through to
# the database; with the per-process default they are read from the database, since another
# process's copy could be stale (a logout elsewhere must end the session everywhere).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if _PER_PROCESS_CACHE
    else "django.contrib.sessions.backends.cached_db"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles from our own static files only, no
# inline script or style="" (htmx's indicator style is in portal.css), no plugins, no framing.
# The admin needs no exception (Django's admin has no inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap's icons are data: SVGs in its CSS
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# Permissions-Policy (django-permissions-policy): no page uses a device or payment feature.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
