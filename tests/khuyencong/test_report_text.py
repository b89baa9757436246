"""The report sentences say what the registers hold and nothing about what they do
not hold."""

from datetime import date
from decimal import Decimal

from khuyencong.numbers import vn_int, vn_money
from khuyencong.report_selectors import ClusterFigures, IndicatorProgress
from khuyencong.report_text import report_paragraphs


class Report:
    def __init__(self, **values):
        self.year = 2019
        self.plan_document = None
        self.plan_document_date = None
        self.plan_budget = None
        self.indicators = {}
        self.equipment_forwarded = 0
        self.branding_deadline = None
        self.branding_villages = 0
        self.branding_units = []
        self.clusters = ClusterFigures(
            on=date(2019, 12, 31),
            plan_title="",
            in_plan=0,
            operating=0,
            established=0,
            established_by_year=((2018, 0), (2019, 0)),
            with_plant=0,
            plants=0,
            investor_clusters=0,
            investor_plants=0,
            city_clusters=0,
            city_plants=0,
            city_documents=(),
        )
        self.__dict__.update(values)


def progress(code, actual, target=None, measure="lớp"):
    return IndicatorProgress(code, code, measure, target, Decimal(actual), None)


def test_an_empty_year_has_no_sentence():
    assert report_paragraphs(Report()) == []


def test_training_sentence_states_actuals_and_targets():
    report = Report(
        indicators={
            "craft_classes": progress("craft_classes", 38, 38),
            "craft_trainees": progress("craft_trainees", 1300, 1300, "người"),
        }
    )
    (text,) = report_paragraphs(report)
    assert text == (
        "Năm 2019, Sở Công Thương Hà Nội đã tổ chức 38 lớp truyền nghề, cấy nghề, "
        "nâng cao tay nghề cho 1.300 lao động nông thôn (kế hoạch: 38 lớp, "
        "1.300 người)."
    )


def test_numbers_are_written_the_vietnamese_way():
    assert vn_int(1300) == "1.300"
    assert vn_money(Decimal("22500000000")) == "22,5 tỷ đồng"
    assert vn_money(Decimal("300000000")) == "300 triệu đồng"


def test_the_citys_decisions_are_named_up_to_five_then_counted():
    from dataclasses import replace

    base = Report().clusters
    two = replace(base, city_documents=("1/QĐ-UBND", "2/QĐ-UBND"))
    assert two.city_documents_text == "1/QĐ-UBND, 2/QĐ-UBND"
    many = replace(base, city_documents=tuple(f"{n}/QĐ-UBND" for n in range(1, 47)))
    assert many.city_documents_text == (
        "1/QĐ-UBND, 2/QĐ-UBND, 3/QĐ-UBND, 4/QĐ-UBND, 5/QĐ-UBND và 41 quyết định khác"
    )
    report = Report(
        clusters=replace(
            many,
            in_plan=159,
            operating=70,
            with_plant=21,
            plants=20,
            city_clusters=4,
            city_plants=4,
        )  # fmt: skip
    )
    text = " ".join(report_paragraphs(report))
    assert "theo Quyết định 1/QĐ-UBND, 2/QĐ-UBND" in text
    assert "5/QĐ-UBND và 41 quyết định khác của UBND Thành phố" in text
    assert "6/QĐ-UBND" not in text
