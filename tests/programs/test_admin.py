"""The admin screens staff use every day."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.indicators import Indicator
from programs.models import (
    CourseKind,
    Establishment,
    Participant,
    Plan,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
)
from tests.khuyencong.factories import unit
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    PlanFactory,
    PlanTargetFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:programs_{model}_{view}", args=args)


def text(response) -> str:
    return response.content.decode()


def result_rows(response) -> list[str]:
    """The first column (a link) of each changelist row."""
    return [
        re.sub(r"<[^>]+>", "", cell)
        for cell in re.findall(
            r'<th class="field-[^"]+"><a [^>]+>(.*?)</a></th>', text(response)
        )
    ]


# --- plans -----------------------------------------------------------------------


def management_form(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_new_plan_page_offers_one_target_row_per_indicator(staff_client):
    page = text(staff_client.get(url("plan", "add")))
    assert page.count('<option value="craft_classes" selected>') == 1
    assert page.count('<option value="clusters_with_wwtp" selected>') == 1
    assert "chỉ tiêu kế hoạch (một dòng cho mỗi chỉ tiêu)" in page.lower()


def test_staff_save_a_plan_with_its_targets_and_untouched_rows_are_ignored(
    staff_client,
):
    data = {
        "year": "2019",
        "title": "Kế hoạch 51/KH-UBND",
        "total_budget": "25000000000",
    }
    codes = Indicator.values[:3]  # the rows offered, in the order offered
    data |= management_form("targets", len(codes))
    for i, code in enumerate(codes):
        data[f"targets-{i}-indicator"] = code
    data["targets-0-target_value"] = "38"
    data["targets-1-target_value"] = "1300"
    response = staff_client.post(url("plan", "add"), data)
    assert response.status_code == 302, text(response)
    plan = Plan.objects.get(year=2019)
    assert dict(plan.targets.values_list("indicator", "target_value")) == {
        "craft_classes": Decimal("38"),
        "craft_trainees": Decimal("1300"),
    }
    change = text(staff_client.get(url("plan", "change", plan.pk)))
    assert change.count(" selected>") >= 13  # 2 saved rows + 11 offered


def test_the_same_indicator_twice_in_a_plan_is_refused(staff_client):
    data = {"year": "2019", "title": "KH", "total_budget": "0"}
    data |= management_form("targets", 2)
    for i in range(2):
        data[f"targets-{i}-indicator"] = "craft_classes"
        data[f"targets-{i}-target_value"] = str(30 + i)
    response = staff_client.post(url("plan", "add"), data)
    assert response.status_code == 200
    assert not Plan.objects.exists()
    assert "Chỉ tiêu" in text(response) or "chỉ tiêu" in text(response)
    assert PlanTarget.objects.count() == 0


def test_plan_changelist_shows_budget_and_target_count(staff_client):
    plan = PlanFactory(year=2019, total_budget=Decimal("25000000000"))
    PlanTargetFactory(plan=plan)
    page = text(staff_client.get(url("plan")))
    assert "25.000.000.000" in page
    assert '<td class="field-targets">1</td>' in page
    PlanFactory(year=2018, title="Kế hoạch 50/KH-UBND")
    for term, expected in (("2019", [2019]), ("50/KH", [2018]), ("abc", [])):
        found = staff_client.get(url("plan"), {"q": term}).context["cl"].result_list
        assert [p.year for p in found] == expected


# --- establishments ------------------------------------------------------------------


def test_establishment_found_by_tax_code_typed_without_hyphen(staff_client):
    EstablishmentFactory(name="HTX Mây tre Phú Vinh", tax_code="0101234567-001")
    EstablishmentFactory(name="Cơ sở khác")
    response = staff_client.get(url("establishment"), {"q": "0101234567001"})
    assert result_rows(response) == ["HTX Mây tre Phú Vinh"]


def test_establishment_changelist_filters_by_kind_and_unit(staff_client):
    EstablishmentFactory(name="Hộ Chương Mỹ", administrative_unit=unit("277"))
    EstablishmentFactory(
        name="HTX Phú Xuyên", kind="hop_tac_xa", administrative_unit=unit("280")
    )
    response = staff_client.get(
        url("establishment"), {"administrative_unit__id__exact": unit("280").pk}
    )
    assert result_rows(response) == ["HTX Phú Xuyên"]
    response = staff_client.get(url("establishment"), {"kind__exact": "hop_tac_xa"})
    assert result_rows(response) == ["HTX Phú Xuyên"]


def test_establishment_autocomplete_searches_by_name(staff_client):
    EstablishmentFactory(name="Cơ sở gốm Bát Tràng")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "gốm",
            "app_label": "programs",
            "model_name": "trainingcourse",
            "field_name": "host_establishment",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Cơ sở gốm Bát Tràng"]


# --- courses ----------------------------------------------------------------------


def course_form(plan, **overrides) -> dict:
    data = {
        "plan": plan.pk,
        "kind": CourseKind.CRAFT_TRANSFER,
        "title": "Lớp truyền nghề mây tre đan Phú Nghĩa",
        "craft": "Mây tre đan",
        "status": TrainingCourse.Status.PLANNED,
        "administrative_unit": unit("277").pk,
        "start_date": "01/03/2019",
        "end_date": "30/05/2019",
        "planned_participants": "2",
        "total_budget": "120000000",
        "support_budget": "100000000",
    }
    data |= overrides
    return data


def participant_rows(people: list[dict]) -> dict:
    data = management_form("participants", len(people))
    for i, person in enumerate(people):
        for key, value in person.items():
            data[f"participants-{i}-{key}"] = value
    return data


def person(name: str, id_number: str, **extra) -> dict:
    return {
        "full_name": name,
        "birth_year": "1985",
        "gender": "nu",
        "id_number": id_number,
    } | extra


def test_staff_add_a_course_with_participants_inline(staff_client):
    plan = PlanFactory()
    data = course_form(plan) | participant_rows(
        [
            person("Lê Thị Hoa", "001 185 000 001"),
            person("Trần Thị Lan", "001185000002"),
        ]
    )
    response = staff_client.post(url("trainingcourse", "add"), data)
    assert response.status_code == 302, text(response)
    course = TrainingCourse.objects.get()
    assert sorted(course.participants.values_list("id_number", flat=True)) == [
        "001185000001",
        "001185000002",
    ]
    assert course.history.count() == 1


def test_same_id_twice_in_the_inline_is_refused_naming_both_rows(staff_client):
    plan = PlanFactory()
    data = course_form(plan) | participant_rows(
        [person("Lê Thị Hoa", "001185000001"), person("Lê Hoa", "001 185 000 001")]
    )
    response = staff_client.post(url("trainingcourse", "add"), data)
    assert response.status_code == 200
    assert (
        "Số CCCD 001185000001 bị nhập hai lần trong lớp: dòng 1 (Lê Thị Hoa) và "
        "dòng 2 (Lê Hoa)." in text(response)
    )
    assert not TrainingCourse.objects.exists()
    assert not Participant.objects.exists()


def test_course_ending_before_start_is_refused_in_the_form(staff_client):
    plan = PlanFactory()
    response = staff_client.post(
        url("trainingcourse", "add"),
        course_form(plan, end_date="01/02/2019") | participant_rows([]),
    )
    assert "Ngày kết thúc phải sau ngày khai giảng." in text(response)
    assert not TrainingCourse.objects.exists()


def test_warnings_are_shown_after_save_and_do_not_block_it(staff_client):
    plan = PlanFactory()
    other = TrainingCourseFactory(plan=plan, title="Lớp sơn mài Hạ Thái")
    ParticipantFactory(course=other, full_name="Lê Thị Hoa", id_number="001185000001")
    data = course_form(
        plan, planned_participants="1", administrative_unit=unit("001").pk
    ) | participant_rows(
        [person("Lê Thị Hoa", "001185000001"), person("Trần Thị Lan", "001185000002")]
    )
    response = staff_client.post(url("trainingcourse", "add"), data)
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("không thuộc diện được hỗ trợ" in m for m in shown)
    assert any("có 2 học viên, vượt số dự kiến (1)" in m for m in shown)
    assert any(
        "đã học lớp nghề “Lớp sơn mài Hạ Thái” trong năm 2019" in m for m in shown
    )
    assert TrainingCourse.objects.count() == 2


def test_course_page_shows_computed_counterpart_duration_and_count(staff_client):
    course = TrainingCourseFactory(
        total_budget=Decimal("120000000"), support_budget=Decimal("100000000")
    )
    ParticipantFactory.create_batch(3, course=course)
    page = text(staff_client.get(url("trainingcourse", "change", course.pk)))
    assert "20.000.000" in page  # đối ứng
    assert '<div class="readonly">91</div>' in page  # số ngày
    assert '<div class="readonly">3</div>' in page  # số học viên


def test_course_changelist_filters_and_search(staff_client):
    plan_2019, plan_2018 = PlanFactory(year=2019), PlanFactory(year=2018)
    a = TrainingCourseFactory(plan=plan_2019, title="Mây tre 2019")
    TrainingCourseFactory(plan=plan_2018, title="Mây tre 2018")
    TrainingCourseFactory(
        plan=plan_2019,
        title="Marketing 2019",
        kind=CourseKind.MARKETING,
        administrative_unit=unit("280"),
        status=TrainingCourse.Status.RUNNING,
    )
    ParticipantFactory(course=a, id_number="001185000009")
    get = lambda **q: sorted(result_rows(staff_client.get(url("trainingcourse"), q)))  # noqa: E731
    assert get(nam="2019") == ["Marketing 2019", "Mây tre 2019"]
    assert get(nhom="quan_ly") == ["Marketing 2019"]
    assert get(kind__exact="truyen_nghe", nam="2018") == ["Mây tre 2018"]
    assert get(status__exact="dang_hoc") == ["Marketing 2019"]
    assert get(administrative_unit__id__exact=str(unit("280").pk)) == ["Marketing 2019"]
    assert get(q="001 185 000 009") == ["Mây tre 2019"]
    ParticipantFactory(course=a)
    found = staff_client.get(url("trainingcourse"), {"q": "001 185 000 009"})
    # The search joins participants; the count column must not be inflated by it.
    assert [c.participant_count for c in found.context["cl"].result_list] == [2]
    assert get(q="Marketing") == ["Marketing 2019"]


def test_course_history_lists_the_change(staff_client, staff_user):
    course = TrainingCourseFactory()
    data = course_form(course.plan, title="Lớp đã đổi tên") | participant_rows([])
    staff_client.post(url("trainingcourse", "change", course.pk), data)
    page = text(staff_client.get(url("trainingcourse", "history", course.pk)))
    assert "Lớp đã đổi tên" in page
    assert str(staff_user) in page


def test_participant_changelist_searches_by_id_number_and_filters_by_year(
    staff_client,
):
    ParticipantFactory(full_name="Đào Văn Bình", id_number="001085000777")
    ParticipantFactory(
        full_name="Người năm 2018",
        course=TrainingCourseFactory(plan=PlanFactory(year=2018)),
    )
    assert result_rows(staff_client.get(url("participant"), {"q": "001085000777"})) == [
        "Đào Văn Bình"
    ]
    assert result_rows(staff_client.get(url("participant"), {"nam": "2018"})) == [
        "Người năm 2018"
    ]


# --- trade events -------------------------------------------------------------------


def test_trade_event_changelist_shows_establishment_count_and_filters(staff_client):
    event = TradeEventFactory(name="Hội chợ quà tặng 2019")
    event.establishments.add(*EstablishmentFactory.create_batch(3))
    TradeEventFactory(
        name="Triển lãm Nhật Bản", kind="trien_lam", location="nuoc_ngoai"
    )
    response = staff_client.get(url("tradeevent"), {"location__exact": "trong_nuoc"})
    assert result_rows(response) == ["Hội chợ quà tặng 2019"]
    assert '<td class="field-establishment_count">3</td>' in text(response)
    assert result_rows(staff_client.get(url("tradeevent"), {"q": "Nhật"})) == [
        "Triển lãm Nhật Bản"
    ]


def test_staff_add_an_establishment_and_the_tax_code_is_stored_canonical(
    staff_client,
):
    data = {
        "name": "HTX Mây tre đan Phú Vinh",
        "kind": "hop_tac_xa",
        "tax_code": "0101 234 567 001",
        "administrative_unit": unit("277").pk,
    }
    response = staff_client.post(url("establishment", "add"), data)
    assert response.status_code == 302, text(response)
    assert Establishment.objects.get().tax_code == "0101234567-001"
    again = staff_client.post(url("establishment", "add"), data | {"name": "Khác"})
    assert "Mã số thuế này đã có trong danh sách cơ sở." in text(again)
    assert Establishment.objects.count() == 1


def test_malformed_tax_code_is_shown_next_to_the_field(staff_client):
    data = {
        "name": "Cơ sở A",
        "kind": "ho_kinh_doanh",
        "tax_code": "12345",
        "administrative_unit": unit("277").pk,
    }
    response = staff_client.post(url("establishment", "add"), data)
    assert "Mã số thuế phải gồm 10 chữ số" in text(response)
    assert not Establishment.objects.exists()


def test_staff_add_a_trade_event_with_participating_establishments(staff_client):
    plan = PlanFactory()
    establishments = EstablishmentFactory.create_batch(2)
    data = {
        "plan": plan.pk,
        "name": "Hội chợ hàng thủ công mỹ nghệ Hà Nội 2019",
        "kind": "hoi_cho",
        "location": "trong_nuoc",
        "start_date": "10/10/2019",
        "end_date": "14/10/2019",
        "booths": "300",
        "supported_booths": "120",
        "support_amount": "1500000000",
        "establishments": [e.pk for e in establishments],
    }
    response = staff_client.post(url("tradeevent", "add"), data)
    assert response.status_code == 302, text(response)
    event = TradeEvent.objects.get()
    assert set(event.establishments.all()) == set(establishments)
    page = text(staff_client.get(url("tradeevent", "change", event.pk)))
    assert '<div class="readonly">5</div>' in page  # số ngày


def test_trade_event_with_more_supported_booths_than_booths_is_refused(staff_client):
    data = {
        "plan": PlanFactory().pk,
        "name": "Hội chợ",
        "kind": "hoi_cho",
        "location": "trong_nuoc",
        "start_date": "10/10/2019",
        "end_date": "14/10/2019",
        "booths": "10",
        "supported_booths": "12",
        "support_amount": "0",
    }
    response = staff_client.post(url("tradeevent", "add"), data)
    assert "Số gian hàng được hỗ trợ không được lớn hơn tổng số gian hàng." in text(
        response
    )
    assert not TradeEvent.objects.exists()


def test_staff_add_a_participant_on_its_own_page(staff_client):
    course = TrainingCourseFactory()
    ParticipantFactory(course=course, id_number="001185000001")
    data = {
        "course": course.pk,
        "full_name": "Lê Thị Hoa",
        "birth_year": "1985",
        "gender": "nu",
        "id_number": "001185000001",
    }
    response = staff_client.post(url("participant", "add"), data)
    assert "Số CCCD này đã có trong danh sách học viên của lớp." in text(response)
    response = staff_client.post(
        url("participant", "add"), data | {"id_number": "001185000002"}
    )
    assert response.status_code == 302
    assert course.participants.count() == 2


def test_plan_page_shows_targets_against_actuals_counted_from_registers(
    staff_client, django_assert_max_num_queries
):
    plan = PlanFactory(year=2019)
    PlanTargetFactory(plan=plan, indicator="craft_classes", target_value=38)
    for _ in range(2):
        ParticipantFactory(course=TrainingCourseFactory(plan=plan))
    with django_assert_max_num_queries(20):
        page = text(staff_client.get(url("plan", "change", plan.pk)))
    assert (
        "<tr><td>Lớp truyền nghề, cấy nghề, nâng cao tay nghề</td><td>lớp</td>"
        "<td>38</td><td>2</td><td>5,3</td></tr>"
    ) in page
    assert (
        "<td>Lao động nông thôn được đào tạo nghề</td><td>người</td><td>–</td>" in page
    )
