"""Django's password validators with their messages in Vietnamese (Django's own
Vietnamese catalogue does not translate them)."""

from django.contrib.auth import password_validation as base
from django.utils.translation import gettext as _


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Mật khẩu quá giống với “%(verbose_name)s”.")

    def get_help_text(self):
        return _("Mật khẩu không được quá giống thông tin cá nhân của bạn.")


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }


class CommonPasswordValidator(base.CommonPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu này quá phổ biến, dễ bị đoán.")

    def get_help_text(self):
        return _("Không dùng mật khẩu phổ biến.")


class NumericPasswordValidator(base.NumericPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu không được toàn là số.")

    def get_help_text(self):
        return _("Mật khẩu không được toàn là số.")
