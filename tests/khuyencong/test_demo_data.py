"""The demo data set reproduces the 2019 source article: every figure is read from
the public report page, as a reader sees it, not from the database."""

import pytest
from django.core.management import call_command

from khuyencong.demo_data import demo_data_load
from programs.models import Participant, Plan
from tests.khuyencong.pages import page_text, section_text
from villages.models import ApplicationStatus, BrandingApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_report_2019_states_every_figure_of_the_article(client, demo):
    response = client.get("/bao-cao/2019/")
    assert response.status_code == 200
    text = section_text(response, "report-text")
    for phrase in (
        "38 lớp truyền nghề, cấy nghề, nâng cao tay nghề cho 1.300 lao động nông thôn",
        "15 lớp tập huấn khởi sự doanh nghiệp, quản trị doanh nghiệp, marketing, "
        "thiết kế mẫu sản phẩm cho 1.500 chủ cơ sở, cán bộ quản lý",
        "hỗ trợ 14 cơ sở công nghiệp nông thôn",
        "danh mục 15 dự án hỗ trợ máy móc thiết bị",
        "Kế hoạch số 51/KH-UBND",
        "tính đến hết ngày 15/05/2019",
        "của 7 làng nghề",
        "có 159 cụm công nghiệp",
        "có 70 cụm công nghiệp đang hoạt động",
        "Năm 2018, toàn thành phố đã thành lập mới 5 cụm công nghiệp",
        "Con số này năm 2019 là 3 cụm công nghiệp",
        "21 cụm công nghiệp đã có trạm xử lý nước thải tập trung",
        "9 cụm công nghiệp do chủ đầu tư thực hiện",
        "12 cụm công nghiệp được đầu tư 11 trạm xử lý nước thải",
        "Quyết định 7209/QĐ-UBND ngày 02/12/2013",
    ):
        assert phrase in text, phrase


def test_report_2019_names_the_four_districts_and_not_the_draft_one(client, demo):
    text = section_text(client.get("/bao-cao/2019/"), "branding")
    for district in ("Chương Mỹ", "Phú Xuyên", "Thường Tín", "Ba Vì"):
        assert district in text
    # Đông Anh has a draft application in the demo data: it must not count.
    assert "Đông Anh" not in text
    assert BrandingApplication.objects.filter(status=ApplicationStatus.DRAFT).exists()
    assert "7 làng nghề" in text


def test_report_plan_table_shows_targets_and_actuals(client, demo):
    text = section_text(client.get("/bao-cao/2019/"), "plan-vs-actual")
    assert "Lớp truyền nghề, cấy nghề, nâng cao tay nghề (lớp) 38 38 100 %" in text
    assert "Lao động nông thôn được đào tạo nghề (người) 1.300 1.300 100 %" in text
    assert "Chủ cơ sở, cán bộ quản lý được đào tạo (người) 1.500 1.500 100 %" in text
    assert "Cơ sở được hỗ trợ ứng dụng máy móc thiết bị (cơ sở) 14 14 100 %" in text


def test_trends_have_2018_and_2019(client, demo):
    text = section_text(client.get("/bao-cao/2019/"), "trend-table")
    assert "Chỉ tiêu 2018 2019" in text
    assert "Lớp truyền nghề, cấy nghề, nâng cao tay nghề 40 38" in text
    assert "Lao động nông thôn được đào tạo nghề 1.400 1.300" in text
    assert "Cụm công nghiệp đang hoạt động 66 70" in text


def test_report_2018_cites_its_plan(client, demo):
    text = page_text(client.get("/bao-cao/2018/"))
    assert "Kế hoạch số 50/KH-UBND ngày 21/02/2018" in text
    assert "22,5 tỷ đồng" in text
    assert "40 lớp truyền nghề, cấy nghề, nâng cao tay nghề cho 1.400" in text


def test_participants_are_real_rows_with_obviously_fake_ids(demo):
    trainees = Participant.objects.filter(course__plan__year=2019)
    assert trainees.filter(id_number__startswith="000").count() == trainees.count()
    assert trainees.count() >= 2800  # 1.300 + 1.500 counted, and a cancelled class


def test_demo_names_say_they_are_demo_data(demo):
    from clusters.models import IndustrialCluster
    from programs.models import Establishment

    for model in (Establishment, IndustrialCluster):
        names = model.objects.values_list("name", flat=True)
        assert all("minh họa" in name for name in names)


def test_loading_twice_adds_nothing(demo):
    before = (Plan.objects.count(), Participant.objects.count())
    result = demo_data_load()
    assert result.created is False
    assert (Plan.objects.count(), Participant.objects.count()) == before


def test_demo_id_numbers_agree_with_gender_and_birth_year(demo):
    from programs.validators import id_number_mismatches

    people = Participant.objects.values_list("id_number", "gender", "birth_year")
    for id_number, gender, born in people[:300]:
        assert not id_number_mismatches(id_number, gender=gender, birth_year=born)
