"""Settings for the test suite: Accord's own settings, read from a test environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_HOST", "127.0.0.1")
os.environ.setdefault("TASK_BACKEND", "immediate")
# The demo's candidate pool, small: the tests check how it is built, not how big it is.
os.environ.setdefault("DEMO_POOL_SIZE", "44")
os.environ["DEBUG"] = "false"

from accord.settings import *  # noqa: F403

# Unit tests read mail.outbox; the SMTP tests switch to a real server with the `smtp` fixture.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file, not SQLite's default in-memory test database, so tests with concurrent writers run on
# SQLite too, with the same WAL and IMMEDIATE-transaction settings as production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
