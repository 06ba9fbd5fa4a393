"""BVNTD settings: one file, read from environment variables.

Every variable is documented in `.env.example`. A value that cannot be parsed stops start-up with a message
naming the variable; secrets may be given inline or as `NAME_FILE` pointing at a file.
"""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    if f"{name}_FILE" in os.environ:
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    raise ImproperlyConfigured(f"DATABASE_URL must start with postgres:// or sqlite:///, not {url!r}")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL lets the web server, the task worker and the sweep share the file; IMMEDIATE transactions
        # take the write lock up front, so two writers queue instead of failing with "database is locked".
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


# The test suite runs on fixed throw-away keys so that a fresh clone needs no configuration.
TESTING = "pytest" in sys.modules
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (scripts/serve writes one to .env)"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "bvntd.core",
    "bvntd.geo",
    "bvntd.agencies",
    "bvntd.complaints",
    "bvntd.routing",
    "bvntd.businesses",
    "bvntd.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bvntd" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL")
# Local state (the embedded database, uploads in development, collected static files) lives in var/.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(BASE_DIR / "var" / "bvntd.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if TESTING:
    # The suite creates many users (personas, invited business representatives): a deliberately slow hash
    # would cost about a second each. Tests only; production keeps Django's default hashers.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "complaints:inbox"
LOGOUT_REDIRECT_URL = "home"

# Vietnamese first; the source strings are Vietnamese, English comes from locale/en.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Stored in UTC, shown in Vietnam's time.
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "bvntd" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": env("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Django 6.1 mailers; the console backend prints mail in development and the demo.
MAILERS = {"default": {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "BVNTD <khong-tra-loi@bvntd.gov.vn>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Personal data (Law 91/2025/QH15): field encryption keys, newest first, comma-separated Fernet keys.
# Rotation: put a new key first, keep the old ones, run `manage.py rotate_keys`, then drop the old ones.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY")
if not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY are required when DEBUG is off")
    # Throw-away keys for development and tests only (valid Fernet key: 32 url-safe base64 bytes).
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtMDE="]
    BLIND_INDEX_KEY = BLIND_INDEX_KEY or "dev-only-blind-index-key"

# Case-handling policy. The 2023 law sets no agency deadlines (DOMAIN.md: unconfirmed), so these are
# settings, defaulting to the practice of the superseded Decree 99/2011.
BVNTD = {
    "ACCEPT_WORKING_DAYS": env_int("BVNTD_ACCEPT_WORKING_DAYS", 3),
    "RESOLVE_WORKING_DAYS": env_int("BVNTD_RESOLVE_WORKING_DAYS", 15),
    "EXTENSION_WORKING_DAYS": env_int("BVNTD_EXTENSION_WORKING_DAYS", 15),
    "CONSUMER_REPLY_WORKING_DAYS": env_int("BVNTD_CONSUMER_REPLY_WORKING_DAYS", 5),
    # The escalation ladder's first step: a reminder this many working days before the due date.
    "DUE_SOON_WORKING_DAYS": env_int("BVNTD_DUE_SOON_WORKING_DAYS", 2),
    "DISPUTE_WINDOW_DAYS": env_int("BVNTD_DISPUTE_WINDOW_DAYS", 15),
    "ATTACHMENT_MAX_BYTES": env_int("BVNTD_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
    "ATTACHMENTS_PER_UPLOAD": env_int("BVNTD_ATTACHMENTS_PER_UPLOAD", 5),
    "INBOX_PAGE_SIZE": env_int("BVNTD_INBOX_PAGE_SIZE", 25),
    # Reference data (map, calendar overrides, agencies, the sector model's version) cached per process;
    # 0 in the test suite, whose rolled-back transactions would leave a cache stale (bvntd.core.cache).
    "REFERENCE_CACHE_SECONDS": env_int("BVNTD_REFERENCE_CACHE_SECONDS", 0 if TESTING else 60),
    "SWEEP_INTERVAL_SECONDS": env_int("BVNTD_SWEEP_INTERVAL_SECONDS", 60),
    # The consumer's look-up: this many failures from one client within the window, then a pause.
    "LOOKUP_MAX_FAILURES": env_int("BVNTD_LOOKUP_MAX_FAILURES", 10),
    "LOOKUP_WINDOW_MINUTES": env_int("BVNTD_LOOKUP_WINDOW_MINUTES", 15),
    # Routing: the sector model's suggestion sets the owner at or above this confidence (in percent);
    # below it the complaint goes to the coordinator's triage queue.
    "ROUTING_MIN_CONFIDENCE": env_int("BVNTD_ROUTING_MIN_CONFIDENCE_PERCENT", 60) / 100,
    "ROUTER_RETRAIN_HOURS": env_int("BVNTD_ROUTER_RETRAIN_HOURS", 24),
    # Transfers between agencies: the target answers within 2 working days (silence is acceptance); the
    # arbiter decides within 3 (issue defaults; each province's coordination regulation may differ).
    "TRANSFER_RESPONSE_WORKING_DAYS": env_int("BVNTD_TRANSFER_RESPONSE_WORKING_DAYS", 2),
    "ARBITRATION_WORKING_DAYS": env_int("BVNTD_ARBITRATION_WORKING_DAYS", 3),
    # Joint handling: the default due date of a task asked of a supporting agency.
    "SUPPORT_TASK_WORKING_DAYS": env_int("BVNTD_SUPPORT_TASK_WORKING_DAYS", 5),
    # The business stage. Law 19/2023 Art.57(2): the business receives and negotiates within 7 working days.
    "BUSINESS_ANSWER_WORKING_DAYS": env_int("BVNTD_BUSINESS_ANSWER_WORKING_DAYS", 7),
    # Art.8 gives a vulnerable consumer priority without a number: this shorter target is policy.
    "BUSINESS_PRIORITY_WORKING_DAYS": env_int("BVNTD_BUSINESS_PRIORITY_WORKING_DAYS", 3),
    # An "in progress" answer names a date no later than this many working days after the case was sent.
    "BUSINESS_IN_PROGRESS_MAX_WORKING_DAYS": env_int("BVNTD_BUSINESS_IN_PROGRESS_MAX_WORKING_DAYS", 15),
    # The consumer's time to accept or dispute the business's answer; silence then closes the case.
    "ANSWER_DECISION_DAYS": env_int("BVNTD_ANSWER_DECISION_DAYS", 15),
    "BUSINESS_INVITATION_DAYS": env_int("BVNTD_BUSINESS_INVITATION_DAYS", 7),
    "BUSINESS_API_RATE_PER_MINUTE": env_int("BVNTD_BUSINESS_API_RATE_PER_MINUTE", 60),
    # Settlement promises: a reminder this many working days ahead; unmarked this long after the due date,
    # the promise counts as broken and the case reopens.
    "PROMISE_DUE_SOON_WORKING_DAYS": env_int("BVNTD_PROMISE_DUE_SOON_WORKING_DAYS", 2),
    "PROMISE_GRACE_WORKING_DAYS": env_int("BVNTD_PROMISE_GRACE_WORKING_DAYS", 2),
    # Mass-complaint alert: at least this many near-duplicate complaints (estimated Jaccard similarity of
    # their texts at or above the percentage) about one business within the window.
    "MASS_ALERT_MIN_CASES": env_int("BVNTD_MASS_ALERT_MIN_CASES", 5),
    "MASS_ALERT_WINDOW_DAYS": env_int("BVNTD_MASS_ALERT_WINDOW_DAYS", 14),
    "MASS_ALERT_SIMILARITY": env_int("BVNTD_MASS_ALERT_SIMILARITY_PERCENT", 50) / 100,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
