"""Journey 2: a district officer and department staff take a craft-village branding
application from draft to approval, each in their own browser; leadership then find
it counted on the dashboard."""

import pytest
from django.urls import reverse

from tests.e2e.support import (
    admin_errors,
    admin_log_in,
    assert_fits_phone,
    axe,
    expect,
    log_in,
    pdf_file,
)
from tests.khuyencong.factories import LegalDocumentFactory
from tests.villages.factories import BrandingCallFactory, CraftVillageFactory
from villages.models import ApplicationStatus, BrandingApplication

pytestmark = pytest.mark.e2e


def admin_step(page, label: str, *, comment: str = "", **fields) -> None:
    """On an application's admin page: press the workflow step, fill the
    confirmation page and confirm."""
    page.locator(".object-tools a", has_text=label).click()
    expect(page.locator("#content-main")).to_contain_text(label)
    if comment:
        page.locator("textarea[name=comment]").fill(comment)
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name=f"Xác nhận: {label}").click()
    page.wait_for_load_state()


def test_officer_and_staff_take_a_branding_application_to_approval(
    open_page, shot, tmp_path, officer_a, staff_user, leadership_user, unit_a, unit_b
):
    village = CraftVillageFactory(
        name="Phú Vinh", crafts="Mây tre đan", administrative_unit=unit_a
    )
    CraftVillageFactory(
        name="Chuyên Mỹ", crafts="Khảm trai", administrative_unit=unit_b
    )
    call = BrandingCallFactory(title="Đợt đăng ký xây dựng thương hiệu năm 2019")
    decision = LegalDocumentFactory(number="5432/QĐ-UBND")
    officer = open_page()
    staff = open_page()

    # The officer logs in and sees only their own unit.
    log_in(officer, officer_a.username)
    officer.locator("[data-link=portal]").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Cổng Huyện Chương Mỹ")
    villages = officer.get_by_test_id("villages")
    expect(villages).to_contain_text("Phú Vinh")
    expect(villages).not_to_contain_text("Chuyên Mỹ")
    shot(officer, "cong-huyen")
    axe(officer)

    # ... drafts the application with two activities ...
    officer.get_by_role("link", name="Tạo hồ sơ đăng ký xây dựng thương hiệu").click()
    officer.get_by_label("Đợt đăng ký").select_option(label=str(call))
    officer.get_by_label("Làng nghề").select_option(label=str(village))
    officer.get_by_label("Người liên hệ").fill("Nguyễn Văn An")
    officer.get_by_label("Điện thoại liên hệ").fill("0912345678")
    officer.get_by_label("Thuyết minh").fill("Thương hiệu mây tre đan Phú Vinh")
    identity = "Đặt tên, thiết kế logo, bộ nhận diện thương hiệu"
    officer.get_by_role("spinbutton", name=identity).fill("80000000")
    officer.get_by_role("textbox", name=f"Mô tả: {identity}").fill("Logo, bao bì")
    trademark = "Đăng ký bảo hộ nhãn hiệu tập thể"
    officer.get_by_role("spinbutton", name=trademark).fill("50000000")
    shot(officer, "tao-ho-so")
    axe(officer)
    officer.get_by_role("button", name="Lưu hồ sơ").click()
    expect(officer.get_by_role("alert")).to_contain_text("Đã lưu hồ sơ nháp")
    expect(officer.get_by_test_id("activities")).to_contain_text("80.000.000")

    # ... attaches the district's letter as a PDF and submits.
    upload = officer.locator("form[enctype='multipart/form-data']")
    upload.get_by_label("Loại tài liệu").select_option("cong_van_huyen")
    upload.get_by_label("Tên tài liệu").fill("Công văn UBND huyện Chương Mỹ")
    upload.get_by_label("Tệp").set_input_files(
        pdf_file(tmp_path / "cong-van.pdf", "Cong van UBND huyen Chuong My")
    )
    upload.get_by_role("button", name="Tải lên").click()
    expect(officer.get_by_test_id("documents")).to_contain_text(
        "Công văn UBND huyện Chương Mỹ"
    )
    shot(officer, "ho-so-nhap")
    axe(officer)
    officer.get_by_role("button", name="Nộp hồ sơ").click()
    expect(officer.get_by_test_id("status")).to_have_text("Đã nộp, chờ Sở tiếp nhận")
    application = BrandingApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED

    # Staff take it up and return it with a comment.
    admin_log_in(staff, staff_user.username)
    staff.locator(
        "#content-main a", has_text="Hồ sơ xây dựng thương hiệu"
    ).first.click()
    staff.locator("#result_list a", has_text="Phú Vinh").first.click()
    admin_step(staff, "Tiếp nhận, thẩm định")
    admin_step(
        staff, "Yêu cầu bổ sung", comment="Đề nghị bổ sung danh sách hộ tham gia."
    )
    expect(staff.locator("#workflow-history")).to_contain_text(
        "Đề nghị bổ sung danh sách hộ tham gia."
    )
    shot(staff, "quan-tri-yeu-cau-bo-sung")

    # The officer reads the comment, attaches the list and resubmits.
    officer.goto("/")
    officer.locator("[data-link=portal]").click()
    expect(officer.get_by_test_id("applications")).to_contain_text("Phú Vinh")
    officer.get_by_test_id("applications").get_by_role("link", name="Phú Vinh").click()
    expect(officer.get_by_test_id("return-comment")).to_contain_text(
        "Đề nghị bổ sung danh sách hộ tham gia."
    )
    shot(officer, "ho-so-can-bo-sung")
    axe(officer)
    upload.get_by_label("Loại tài liệu").select_option("danh_sach_ho")
    upload.get_by_label("Tên tài liệu").fill("Danh sách hộ tham gia")
    upload.get_by_label("Tệp").set_input_files(
        pdf_file(tmp_path / "danh-sach-ho.pdf", "Danh sach ho tham gia")
    )
    upload.get_by_role("button", name="Tải lên").click()
    expect(officer.get_by_test_id("documents")).to_contain_text("Danh sách hộ tham gia")
    officer.get_by_role("button", name="Nộp lại hồ sơ đã bổ sung").click()
    expect(officer.get_by_test_id("return-comment")).to_have_count(0)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    shot(officer, "da-nop-lai")

    # Staff forward it to the City and record the approval; an amount over what
    # was asked for is refused first.
    staff.reload()
    admin_step(staff, "Trình UBND Thành phố")
    admin_step(
        staff,
        "Ghi nhận quyết định hỗ trợ",
        decision=str(decision),
        approved_amount="500000000",
    )
    expect(staff.locator(".errorlist").first).to_contain_text("vượt tổng mức")
    assert any("vượt tổng mức" in error for error in admin_errors(staff))
    shot(staff, "quan-tri-tu-choi-vuot-muc")
    staff.locator("[name=approved_amount]").fill("130000000")
    staff.get_by_role("button", name="Xác nhận: Ghi nhận quyết định hỗ trợ").click()
    expect(staff.locator("#workflow-history")).to_contain_text("Được hỗ trợ")
    shot(staff, "quan-tri-da-phe-duyet")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decision == decision

    # The officer sees the decision, also on a phone.
    officer.reload()
    expect(officer.get_by_role("status")).to_contain_text(
        "Được hỗ trợ 130.000.000 đồng theo 5432/QĐ-UBND"
    )
    shot(officer, "ho-so-duoc-ho-tro")
    axe(officer)
    phone = open_page(phone=True)
    log_in(phone, officer_a.username)
    assert_fits_phone(phone, application.get_absolute_url())
    shot(phone, "ho-so-dien-thoai")

    # Leadership find it counted on the dashboard, among the year's approved ones.
    leader = open_page()
    log_in(leader, leadership_user.username)
    leader.locator("[data-link=dashboard]").click()
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Bảng điều hành")
    leader.goto(f"{reverse('dashboard')}?nam={call.year}")
    pipeline = leader.get_by_test_id("branding-pipeline")
    approved = pipeline.locator("tr[data-status=duoc_ho_tro]")
    expect(approved.locator("th")).to_have_text("Được hỗ trợ")
    expect(approved.locator("td")).to_have_text("1")
    expect(pipeline.locator("tr[data-status=nhap] td")).to_have_text("0")
    shot(leader, "bang-dieu-hanh-lanh-dao")
    axe(leader)
