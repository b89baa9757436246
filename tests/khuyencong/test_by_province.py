"""When the registers hold units of several provinces (the same data model holding a
whole country), the tables by unit show one summed row per province instead of
every district; Hà Nội alone keeps its districts."""

from datetime import date

import pytest

from khuyencong.models import AdministrativeUnit
from khuyencong.report_selectors import spans_provinces, unit_refs, unit_rows
from programs.selectors import actuals_by_unit
from tests.clusters.factories import IndustrialClusterFactory
from tests.khuyencong.factories import AdministrativeUnitFactory, unit
from tests.khuyencong.pages import content_of, section_text, xlsx_rows
from tests.programs.factories import (
    ParticipantFactory,
    PlanFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(year=2019)


def course(plan, where, people):
    made = TrainingCourseFactory(plan=plan, administrative_unit=where)
    ParticipantFactory.create_batch(people, course=made)
    return made


@pytest.fixture
def ha_giang():
    province = AdministrativeUnitFactory(
        code="02", name="Hà Giang", kind=AdministrativeUnit.Kind.CITY
    )
    return AdministrativeUnitFactory(
        code="02.01",
        name="Đồng Văn",
        kind=AdministrativeUnit.Kind.RURAL_DISTRICT,
        parent=province,
    )


def test_hanoi_alone_keeps_its_districts(client, leadership_user, plan):
    course(plan, unit("277"), 3)
    course(plan, unit("280"), 2)
    IndustrialClusterFactory(administrative_unit=unit("277"))
    client.force_login(leadership_user)
    response = client.get("/dashboard/?nam=2019")
    rows = section_text(response, "by-unit")
    assert "Chương Mỹ" in rows and "Phú Xuyên" in rows
    assert "mỗi dòng là tổng của một tỉnh" not in rows
    assert "Đơn vị Trong quy hoạch" in section_text(response, "clusters")


def test_several_provinces_are_summed_per_province(client, staff_user, plan, ha_giang):
    course(plan, unit("277"), 3)
    course(plan, unit("280"), 2)
    course(plan, ha_giang, 4)
    operating = {"operating_from": date(2015, 1, 1), "established_on": date(2014, 1, 1)}
    IndustrialClusterFactory(administrative_unit=unit("277"), **operating)
    IndustrialClusterFactory(administrative_unit=unit("280"), **operating)
    IndustrialClusterFactory(administrative_unit=ha_giang, **operating)
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    response = client.get("/dashboard/?nam=2019")
    rows = section_text(response, "by-unit")
    assert "mỗi dòng là tổng của một tỉnh, thành phố" in rows
    assert "Chương Mỹ" not in rows and "Đồng Văn" not in rows
    board = response.context["board"]
    table = {row.unit.name: row.values for row in board.units}
    assert set(table) == {"Hà Nội", "Hà Giang"}
    assert table["Hà Nội"]["craft_trainees"] == 5  # 3 + 2
    assert table["Hà Giang"]["craft_trainees"] == 4
    # A province row has no admin list behind it (the lists filter by one unit).
    assert all(cell.url is None for line in response.context["unit_table"]
               for cell in line.cells)  # fmt: skip

    clusters = {r.name: r for r in board.cluster_units}
    assert set(clusters) == {"Hà Nội", "Hà Giang"}
    assert (clusters["Hà Nội"].operating, clusters["Hà Giang"].operating) == (2, 1)
    # Land is summed too: 2 × 15 ha leased of 2 × 20 ha industrial land.
    assert clusters["Hà Nội"].occupancy_percent == 75
    assert "Tỉnh, thành phố Trong quy hoạch" in section_text(response, "clusters")
    # The workbook names its first column the same way.
    sheets = xlsx_rows(content_of(client.get("/dashboard/tai-ve/?nam=2019")))
    assert sheets["Theo đơn vị"][0][0] == "Tỉnh, thành phố"
    assert sheets["Cụm công nghiệp"][0][0] == "Tỉnh, thành phố"
    assert {row[0] for row in sheets["Cụm công nghiệp"][1:]} == {"Hà Nội", "Hà Giang"}

    report = client.get("/bao-cao/2019/")
    assert "Theo tỉnh, thành phố" in section_text(report, "by-unit")


def test_a_commune_is_counted_under_the_province_above_its_district(plan, ha_giang):
    """Three levels (commune, district, province): the SQL groups by the
    grandparent, else the parent, else the unit itself."""
    commune = AdministrativeUnitFactory(
        code="02.01.01", name="Lũng Cú", parent=ha_giang
    )
    course(plan, commune, 2)
    course(plan, ha_giang, 1)
    course(plan, unit("277"), 3)
    TradeEventFactory(plan=plan, administrative_unit=commune)
    rows = {
        r.unit.name: r.values for r in actuals_by_unit(year=2019, per_province=True)
    }
    assert set(rows) == {"Hà Nội", "Hà Giang"}
    assert rows["Hà Giang"]["craft_trainees"] == 3  # 2 in the commune + 1
    assert rows["Hà Giang"]["trade_events"] == 1
    assert rows["Hà Nội"]["craft_trainees"] == 3


def test_units_without_a_province_do_not_make_a_second_province(plan):
    """A top-level unit with nothing under it (a unit entered on its own) is not a
    province of the data: Hà Nội keeps its districts."""

    loose = AdministrativeUnitFactory(name="Xã lẻ")
    course(plan, loose, 1)
    course(plan, unit("277"), 2)
    assert loose.parent_id is None
    assert not spans_provinces(unit_refs())
    assert {r.unit.name for r in unit_rows(year=2019)} >= {"Chương Mỹ", "Xã lẻ"}
