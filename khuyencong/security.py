"""Security plumbing shared by every page: response headers, the Content-Security-
Policy, and the log of logins, failed logins and lockouts."""

import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

logger = logging.getLogger("khuyencong.security")

# The Django admin and the admin pages of django-import-export and
# django-simple-history carry a few inline `style` attributes, one `<style>` block
# (changelist without actions) and one inline event handler (the "select all"
# checkbox of the export form). Our own pages have none of these, so only /admin/
# gets these allowances: the handler by its hash, never 'unsafe-inline' scripts.
ADMIN_CSP_UPDATE = {
    "script-src": [
        "'unsafe-hashes'",
        # onSelectToggleChange(event)
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
    ],
    "style-src": ["'unsafe-inline'"],
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with the admin's allowances applied under the admin prefix only."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.ADMIN_URL_PREFIX):
            update = {**ADMIN_CSP_UPDATE}
            for directive, values in (parts.update or {}).items():
                update[directive] = [*update.get(directive, []), *values]
            parts.update = update
        return parts


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages behind a login carry personal data: no shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def _client_ip(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


def log_login(sender, request, user, **kwargs) -> None:
    logger.info(
        "Đăng nhập thành công: user=%s ip=%s", user.get_username(), _client_ip(request)
    )


def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    logger.warning(
        "Đăng nhập thất bại: user=%s ip=%s",
        credentials.get("username", "-"),
        _client_ip(request),
    )


def log_logout(sender, request, user, **kwargs) -> None:
    username = user.get_username() if user is not None else "-"
    logger.info("Đăng xuất: user=%s ip=%s", username, _client_ip(request))


def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning(
        "Tạm khóa đăng nhập sau nhiều lần sai: user=%s ip=%s", username, ip_address
    )


def connect_security_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import (
        user_logged_in,
        user_logged_out,
        user_login_failed,
    )

    user_logged_in.connect(log_login, dispatch_uid="khuyencong.log_login")
    user_login_failed.connect(log_login_failed, dispatch_uid="khuyencong.log_failed")
    user_logged_out.connect(log_logout, dispatch_uid="khuyencong.log_logout")
    user_locked_out.connect(log_lockout, dispatch_uid="khuyencong.log_lockout")
