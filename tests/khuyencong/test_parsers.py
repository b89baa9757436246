"""Values as clerks type them (khuyencong.parsers): examples; another suite holds
property tests."""

import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest

from khuyencong import parsers


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.300", Decimal("1300")),
        ("1.000.000", Decimal("1000000")),
        ("2,5", Decimal("2.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,000,000", Decimal("1000000")),
        ("1,234.5", Decimal("1234.5")),
        ("2.5", Decimal("2.5")),
        ("  12 ", Decimal("12")),
        ("1 000 000", Decimal("1000000")),
        (1300, Decimal("1300")),
        (2.5, Decimal("2.5")),
        (1300.0, Decimal("1300")),
    ],
)
def test_numbers_read_as_vietnamese_clerks_type_them(typed, number):
    assert parsers.parse_decimal(typed) == number


@pytest.mark.parametrize("typed", ["abc", "1..2", "1.2.34", ",5", "1,", "12a"])
def test_unreadable_numbers_are_refused_in_vietnamese(typed):
    with pytest.raises(ValueError, match="không phải là số"):
        parsers.parse_decimal(typed)


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_empty_cells_are_no_value(typed):
    assert parsers.parse_decimal(typed) is None
    assert parsers.parse_date(typed) is None
    assert parsers.parse_integer(typed) is None


def test_an_integer_column_refuses_a_fraction():
    assert parsers.parse_integer("1.300") == 1300
    with pytest.raises(ValueError, match="số nguyên"):
        parsers.parse_integer("2,5")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/05/2019", date(2019, 5, 15)),
        ("5/5/2019", date(2019, 5, 5)),
        ("15-05-2019", date(2019, 5, 15)),
        ("15.05.2019", date(2019, 5, 15)),
        (" 15 / 05 / 2019 ", date(2019, 5, 15)),
        ("2019-05-15", date(2019, 5, 15)),
        (datetime(2019, 5, 15, 0, 0), date(2019, 5, 15)),
        (date(2019, 5, 15), date(2019, 5, 15)),
        (43600, date(2019, 5, 15)),  # Excel's serial number of 15/05/2019
    ],
)
def test_dates_day_first_and_excel_cells(typed, day):
    assert parsers.parse_date(typed) == day


def test_impossible_and_malformed_dates_are_refused():
    with pytest.raises(ValueError, match="không có trên lịch"):
        parsers.parse_date("31/02/2019")
    with pytest.raises(ValueError, match="ngày/tháng/năm"):
        parsers.parse_date("tháng 5")


def test_composed_and_decomposed_diacritics_and_spaces_are_the_same_text():
    decomposed = unicodedata.normalize("NFD", "Chương  Mỹ ")
    assert decomposed != "Chương Mỹ"
    assert parsers.normalize_text(decomposed) == "Chương Mỹ"
    assert parsers.text_key(" CHƯƠNG MỸ") == parsers.text_key("chương mỹ")


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("277", (None, "277")),
        ("Chương Mỹ", (None, "chương mỹ")),
        ("Huyện Chương Mỹ", ("huyen", "chương mỹ")),
        ("huyện  chương mỹ", ("huyen", "chương mỹ")),
        ("H. Chương Mỹ", ("huyen", "chương mỹ")),
        ("Thị xã Sơn Tây", ("thi_xa", "sơn tây")),
        ("Xã Xuân Mai", ("xa", "xuân mai")),
        ("Quận Hoàng Mai", ("quan", "hoàng mai")),
        ("Hoàng Mai", (None, "hoàng mai")),
    ],
)
def test_unit_names_split_into_kind_and_name(typed, parts):
    assert parsers.split_unit_name(typed) == parts


@pytest.mark.parametrize("text", ["=1+1", "+84912345678", "-2", "@SUM(A1)", "\tx"])
def test_formula_cells_are_escaped_and_read_back(text):
    escaped = parsers.escape_formula(text)
    assert escaped == "'" + text
    assert parsers.unescape_formula(escaped) == text


def test_plain_text_is_not_escaped():
    assert parsers.escape_formula("7209/QĐ-UBND") == "7209/QĐ-UBND"
    assert parsers.escape_formula(5) == 5
    assert parsers.unescape_formula("'quoted") == "'quoted"


@pytest.mark.parametrize(
    ("typed", "value"), [("Có", True), ("x", True), ("không", False), ("0", False)]
)
def test_yes_no_cells(typed, value):
    assert parsers.parse_bool(typed) is value
