import pytest


@pytest.fixture(autouse=True)
def _fast_private_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing test passwords with PBKDF2 costs most of each test's setup.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
