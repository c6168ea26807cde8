"""One settings module, driven by the environment (see .env.example and README)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env(
        "DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production"
    )
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "djmoney",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "ratings",
    "payroll",
    "funding",
    "selfservice",
    "simulation",
]

MIDDLEWARE = [
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.twofactor.TwoFactorRequiredMiddleware",
    "core.middleware.WorkerAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and in-process tasks share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            # WAL with synchronous=NORMAL: safe against corruption, and a
            # commit no longer waits for a disk flush (SQLite is for one
            # machine; production runs on PostgreSQL).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Persistent connections, checked before reuse so a restarted database
    # costs one failed request at most.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The cache: Redis when CACHE_URL or REDIS_URL names one (shared by every
# gunicorn and Celery process), else this process's memory.
_cache_url = env("CACHE_URL", default="") or env("REDIS_URL", default="")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "cpf",
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
        }
    }

AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
# A refused form says what to do, in the site's layout (core/errors.py).
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as people read them (2026年11月30日); see config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded receipts and import files are private: never served by URL, only
# through views that check the user's scope.
PRIVATE_MEDIA_ROOT = Path(
    env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media"))
)
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields other than files (Django's cap, checked while parsing).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int(
    "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The whole request body, refused by its Content-Length before it is read
# (core.middleware.RequestSizeLimitMiddleware): receipts and imports are at
# most a few megabytes.
MAX_REQUEST_BODY_SIZE = env.int("MAX_REQUEST_BODY_SIZE", default=20 * 1024 * 1024)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Money: one currency, pinned so library upgrades make no spurious migrations.
CURRENCY = "CNY"
CURRENCIES = ("CNY",)
CURRENCY_CHOICES = [("CNY", "人民币")]
DEFAULT_CURRENCY = "CNY"

# Celery: without a broker, tasks run in-process (development and plain tests).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # DOMAIN A3: levels rise on 1 January; the task is idempotent.
    "payroll-progression-yearly": {
        "task": "payroll.tasks.progression_run_task",
        "schedule": crontab(minute=30, hour=1, day_of_month=1, month_of_year=1),
    },
    # DOMAIN A7: contribution bases for July–June are proposed from last
    # year's payslips on 1 July; staff correct or import them afterwards.
    "payroll-contribution-bases-yearly": {
        "task": "payroll.tasks.contribution_base_propose_task",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year=7),
    },
}

# Payroll cycles: workers per chunk (each chunk is one transaction and one
# task) and the queue the chunk tasks go to.
# In-process (no broker) nothing runs in parallel, so fewer, larger chunks
# save their fixed cost; with workers, 500 gives them enough pieces to share.
PAYROLL_CHUNK_SIZE = env.int(
    "PAYROLL_CHUNK_SIZE", default=500 if CELERY_BROKER_URL else 2000
)
PAYROLL_TASK_QUEUE = env("PAYROLL_TASK_QUEUE", default="celery")
# seed_demo builds this year's payroll up to last month unless --no-history.
DEMO_HISTORY = env.bool("DEMO_HISTORY", default=True)

# Official documents (issued PDFs): the issuing body printed and signed on
# each, the address QR codes point to, and the signing key. Without a key and
# certificate the demo makes a self-signed pair under PRIVATE_MEDIA_ROOT.
DOCUMENTS_ISSUER = env("DOCUMENTS_ISSUER", default="无锡市民政局")
DOCUMENTS_ISSUER_EN = env("DOCUMENTS_ISSUER_EN", default="Wuxi Civil Affairs Bureau")
DOCUMENTS_PUBLIC_URL = env("DOCUMENTS_PUBLIC_URL", default="http://127.0.0.1:8000")
DOCUMENTS_SIGNING_KEY = env("DOCUMENTS_SIGNING_KEY", default="")
DOCUMENTS_SIGNING_CERT = env("DOCUMENTS_SIGNING_CERT", default="")
DOCUMENTS_SIGNING_KEY_PASSPHRASE = env("DOCUMENTS_SIGNING_KEY_PASSPHRASE", default="")
DOCUMENTS_PDF_VARIANT = env("DOCUMENTS_PDF_VARIANT", default="pdf/a-3b")
DOCUMENTS_TASK_QUEUE = env("DOCUMENTS_TASK_QUEUE", default="celery")
# The CJK font printed documents embed: the system's Noto Sans CJK SC cut once
# to GB 2312 (and Latin, punctuation, full-width forms) and kept here, so each
# PDF subsets a 3 MB font instead of a 19 MB collection; characters outside it
# fall back to the full font. Empty = use the system font directly.
DOCUMENTS_FONT_CACHE_DIR = env(
    "DOCUMENTS_FONT_CACHE_DIR",
    default=str(Path.home() / ".cache" / "community-pay-fund" / "fonts"),
)
# Behind a reverse proxy that sets X-Forwarded-For, log the client from it.
DOCUMENTS_TRUST_FORWARDED_FOR = env.bool("DOCUMENTS_TRUST_FORWARDED_FOR", default=False)

# Cycles that heal: a chunk sent or begun this long ago and not stored is sent
# again by the periodic check (payroll.tasks.cycle_chunks_heal_task, every
# PAYROLL_HEAL_INTERVAL_SECONDS). Longer than the slowest chunk; a chunk being
# computed is never sent twice (it holds its row lock).
PAYROLL_CHUNK_STALE_SECONDS = env.int("PAYROLL_CHUNK_STALE_SECONDS", default=300)
PAYROLL_HEAL_INTERVAL_SECONDS = env.int("PAYROLL_HEAL_INTERVAL_SECONDS", default=60)
# Tasks are acknowledged after their work (late ack) and given back when the
# worker process dies; the broker hands an unacknowledged task to another
# worker after the visibility timeout (Redis), which must exceed a chunk's time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
}
CELERY_BEAT_SCHEDULE["payroll-heal-stalled-chunks"] = {
    "task": "payroll.tasks.cycle_chunks_heal_task",
    "schedule": PAYROLL_HEAL_INTERVAL_SECONDS,
    "options": {"queue": PAYROLL_TASK_QUEUE, "expires": PAYROLL_HEAL_INTERVAL_SECONDS},
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
# Imports (core/import_jobs.py): a file of more rows is checked in the
# background with a progress page; a checked preview stays confirmable this
# many minutes; a file of more rows than IMPORT_MAX_ROWS is refused while it is
# read (memory stays bounded).
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
IMPORT_PREVIEW_MINUTES = env.int("IMPORT_PREVIEW_MINUTES", default=60)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Expired previews (their plan and report files hold full ID and bank account
# numbers) are removed by a periodic task this often, not only on the same
# user's next upload (core.tasks.import_jobs_prune_task).
IMPORT_PRUNE_INTERVAL_SECONDS = env.int("IMPORT_PRUNE_INTERVAL_SECONDS", default=900)
CELERY_BEAT_SCHEDULE["core-import-jobs-prune"] = {
    "task": "core.tasks.import_jobs_prune_task",
    "schedule": IMPORT_PRUNE_INTERVAL_SECONDS,
    "options": {"expires": IMPORT_PRUNE_INTERVAL_SECONDS},
}
# Exports read their rows in pages of this many, each page with its prefetched
# relations (three queries): at the default 100, a city's roster took 300
# queries; at 20,000 a city's roster is one page, so an export asks the
# database as often at 450 workers as at 10,000 (and stays under SQLite's
# 32,766 parameters of one query).
IMPORT_EXPORT_CHUNK_SIZE = 20_000
# The admin's import and export pages ask the same role permissions as the
# app: importing needs "add", exporting needs "view" (scope and masking come
# from the resource, core.export_safety).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The library's own formula escaping only strips a leading "=" and turns every
# cell, numbers included, into text; core.export_safety escapes every text
# cell that could start a formula and leaves numbers numeric instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Static files are compressed (gzip/brotli) by WhiteNoise and cached by
    # browsers for this long.
    WHITENOISE_MAX_AGE = env.int("DJANGO_STATIC_MAX_AGE", default=86400)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools log every font subset at INFO: thousands of
    # lines for a bulk print, and time spent formatting them.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("weasyprint", "weasyprint.progress", "fontTools")
    },
}


# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.permissions.RoleBackend",
]

# Logins: after AXES_FAILURE_LIMIT wrong passwords for one user name, or from
# one address, further attempts are refused until the cool-off ends or an
# administrator deletes the attempt in the admin ("访问尝试"). Every failed
# and successful login is kept (access failure log / access log).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "core.account_views.login_locked_out"
AXES_VERBOSE = False

# Idle sessions end: the session lasts SESSION_IDLE_MINUTES and every request
# saves it again, so activity extends it.
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor (TOTP) for the roles that handle money, users or audits. On by
# default in production; with DEBUG (the demo, the test suite) off unless
# DJANGO_TWO_FACTOR_REQUIRED=true, so the demo logins work with a password.
TWO_FACTOR_REQUIRED = env.bool("DJANGO_TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_ROLES = ("admin", "finance", "auditor")
OTP_TOTP_ISSUER = "社区薪酬与资金"

# Content Security Policy: scripts only from our own static files (no inline
# script, no event-handler attributes); inline style attributes are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
