"""Import/export of the programme registers, with real .xlsx and .csv files."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from khuyencong.importing import files
from khuyencong.importing.registry import resource_for
from programs.models import (
    Establishment,
    Participant,
    Plan,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
)
from programs.resources import (
    EstablishmentResource,
    ParticipantResource,
    PlanResource,
    PlanTargetResource,
    TradeEventResource,
    TrainingCourseResource,
)
from tests.khuyencong.factories import LegalDocumentFactory, unit
from tests.khuyencong.spreadsheets import csv_bytes, read_xlsx, xlsx_bytes
from tests.programs.factories import (
    ParticipantFactory,
    PlanFactory,
    TrainingCourseFactory,
)

ROSTER = [
    "Lớp đào tạo",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Số CCCD",
    "Nơi cư trú",
    "Hoàn thành khóa học",
    "Số chứng chỉ",
]


def run_import(resource_class, content, ext, **kwargs):
    dataset = files.read_dataset(io.BytesIO(content), ext)
    return resource_class(**kwargs).import_data(dataset)


def errors_of(result):
    return [(row.number + 1, row.error.message_dict) for row in result.invalid_rows]


def test_every_programme_register_has_its_resource():
    from programs.models import EquipmentProject
    from programs.resources import EquipmentProjectResource

    for model, resource in [
        (EquipmentProject, EquipmentProjectResource),
        (Plan, PlanResource),
        (PlanTarget, PlanTargetResource),
        (Establishment, EstablishmentResource),
        (TrainingCourse, TrainingCourseResource),
        (Participant, ParticipantResource),
        (TradeEvent, TradeEventResource),
    ]:
        assert resource_for(model) is resource


@pytest.mark.django_db
def test_plan_and_targets_import_by_year_and_indicator():
    LegalDocumentFactory(number="51/KH-UBND")
    plans = xlsx_bytes(
        [
            ["Năm", "Tên kế hoạch", "Văn bản kế hoạch", "Tổng kinh phí (đồng)"],
            [2019, "Kế hoạch khuyến công năm 2019", "51/KH-UBND", "25.000.000.000"],
        ]
    )
    assert errors_of(run_import(PlanResource, plans, "xlsx")) == []
    plan = Plan.objects.get(year=2019)
    assert plan.total_budget == Decimal("25000000000")
    assert plan.document.number == "51/KH-UBND"
    targets = csv_bytes(
        [
            ["Kế hoạch (năm)", "Chỉ tiêu", "Giá trị kế hoạch"],
            ["2019", "craft_classes", "38"],
            ["Kế hoạch khuyến công năm 2019", "craft_trainees", "1.300"],
        ]
    )
    assert errors_of(run_import(PlanTargetResource, targets, "csv")) == []
    assert dict(plan.targets.values_list("indicator", "target_value")) == {
        "craft_classes": Decimal("38"),
        "craft_trainees": Decimal("1300"),
    }
    again = run_import(PlanTargetResource, targets, "csv")
    assert again.totals["skip"] == 2 and plan.targets.count() == 2


@pytest.mark.django_db
def test_establishments_by_tax_code_with_leading_zeros_lost_by_excel():
    content = xlsx_bytes(
        [
            [
                "Tên cơ sở",
                "Loại hình",
                "Mã số thuế",
                "Điện thoại",
                "Đơn vị hành chính",
                "Số lao động",
            ],
            [
                "HTX mây tre Phú Vinh",
                "Hợp tác xã",
                101234567,
                912345678,
                "Chương Mỹ",
                "1.300",
            ],
            ["Hộ Nguyễn Văn A", "Hộ kinh doanh", "", "", "Huyện Phú Xuyên", 5],
        ]
    )
    result = run_import(EstablishmentResource, content, "xlsx")
    assert errors_of(result) == []
    coop = Establishment.objects.get(tax_code="0101234567")
    assert coop.phone == "0912345678"
    assert coop.employees == 1300
    assert coop.administrative_unit.code == "277"
    # A re-import matches the one with a tax code by it, the other by name and unit.
    again = run_import(EstablishmentResource, content, "xlsx")
    assert (again.totals["new"], again.totals["skip"]) == (0, 2)
    assert Establishment.objects.count() == 2


@pytest.mark.django_db
def test_a_roster_imports_with_ids_read_as_numbers_and_names_of_units():
    course = TrainingCourseFactory(title="Lớp truyền nghề mây tre đan")
    content = xlsx_bytes(
        [
            ROSTER,
            [
                f"#{course.pk}",
                "Nguyễn Thị Hoa",
                1985,
                "Nữ",
                1085012345,
                "Chương Mỹ",
                "Có",
                "CC-01",
            ],
            [
                str(course.pk),
                "Trần Văn Nam",
                "1990",
                "nam",
                "001 090 012 346",
                "277",
                "không",
                "",
            ],
            [
                "Lớp truyền nghề mây tre đan",
                "Lê Văn Bình",
                1970,
                "Nam",
                "001070012347",
                "",
                "",
                "",
            ],
        ]
    )
    result = run_import(ParticipantResource, content, "xlsx")
    assert errors_of(result) == []
    people = {p.full_name: p for p in course.participants.all()}
    assert people["Nguyễn Thị Hoa"].id_number == "001085012345"
    assert people["Nguyễn Thị Hoa"].gender == "nu"
    assert people["Nguyễn Thị Hoa"].completed is True
    assert people["Trần Văn Nam"].id_number == "001090012346"
    assert people["Trần Văn Nam"].administrative_unit.code == "277"
    assert people["Lê Văn Bình"].administrative_unit is None


@pytest.mark.django_db
def test_the_same_id_twice_in_a_course_is_refused_and_nothing_saved():
    course = TrainingCourseFactory()
    rows = [ROSTER] + [
        [f"#{course.pk}", f"Học viên {n}", 1985, "Nam", f"0010850{n:05d}", "", "", ""]
        for n in range(40)
    ]
    rows[31][4] = rows[3][4]
    result = run_import(ParticipantResource, csv_bytes(rows), "csv")
    [(row, errors)] = errors_of(result)
    assert row == 32
    assert "trùng Lớp đào tạo, Số CCCD với dòng 4" in errors["__all__"][0]
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_roster_reimported_creates_nothing_and_an_existing_id_is_updated():
    course = TrainingCourseFactory()
    ParticipantFactory(course=course, id_number="001085000001", full_name="Tên cũ")
    content = xlsx_bytes(
        [
            ROSTER,
            [f"#{course.pk}", "Tên mới", 1985, "Nam", "001085000001", "", "", ""],
            [f"#{course.pk}", "Người mới", 1986, "Nữ", "001186000002", "", "", ""],
        ]
    )
    first = run_import(ParticipantResource, content, "xlsx")
    assert (first.totals["new"], first.totals["update"]) == (1, 1)
    second = run_import(ParticipantResource, content, "xlsx")
    assert (second.totals["new"], second.totals["update"]) == (0, 0)
    assert course.participants.count() == 2
    assert course.participants.get(id_number="001085000001").full_name == "Tên mới"


@pytest.mark.django_db
def test_roster_row_errors_name_the_row_and_column():
    course = TrainingCourseFactory()
    content = xlsx_bytes(
        [
            ROSTER,
            [f"#{course.pk}", "A", 1985, "Nam", "001085000001", "", "", ""],
            [f"#{course.pk}", "B", 1985, "Khác", "12345", "Huyện Atlantis", "", ""],
            ["#999999", "C", 1890, "Nam", "001085000003", "", "", ""],
        ]
    )
    result = run_import(ParticipantResource, content, "xlsx")
    errors = dict(errors_of(result))
    assert set(errors) == {3, 4}
    assert "Giới tính" in errors[3] and "Nơi cư trú" in errors[3]
    assert "Số CCCD" in errors[3]
    assert errors[4]["Lớp đào tạo"] == ["Không tìm thấy lớp đào tạo “#999999”."]
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_course_export_round_trips_and_officer_sees_only_their_unit(officer_a):
    plan = PlanFactory(year=2019)
    mine = TrainingCourseFactory(plan=plan, title="Lớp Chương Mỹ")
    TrainingCourseFactory(
        plan=plan, title="Lớp Phú Xuyên", administrative_unit=unit("280")
    )
    exported = files.XLSX().export_data(TrainingCourseResource().export())
    result = run_import(TrainingCourseResource, exported, "xlsx")
    assert errors_of(result) == [] and not result.has_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (
        0,
        0,
        2,
    )
    rows = read_xlsx(
        files.XLSX().export_data(TrainingCourseResource(user=officer_a).export())
    )
    assert [r[2] for r in rows[1:]] == [mine.title]


@pytest.mark.django_db
def test_participant_export_round_trips(officer_b):
    course = TrainingCourseFactory()
    ParticipantFactory.create_batch(3, course=course)
    exported = files.CSV().export_data(ParticipantResource().export())
    result = run_import(ParticipantResource, exported, "csv")
    assert errors_of(result) == [] and result.totals["skip"] == 3
    # The course is in Chương Mỹ: an officer of Phú Xuyên exports nothing.
    assert len(ParticipantResource(user=officer_b).export()) == 0


@pytest.mark.django_db
def test_trade_events_import_and_reimport():
    PlanFactory(year=2019)
    content = csv_bytes(
        [
            [
                "Kế hoạch (năm)",
                "Tên sự kiện",
                "Loại sự kiện",
                "Ngày bắt đầu",
                "Ngày kết thúc",
                "Tổng số gian hàng",
                "Số gian hàng được hỗ trợ",
                "Kinh phí hỗ trợ (đồng)",
            ],
            [
                "2019",
                "Hội chợ hàng thủ công mỹ nghệ",
                "Hội chợ",
                "15/05/2019",
                "19/05/2019",
                "300",
                "120",
                "1.200.000.000",
            ],
        ]
    )
    assert errors_of(run_import(TradeEventResource, content, "csv")) == []
    event = TradeEvent.objects.get()
    assert (event.booths, event.supported_booths) == (300, 120)
    assert event.support_amount == Decimal("1200000000")
    assert event.start_date == date(2019, 5, 15)
    assert run_import(TradeEventResource, content, "csv").totals["skip"] == 1


@pytest.mark.django_db
def test_roster_command_with_a_course_and_a_progress_bar(tmp_path, capsys):
    course = TrainingCourseFactory()
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [ROSTER[1:]]
            + [
                [f"Học viên {n}", 1985, "Nam", f"0010850{n:05d}", "", "", ""]
                for n in range(30)
            ]
        )
    )
    call_command("import_participants", str(path), f"--course={course.pk}")
    out = capsys.readouterr()
    assert "30 dòng: 30 mới" in out.out
    assert "30/30" in out.err
    assert course.participants.count() == 30
    with pytest.raises(CommandError, match="Không có lớp mã"):
        call_command("import_participants", str(path), "--course=999999")


@pytest.mark.django_db
def test_establishments_name_their_craft_village_and_cluster():
    from tests.clusters.factories import IndustrialClusterFactory
    from tests.villages.factories import CraftVillageFactory

    CraftVillageFactory(name="Làng Phú Vinh", administrative_unit=unit("277"))
    CraftVillageFactory(name="Làng Phú Vinh", administrative_unit=unit("280"))
    cluster = IndustrialClusterFactory(name="Cụm CN Ngọc Sơn")
    content = xlsx_bytes(
        [
            [
                "Tên cơ sở",
                "Loại hình",
                "Đơn vị hành chính",
                "Làng nghề",
                "Cụm công nghiệp",
            ],
            ["Cơ sở A", "Hộ kinh doanh", "Phú Xuyên", "Làng Phú Vinh", ""],
            ["Cơ sở B", "Hộ kinh doanh", "277", "làng  phú vinh", "Cụm CN Ngọc Sơn"],
            ["Cơ sở C", "Hộ kinh doanh", "277", "Làng Không Có", ""],
        ]
    )
    result = run_import(EstablishmentResource, content, "xlsx")
    assert not result.base_errors
    assert errors_of(result) == [
        (4, {"Làng nghề": ["Không tìm thấy làng nghề “Làng Không Có”."]})
    ]
    content = xlsx_bytes(
        [
            [
                "Tên cơ sở",
                "Loại hình",
                "Đơn vị hành chính",
                "Làng nghề",
                "Cụm công nghiệp",
            ],
            ["Cơ sở A", "Hộ kinh doanh", "Phú Xuyên", "Làng Phú Vinh", ""],
            ["Cơ sở B", "Hộ kinh doanh", "277", "làng  phú vinh", "Cụm CN Ngọc Sơn"],
        ]
    )
    result = run_import(EstablishmentResource, content, "xlsx")
    assert errors_of(result) == [] and not result.base_errors
    again = run_import(EstablishmentResource, content, "xlsx")
    assert again.totals["skip"] == 2  # found by name and unit: no tax code
    a = Establishment.objects.get(name="Cơ sở A")
    b = Establishment.objects.get(name="Cơ sở B")
    assert a.craft_village.administrative_unit.code == "280"
    assert b.craft_village.administrative_unit.code == "277"
    assert b.industrial_cluster == cluster


@pytest.mark.django_db
def test_equipment_projects_are_exported_scoped_but_never_imported(
    client, staff_user, officer_b, tmp_path
):
    from django.urls import reverse

    from programs.resources import EquipmentProjectResource
    from tests.programs.factories import EquipmentProjectFactory

    EquipmentProjectFactory(title="Đề án máy chẻ nan")
    dataset = EquipmentProjectResource().export(force_native_type=True)
    rows = read_xlsx(files.XLSX().export_data(dataset))
    assert rows[0][:3] == ["Kế hoạch (năm)", "Cơ sở đề nghị hỗ trợ", "Tên đề án"]
    assert rows[1][2] == "Đề án máy chẻ nan"
    assert rows[1][5] == 800000000
    assert len(EquipmentProjectResource(user=officer_b).export()) == 0
    client.force_login(staff_user)
    url = reverse("admin:programs_equipmentproject_import")
    assert client.get(url).status_code == 403
    path = tmp_path / "de-an.csv"
    path.write_bytes(csv_bytes([["Tên đề án"], ["x"]]))
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command(
            "import_register", "programs.EquipmentProject", str(path), "--no-progress"
        )


@pytest.mark.django_db
def test_staff_download_the_roster_template_and_import_it_in_the_admin(
    client, staff_user
):
    from django.urls import reverse

    from tests.khuyencong.spreadsheets import upload

    course = TrainingCourseFactory()
    client.force_login(staff_user)
    template = client.get(reverse("admin:programs_participant_import_template"))
    [header] = [r for r in read_xlsx(template.content) if any(r)]
    assert header == [
        "Lớp đào tạo",
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Số CCCD",
        "Nơi cư trú",
        "Cơ sở (mã số thuế)",
        "Hoàn thành khóa học",
        "Số chứng chỉ",
    ]
    content = xlsx_bytes(
        [
            ROSTER,
            [f"#{course.pk}", "Nguyễn Thị Hoa", 1985, "Nữ", 1085012345, "", "", ""],
        ]
    )
    url = reverse("admin:programs_participant_import")
    response = client.post(
        url, {"import_file": upload("lop.xlsx", content), "format": ""}
    )
    assert "1 dòng mới, 0 dòng cập nhật, 0 dòng không đổi." in response.content.decode()
    response = client.post(
        reverse("admin:programs_participant_process_import"),
        response.context["confirm_form"].initial,
    )
    assert course.participants.get().id_number == "001085012345"
