from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KhuyencongConfig(AppConfig):
    name = "khuyencong"
    verbose_name = _("Danh mục dùng chung")

    def ready(self) -> None:
        from khuyencong.cache import connect_signals
        from khuyencong.roles import sync_roles_after_migrate
        from khuyencong.security import connect_security_signals

        connect_security_signals()
        connect_signals()
        post_migrate.connect(
            sync_roles_after_migrate, dispatch_uid="khuyencong.sync_roles"
        )
