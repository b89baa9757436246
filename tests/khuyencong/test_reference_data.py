from datetime import date

import pytest

from khuyencong.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

EXPECTED = {
    "001": ("Ba Đình", "quan"), "002": ("Hoàn Kiếm", "quan"),
    "003": ("Tây Hồ", "quan"), "004": ("Long Biên", "quan"),
    "005": ("Cầu Giấy", "quan"), "006": ("Đống Đa", "quan"),
    "007": ("Hai Bà Trưng", "quan"), "008": ("Hoàng Mai", "quan"),
    "009": ("Thanh Xuân", "quan"), "016": ("Sóc Sơn", "huyen"),
    "017": ("Đông Anh", "huyen"), "018": ("Gia Lâm", "huyen"),
    "019": ("Nam Từ Liêm", "quan"), "020": ("Thanh Trì", "huyen"),
    "021": ("Bắc Từ Liêm", "quan"), "250": ("Mê Linh", "huyen"),
    "268": ("Hà Đông", "quan"), "269": ("Sơn Tây", "thi_xa"),
    "271": ("Ba Vì", "huyen"), "272": ("Phúc Thọ", "huyen"),
    "273": ("Đan Phượng", "huyen"), "274": ("Hoài Đức", "huyen"),
    "275": ("Quốc Oai", "huyen"), "276": ("Thạch Thất", "huyen"),
    "277": ("Chương Mỹ", "huyen"), "278": ("Thanh Oai", "huyen"),
    "279": ("Thường Tín", "huyen"), "280": ("Phú Xuyên", "huyen"),
    "281": ("Ứng Hòa", "huyen"), "282": ("Mỹ Đức", "huyen"),
}  # fmt: skip


def test_hanoi_has_its_30_district_level_units_of_2019_with_codes_and_kinds():
    hanoi = AdministrativeUnit.objects.get(code="01")
    assert (hanoi.name, hanoi.kind) == ("Hà Nội", "thanh_pho")
    districts = {
        u.code: (u.name, u.kind)
        for u in AdministrativeUnit.objects.filter(parent=hanoi)
    }
    assert districts == EXPECTED
    kinds = sorted(k for _, k in districts.values())
    assert kinds.count("quan") == 12
    assert kinds.count("thi_xa") == 1
    assert kinds.count("huyen") == 17


def test_district_level_ends_with_the_2025_reform_and_is_valid_in_2019():
    units = AdministrativeUnit.objects.districts()
    assert units.count() == 30
    assert set(units.values_list("valid_until", flat=True)) == {date(2025, 6, 30)}
    assert units.valid_on(date(2019, 6, 30)).count() == 30
    assert units.valid_on(date(2025, 7, 1)).count() == 0
    # Bắc and Nam Từ Liêm did not exist before 2014.
    assert not units.valid_on(date(2013, 1, 1)).filter(code__in=["019", "021"]).exists()


@pytest.mark.parametrize(
    ("code", "day", "eligible"),
    [
        ("277", date(2019, 5, 15), True),  # huyện
        ("269", date(2019, 5, 15), True),  # thị xã Sơn Tây
        ("001", date(2019, 5, 15), False),  # quận
        ("277", date(2025, 10, 15), False),  # the district level is gone
    ],
)
def test_eligibility_by_place_follows_nd45_then_nd235(code, day, eligible):
    assert AdministrativeUnit.objects.get(code=code).is_eligible_on(day) is eligible


def test_after_nd235_communes_are_eligible_and_wards_only_in_craft_villages():
    xa = AdministrativeUnit(code="99001", name="Demo", kind="xa")
    phuong = AdministrativeUnit(code="99002", name="Demo", kind="phuong")
    day = date(2026, 1, 1)
    assert xa.is_eligible_on(day)
    assert not phuong.is_eligible_on(day)
    assert phuong.is_eligible_on(day, in_craft_village=True)


def test_a_support_share_over_100_percent_is_refused_in_vietnamese():
    from django.core.exceptions import ValidationError

    from khuyencong.models import SupportRule

    rule = SupportRule(activity="thiet_bi", effective_from=date(2020, 1, 1))
    rule.max_share_percent = 120
    with pytest.raises(ValidationError) as err:
        rule.full_clean()
    assert "Tỷ lệ hỗ trợ phải từ 0 đến 100%." in err.value.messages
