"""Login hardening: lockout after repeated failures, password rules, sessions that
end, and a log line for every login, failure and lockout."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from khuyencong.models import Role
from tests.khuyencong.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_password_is_refused_with_a_vietnamese_message(client):
    user = UserFactory(role=Role.STAFF)
    response = post_login(client, user.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Tên đăng nhập và mật khẩu chính xác" in response.content.decode()


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(
    client,
):
    user = UserFactory(role=Role.STAFF)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, user.username, "sai-mat-khau").status_code == 200
    locked = post_login(client, user.username, "sai-mat-khau")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tài khoản tạm thời bị khóa đăng nhập" in page
    assert f"sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần" in page
    assert "15 phút" in page

    right = post_login(client, user.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_other_users_still_log_in(client):
    victim = UserFactory(role=Role.STAFF)
    other = UserFactory(role=Role.STAFF)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, victim.username, "sai-mat-khau")
    response = post_login(client, other.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_a_successful_login_resets_the_failure_count(client):
    user = UserFactory(role=Role.STAFF)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, user.username, "sai-mat-khau")
    assert post_login(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, user.username, "sai-mat-khau")
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_admin_login_is_locked_out_too(client):
    user = UserFactory(role=Role.STAFF)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.username, "password": "x"})
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logins_failures_and_lockouts_are_logged(client, caplog):
    user = UserFactory(role=Role.STAFF)
    with caplog.at_level(logging.INFO, logger="khuyencong.security"):
        post_login(client, user.username, PASSWORD)
        client.post(reverse("logout"))
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_login(client, user.username, "sai-mat-khau")
    lines = [r.getMessage() for r in caplog.records if r.name == "khuyencong.security"]
    assert f"Đăng nhập thành công: user={user.username} ip=127.0.0.1" in lines
    assert f"Đăng xuất: user={user.username} ip=127.0.0.1" in lines
    failed = [line for line in lines if line.startswith("Đăng nhập thất bại")]
    assert len(failed) == settings.AXES_FAILURE_LIMIT
    assert (
        f"Tạm khóa đăng nhập sau nhiều lần sai: user={user.username} ip=127.0.0.1"
        in lines
    )


def test_test_client_login_still_goes_through_the_lockout_backend(client):
    user = UserFactory(role=Role.STAFF)
    assert client.login(username=user.username, password=PASSWORD)
    assert not client.login(username=user.username, password="sai")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("12345678901", "Mật khẩu không được toàn là số."),
        ("password123", "Mật khẩu này quá phổ biến"),
        ("canbo.so.1", "Mật khẩu quá giống với “Tên đăng nhập”."),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(password, message):
    user = UserFactory.build(username="canbo.so", first_name="Demo")
    with translation.override("vi"), pytest.raises(ValidationError) as err:
        validate_password(password, user)
    assert any(message in m for m in err.value.messages), err.value.messages


def test_sessions_expire_after_the_configured_age_and_at_browser_close(client):
    user = UserFactory(role=Role.STAFF)
    response = post_login(client, user.username, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["expires"]  # a browser-session cookie: gone when it closes
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60


def test_the_administrator_unlocks_a_locked_out_account(client, admin_user_role):
    from axes.models import AccessAttempt

    user = UserFactory(role=Role.STAFF)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, user.username, "sai-mat-khau")
    attempt = AccessAttempt.objects.get(username=user.username)

    it = client.__class__()
    it.force_login(admin_user_role)
    changelist = it.get(reverse("admin:axes_accessattempt_changelist"))
    assert user.username in changelist.content.decode()
    response = it.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_other_roles_cannot_unlock_accounts(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
