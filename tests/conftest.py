import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from khuyencong.models import Role
from tests.khuyencong.factories import UserFactory, unit

# Property tests check correctness, not speed: a busy machine (CI, a parallel run)
# must not fail them on timing.
hypothesis_settings.register_profile(
    "khuyencong",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("khuyencong")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files of a test live and die with the test.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing test passwords with PBKDF2 costs most of each test's setup.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A page cached by an earlier test (whose rows were rolled back) must not be
    # served to this one.
    cache.clear()


@pytest.fixture
def unit_a(db):
    return unit("277")  # Huyện Chương Mỹ


@pytest.fixture
def unit_b(db):
    return unit("280")  # Huyện Phú Xuyên


@pytest.fixture
def staff_user(db):
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def leadership_user(db):
    return UserFactory(role=Role.LEADERSHIP)


@pytest.fixture
def admin_user_role(db):
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def officer_a(unit_a):
    return UserFactory(role=Role.OFFICER, administrative_unit=unit_a)


@pytest.fixture
def officer_b(unit_b):
    return UserFactory(role=Role.OFFICER, administrative_unit=unit_b)


class AxesAwareClient(Client):
    """django-axes needs the request in `authenticate()`; Django's test client
    `login()` calls it without one. Give it a blank request so `client.login(...)`
    goes through the real backends, lockout check included."""

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return super().login(**credentials)


@pytest.fixture
def client():
    return AxesAwareClient()


@pytest.fixture(autouse=True)
def _participant_counts_stay_true(request):
    """After every test that used the database, each course's kept participant
    count (programs.participant_counts) equals its participants: whatever path a
    test wrote participants by, the counts must have followed."""
    if request.node.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue(
        "transactional_db"
        if "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        else "db"
    )
    yield
    from django.db import connection

    from programs.participant_counts import courses_miscounted

    if connection.needs_rollback:
        return  # the test ended inside a failed transaction, on purpose

    wrong = list(courses_miscounted().values_list("pk", "participant_count", "actual"))
    assert not wrong, f"(course, kept count, participants) out of step: {wrong[:5]}"
