from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Kế hoạch, đào tạo và hỗ trợ")

    def ready(self) -> None:
        from programs.participant_counts import connect_signals

        connect_signals()
