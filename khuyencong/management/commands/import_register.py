from django.apps import apps
from django.core.management.base import CommandError

from khuyencong.importing.command import ImportCommand
from khuyencong.importing.registry import resource_for


class Command(ImportCommand):
    help = (
        "Nhập một tệp .xlsx/.csv vào một sổ (ví dụ khuyencong.LegalDocument); "
        "lỗi ở bất kỳ dòng nào thì không lưu gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="app_label.Model, ví dụ programs.Participant")
        super().add_arguments(parser)

    def get_resource_class(self, options):
        try:
            model = apps.get_model(options["model"])
        except (LookupError, ValueError) as exc:
            raise CommandError(f"Không có sổ “{options['model']}”.") from exc
        resource_class = resource_for(model)
        if resource_class is None:
            raise CommandError(
                f"Sổ “{options['model']}” chưa khai báo nhập từ tệp (resources.py)."
            )
        return resource_class
