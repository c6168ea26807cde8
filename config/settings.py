"""One settings module, driven by the environment (see .env.example and README)."""

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
    "core",
    "ratings",
    "payroll",
    "funding",
    "selfservice",
    "simulation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.WorkerAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

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
# Behind a reverse proxy that sets X-Forwarded-For, log the client from it.
DOCUMENTS_TRUST_FORWARDED_FOR = env.bool("DOCUMENTS_TRUST_FORWARDED_FOR", default=False)

IMPORT_EXPORT_USE_TRANSACTIONS = True
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


AUTHENTICATION_BACKENDS = ["core.permissions.RoleBackend"]
