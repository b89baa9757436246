"""Journey 1: department staff work in the admin. They create the 2020 plan with its
targets, add a course with its participants by hand and import another course's
roster from an .xlsx (blank template, preview, confirm); an equipment-support project
goes from registered to approved, an approval over the national cap (300 million đồng
per establishment, TT 28/2018/TT-BTC) being refused on the page first."""

from datetime import date
from decimal import Decimal

import pytest

from programs.indicators import Indicator
from programs.models import EquipmentProject, EquipmentStatus, Plan, TrainingCourse
from tests.e2e.support import (
    admin_autocomplete,
    admin_errors,
    admin_log_in,
    assert_no_horizontal_scroll,
    download,
    expect,
    xlsx_file,
)
from tests.khuyencong.factories import LegalDocumentFactory
from tests.programs.factories import (
    EquipmentProjectFactory,
    PlanFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.e2e


def admin_step(page, label: str, **fields) -> None:
    """On an admin change page: press the workflow step, fill the confirmation page
    (inputs by name; selects by visible label) and confirm."""
    page.locator(".object-tools a", has_text=label).click()
    expect(page.locator("#content-main")).to_contain_text(label)
    for name, value in fields.items():
        field = page.locator(f"#content-main [name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name=f"Xác nhận: {label}").click()
    page.wait_for_load_state()


def test_staff_move_an_equipment_project_to_approval_past_the_cap_refusal(
    page, shot, staff_user
):
    plan = PlanFactory(year=2019)
    project = EquipmentProjectFactory(
        plan=plan,
        title="Đề án máy chẻ nan tự động Phú Vinh",
        total_cost=Decimal("800000000"),
        requested_support=Decimal("350000000"),
        registered_on=date(2019, 3, 1),
    )
    decision = LegalDocumentFactory(number="3301/QĐ-UBND", issued_on=date(2019, 6, 1))

    admin_log_in(page, staff_user.username)
    page.locator(
        "#content-main a", has_text="Đề án hỗ trợ máy móc thiết bị"
    ).first.click()
    expect(page.locator("#result_list")).to_contain_text("Phú Vinh")
    shot(page, "danh-sach-de-an")
    page.locator("#result_list a", has_text="Phú Vinh").first.click()
    shot(page, "de-an-da-dang-ky")

    admin_step(
        page,
        "Ghi nhận khảo sát",
        surveyed_on="15/03/2019",
        survey_notes="Nhà xưởng 200 m², đủ điện ba pha.",
    )
    expect(page.locator(".messagelist")).to_contain_text("Đã khảo sát")
    admin_step(page, "Trình UBND Thành phố")
    expect(page.locator(".messagelist")).to_contain_text("Trình UBND")

    admin_step(
        page,
        "Ghi nhận quyết định phê duyệt",
        decision=str(decision),
        decided_on="01/06/2019",
        approved_support="350000000",
    )
    errors = " ".join(admin_errors(page))
    assert "vượt mức hỗ trợ tối đa 300.000.000 đồng/cơ sở" in errors
    assert "28/2018/TT-BTC" in errors
    shot(page, "tu-choi-vuot-muc")
    project.refresh_from_db()
    assert project.status == EquipmentStatus.FORWARDED

    page.locator("[name=approved_support]").fill("300000000")
    page.get_by_role("button", name="Xác nhận: Ghi nhận quyết định phê duyệt").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã thực hiện bước")
    shot(page, "de-an-da-phe-duyet")
    project = EquipmentProject.objects.get(pk=project.pk)
    assert project.status == EquipmentStatus.APPROVED
    assert project.approved_support == Decimal("300000000")


def test_staff_create_the_2020_plan_with_its_targets(page, shot, staff_user):
    admin_log_in(page, staff_user.username)
    plans = page.locator("#content-main tr", has_text="Kế hoạch khuyến công năm")
    plans.get_by_role("link", name="Thêm vào").click()
    page.locator("[name=year]").fill("2020")
    page.locator("[name=title]").fill("Kế hoạch khuyến công năm 2020")
    page.locator("[name=total_budget]").fill("12500000000")
    targets = {Indicator.CRAFT_CLASSES: "40", Indicator.CRAFT_TRAINEES: "1400"}
    rows = int(page.locator("[name=targets-TOTAL_FORMS]").input_value())
    for index in range(rows):
        indicator = page.locator(f"[name=targets-{index}-indicator]").input_value()
        if indicator in targets:
            page.locator(f"[name=targets-{index}-target_value]").fill(
                targets[indicator]
            )
    assert_no_horizontal_scroll(page)
    shot(page, "ke-hoach-2020")
    page.locator("input[name=_save]").first.click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Kế hoạch khuyến công năm 2020"
    )
    expect(page.locator("#result_list")).to_contain_text("2020")
    shot(page, "danh-sach-ke-hoach")
    plan = Plan.objects.get(year=2020)
    assert dict(plan.targets.values_list("indicator", "target_value")) == {
        Indicator.CRAFT_CLASSES: 40,
        Indicator.CRAFT_TRAINEES: 1400,
    }


def test_staff_add_a_craft_course_with_three_participants_inline(
    page, shot, staff_user
):
    PlanFactory(year=2020, title="Kế hoạch khuyến công năm 2020")
    participants = [
        ("Nguyễn Thị Lan", "1985", "Nữ", "001185012345"),
        ("Trần Văn Minh", "1990", "Nam", "001090054321"),
        ("Lê Thị Hoa", "1978", "Nữ", "001178098765"),
    ]

    admin_log_in(page, staff_user.username)
    courses = page.locator("#content-main tr", has_text="Lớp đào tạo")
    courses.get_by_role("link", name="Thêm vào").click()
    admin_autocomplete(page, "plan", "2020", "2020")
    page.locator("[name=kind]").select_option(label="Truyền nghề")
    page.locator("[name=title]").fill("Lớp truyền nghề mây tre đan Phú Vinh")
    page.locator("[name=craft]").fill("Mây tre đan")
    admin_autocomplete(page, "administrative_unit", "Chương", "Chương Mỹ")
    page.locator("[name=start_date]").fill("01/04/2020")
    page.locator("[name=end_date]").fill("30/06/2020")
    page.locator("[name=planned_participants]").fill("3")
    page.locator("[name=total_budget]").fill("150000000")
    page.locator("[name=support_budget]").fill("120000000")
    for index, (name, year, gender, id_number) in enumerate(participants):
        if index > 0:
            page.locator(".add-row a").first.click()
        page.locator(f"[name=participants-{index}-full_name]").fill(name)
        page.locator(f"[name=participants-{index}-birth_year]").fill(year)
        page.locator(f"[name=participants-{index}-gender]").select_option(label=gender)
        page.locator(f"[name=participants-{index}-id_number]").fill(id_number)
    # The participants' table scrolls inside its box, not the whole page.
    assert_no_horizontal_scroll(page)
    shot(page, "lop-dao-tao-moi")
    page.locator("input[name=_save]").first.click()

    expect(page.locator(".messagelist")).to_contain_text("Lớp truyền nghề mây tre đan")
    shot(page, "danh-sach-lop")
    course = TrainingCourse.objects.get(title="Lớp truyền nghề mây tre đan Phú Vinh")
    assert sorted(course.participants.values_list("full_name", flat=True)) == [
        "Lê Thị Hoa",
        "Nguyễn Thị Lan",
        "Trần Văn Minh",
    ]


def test_staff_import_a_roster_xlsx_through_the_preview_and_confirm(
    page, shot, tmp_path, staff_user
):
    course = TrainingCourseFactory(
        plan=PlanFactory(year=2020),
        title="Lớp truyền nghề sơn mài Hạ Thái",
        craft="Sơn mài",
    )
    admin_log_in(page, staff_user.username)
    page.locator("#content-main tr", has_text="Học viên").get_by_role(
        "link", name="Học viên"
    ).first.click()
    expect(page.locator("#result_list")).to_have_count(0)

    # The blank template carries the Vietnamese columns the roster must use.
    name, content = download(
        page, lambda: page.get_by_role("link", name="Tải mẫu trống").click()
    )
    assert name.endswith(".xlsx")
    headers = xlsx_headers(content)
    assert headers[:5] == [
        "Lớp đào tạo",
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Số CCCD",
    ]

    # The roster as a course organiser types it: the CCCD lost its leading zeros
    # in Excel, the course is written by its code.
    roster = xlsx_file(
        tmp_path / "danh-sach-hoc-vien.xlsx",
        headers,
        [
            [f"#{course.pk}", "Phạm Thị Thu", 1988, "Nữ", 1188012345],
            [f"#{course.pk}", "Đỗ Văn Hùng", 1975, "Nam", 1075054321],
            [f"#{course.pk}", "Vũ Thị Mai", 1992, "Nữ", "001192098765"],
        ],
    )
    page.locator(".object-tools a.import_link").click()
    page.locator("[name=import_file]").set_input_files(roster)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_load_state()

    # The preview says what will happen and nothing is saved yet.
    expect(page.locator(".import-summary")).to_have_text(
        "3 dòng mới, 0 dòng cập nhật, 0 dòng không đổi."
    )
    preview = page.locator("table.import-preview")
    for person in ("Phạm Thị Thu", "Đỗ Văn Hùng", "Vũ Thị Mai"):
        expect(preview).to_contain_text(person)
    shot(page, "xem-truoc-nhap-hoc-vien")
    assert not course.participants.exists()

    page.get_by_role("button", name="Xác nhận nhập").click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist")).to_contain_text("Đã nhập xong: 3 mới")
    result_list = page.locator("#result_list")
    for person in ("Phạm Thị Thu", "Đỗ Văn Hùng", "Vũ Thị Mai"):
        expect(result_list).to_contain_text(person)
    expect(result_list).to_contain_text("001188012345")
    expect(page.locator("#changelist-filter")).to_contain_text("Hiện số lượng")
    shot(page, "danh-sach-hoc-vien-sau-khi-nhap")
    assert dict(course.participants.values_list("full_name", "id_number")) == {
        "Phạm Thị Thu": "001188012345",
        "Đỗ Văn Hùng": "001075054321",
        "Vũ Thị Mai": "001192098765",
    }


def xlsx_headers(content: bytes) -> list[str]:
    """The header row of a downloaded template (the first non-empty row)."""
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        if any(row):
            return [cell for cell in row if cell is not None]
    return []
