import pytest

from tests.khuyencong.factories import unit
from tests.villages.factories import (
    BrandingApplicationFactory,
    BrandingCallFactory,
    CraftVillageFactory,
)
from villages.models import ApplicationStatus as S
from villages.selectors import branding_by_unit, branding_pipeline, branding_villages

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_2019():
    """Seven villages registered by 15/5/2019 from four districts, plus noise."""
    call = BrandingCallFactory(year=2019, title="Đợt 2019")
    second = BrandingCallFactory(year=2019, title="Đợt bổ sung 2019")
    states = {
        "277": [S.SUBMITTED, S.APPROVED],  # Chương Mỹ
        "280": [S.UNDER_REVIEW, S.NEEDS_SUPPLEMENT],  # Phú Xuyên
        "279": [S.FORWARDED, S.REJECTED],  # Thường Tín
        "271": [S.DONE],  # Ba Vì
    }
    villages = {}
    for code, codes_states in states.items():
        for state in codes_states:
            village = CraftVillageFactory(administrative_unit=unit(code))
            villages.setdefault(code, []).append(village)
            BrandingApplicationFactory(call=call, village=village, status=state)
    # The same village in a second call of the year is counted once.
    BrandingApplicationFactory(
        call=second, village=villages["277"][0], status=S.SUBMITTED
    )
    # Drafts and other years never count.
    BrandingApplicationFactory(
        call=call, village=CraftVillageFactory(administrative_unit=unit("277"))
    )
    BrandingApplicationFactory(
        call=BrandingCallFactory(year=2018),
        village=CraftVillageFactory(administrative_unit=unit("277")),
        status=S.DONE,
    )
    return call


def test_branding_villages_counts_submitted_or_later_distinct_villages(
    data_2019, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert branding_villages(year=2019) == 7
    assert branding_villages(year=2018) == 1
    assert branding_villages(year=2020) == 0


def test_branding_villages_by_unit(data_2019):
    assert branding_villages(year=2019, unit=unit("277")) == 2
    assert branding_villages(year=2019, unit=unit("271")) == 1
    assert branding_villages(year=2019, unit=unit("001")) == 0


def test_branding_pipeline_lists_every_state(data_2019, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = branding_pipeline(year=2019)
    counts = {r.status: r.count for r in rows}
    assert counts == {
        "nhap": 1,
        "da_nop": 2,
        "dang_tham_dinh": 1,
        "yeu_cau_bo_sung": 1,
        "trinh_ubnd": 1,
        "duoc_ho_tro": 1,
        "khong_duoc_ho_tro": 1,
        "hoan_thanh": 1,
    }
    assert rows[0].label == "Nháp"


def test_a_units_branding_pipeline_counts_its_applications_only(data_2019):
    counts = {r.status: r.count for r in branding_pipeline(year=2019, unit=unit("277"))}
    # Chương Mỹ: submitted twice (two calls), approved once, one draft.
    assert {k: v for k, v in counts.items() if v} == {
        "nhap": 1,
        "da_nop": 2,
        "duoc_ho_tro": 1,
    }
    assert len(counts) == 8  # every state listed


def test_branding_by_unit(data_2019, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = branding_by_unit(year=2019)
    assert [(r.unit_code, r.villages, r.applications, r.approved) for r in rows] == [
        ("271", 1, 1, 1),
        ("277", 2, 3, 1),
        ("279", 2, 2, 0),
        ("280", 2, 2, 0),
    ]
    assert rows[0].unit_name == "Ba Vì"
