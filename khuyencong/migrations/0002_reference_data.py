"""Reference data: Hà Nội and its 30 district-level units of 2019, and the national
support rules. Dates of validity are the best known: the district level ended on
30/6/2025 (NQ 1656/NQ-UBTVQH15); staff may refine a unit's dates in the admin."""

from datetime import date
from decimal import Decimal

from django.db import migrations

DISTRICT_LEVEL_ENDS = date(2025, 6, 30)
HA_TAY_MERGER = date(2008, 8, 1)  # NQ 15/2008/QH12

# code, name, kind, valid_from
UNITS_2019 = [
    ("001", "Ba Đình", "quan", None),
    ("002", "Hoàn Kiếm", "quan", None),
    ("003", "Tây Hồ", "quan", date(1996, 1, 1)),
    ("004", "Long Biên", "quan", date(2004, 1, 1)),
    ("005", "Cầu Giấy", "quan", date(1997, 1, 1)),
    ("006", "Đống Đa", "quan", None),
    ("007", "Hai Bà Trưng", "quan", None),
    ("008", "Hoàng Mai", "quan", date(2004, 1, 1)),
    ("009", "Thanh Xuân", "quan", date(1997, 1, 1)),
    ("016", "Sóc Sơn", "huyen", None),
    ("017", "Đông Anh", "huyen", None),
    ("018", "Gia Lâm", "huyen", date(2004, 1, 1)),
    ("019", "Nam Từ Liêm", "quan", date(2014, 4, 1)),
    ("020", "Thanh Trì", "huyen", date(2004, 1, 1)),
    ("021", "Bắc Từ Liêm", "quan", date(2014, 4, 1)),
    ("250", "Mê Linh", "huyen", HA_TAY_MERGER),
    ("268", "Hà Đông", "quan", date(2009, 5, 8)),
    ("269", "Sơn Tây", "thi_xa", date(2009, 5, 8)),
    ("271", "Ba Vì", "huyen", HA_TAY_MERGER),
    ("272", "Phúc Thọ", "huyen", HA_TAY_MERGER),
    ("273", "Đan Phượng", "huyen", HA_TAY_MERGER),
    ("274", "Hoài Đức", "huyen", HA_TAY_MERGER),
    ("275", "Quốc Oai", "huyen", HA_TAY_MERGER),
    ("276", "Thạch Thất", "huyen", HA_TAY_MERGER),
    ("277", "Chương Mỹ", "huyen", HA_TAY_MERGER),
    ("278", "Thanh Oai", "huyen", HA_TAY_MERGER),
    ("279", "Thường Tín", "huyen", HA_TAY_MERGER),
    ("280", "Phú Xuyên", "huyen", HA_TAY_MERGER),
    ("281", "Ứng Hòa", "huyen", HA_TAY_MERGER),
    ("282", "Mỹ Đức", "huyen", HA_TAY_MERGER),
]


def load(apps, schema_editor):
    Unit = apps.get_model("khuyencong", "AdministrativeUnit")
    Document = apps.get_model("khuyencong", "LegalDocument")
    Rule = apps.get_model("khuyencong", "SupportRule")

    hanoi, _ = Unit.objects.update_or_create(
        code="01", defaults={"name": "Hà Nội", "kind": "thanh_pho"}
    )
    for code, name, kind, valid_from in UNITS_2019:
        Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": hanoi,
                "valid_from": valid_from,
                "valid_until": DISTRICT_LEVEL_ENDS,
            },
        )

    tt28, _ = Document.objects.update_or_create(
        number="28/2018/TT-BTC",
        defaults={
            "kind": "thong_tu",
            "issuer": "Bộ Tài chính",
            "issued_on": date(2018, 3, 28),
            "summary": "Hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công "
            "(hiệu lực từ 11/5/2018).",
        },
    )
    nq11, _ = Document.objects.update_or_create(
        number="11/2019/NQ-HĐND",
        defaults={
            "kind": "nghi_quyet",
            "issuer": "HĐND Thành phố Hà Nội",
            "issued_on": None,
            "summary": "Mức hỗ trợ xây dựng thương hiệu làng nghề của Thành phố "
            "(ngày ban hành cần đối chiếu với văn bản gốc).",
        },
    )
    rules = [
        ("thiet_bi", tt28, date(2018, 5, 11), Decimal("50"), Decimal("300000000"), None,
         "Tối đa 50% chi phí, không quá 300 triệu đồng/cơ sở."),
        ("day_chuyen", tt28, date(2018, 5, 11), Decimal("50"), Decimal("450000000"), None,
         "Dây chuyền sản xuất: 1,5 lần mức hỗ trợ máy móc thiết bị."),
        ("mo_hinh", tt28, date(2018, 5, 11), Decimal("30"), Decimal("1000000000"), None,
         "Mô hình trình diễn kỹ thuật: tối đa 30%, không quá 1.000 triệu đồng."),
        ("thuong_hieu", nq11, date(2019, 1, 1), None, Decimal("100000000"), 5,
         "Tối đa 100 triệu đồng/nội dung, tối đa 5 nội dung/làng nghề "
         "(ngày áp dụng cần đối chiếu)."),
    ]
    for activity, basis, start, share, amount, items, note in rules:
        Rule.objects.update_or_create(
            activity=activity,
            funding_source="",
            effective_from=start,
            defaults={
                "legal_basis": basis,
                "max_share_percent": share,
                "max_amount": amount,
                "max_items": items,
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
