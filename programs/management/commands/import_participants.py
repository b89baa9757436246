from django.core.management.base import CommandError

from khuyencong.importing.command import ImportCommand
from programs.models import TrainingCourse
from programs.resources import ParticipantResource


class Command(ImportCommand):
    help = (
        "Nhập danh sách học viên từ tệp .xlsx/.csv (bao nhiêu dòng cũng được), có "
        "thanh tiến độ; lỗi ở bất kỳ dòng nào thì không lưu gì. Dùng --course khi "
        "tệp là danh sách của một lớp và không có cột “Lớp đào tạo”."
    )
    resource_class = ParticipantResource

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--course", type=int, help="Mã lớp (số hiển thị trong danh sách lớp)."
        )

    def get_import_kwargs(self, options) -> dict:
        if not options.get("course"):
            return {}
        try:
            course = TrainingCourse.objects.get(pk=options["course"])
        except TrainingCourse.DoesNotExist as exc:
            raise CommandError(f"Không có lớp mã {options['course']}.") from exc
        return {"fixed_columns": {"Lớp đào tạo": f"#{course.pk}"}}
