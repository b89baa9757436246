"""Property-based tests (hypothesis) of the spreadsheet parsers: numbers and dates
as Vietnamese clerks type them, and anything else they might paste."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

parsers = pytest.importorskip(
    "khuyencong.parsers", reason="the parsers land with the import feature"
)

settings.register_profile("khuyencong", deadline=None, max_examples=200)
settings.load_profile("khuyencong")

amounts = st.integers(min_value=0, max_value=10**15)
any_cell = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
spaces = st.sampled_from(["", " ", "  ", "\u00a0", "\t"])


def vietnamese(n: int) -> str:
    """1300000 -> "1.300.000"."""
    return f"{n:,}".replace(",", ".")


@given(amounts)
@example(1300)
@example(1_000_000)
def test_a_vietnamese_grouped_number_reads_as_its_value(n):
    assert parsers.parse_decimal(vietnamese(n)) == n
    assert parsers.parse_integer(vietnamese(n)) == n


@given(amounts, st.integers(min_value=1, max_value=99))
@example(1234, 5)
def test_a_decimal_comma_reads_as_the_fraction(whole, cents):
    text = f"{vietnamese(whole)},{cents:02d}"
    assert parsers.parse_decimal(text) == Decimal(f"{whole}.{cents:02d}")


@given(amounts, spaces, spaces)
def test_surrounding_spaces_and_a_minus_sign_are_understood(n, before, after):
    assert parsers.parse_decimal(f"{before}-{vietnamese(n)}{after}") == -n
    assert parsers.parse_decimal(f"{before}{vietnamese(n)}{after}") == n


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_numeric_cells_keep_their_value(n):
    assert parsers.parse_decimal(n) == n
    assert parsers.parse_integer(n) == n


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_float_cells_read_without_binary_noise(x):
    assert parsers.parse_decimal(x) == Decimal(repr(x))


@given(amounts, st.integers(min_value=1, max_value=9))
def test_a_fraction_is_refused_where_a_whole_number_is_needed(whole, tenth):
    with pytest.raises(ValueError, match="phải là số nguyên"):
        parsers.parse_integer(f"{vietnamese(whole)},{tenth}")


@given(any_cell)
def test_any_cell_is_read_or_refused_with_a_message_never_a_crash(value):
    for parse in (parsers.parse_decimal, parsers.parse_integer, parsers.parse_date):
        try:
            result = parse(value)
        except ValueError as error:
            assert str(error)  # a message for the row report
        else:
            assert result is None or isinstance(result, Decimal | int | date)


@given(st.text(alphabet="0123456789.,+- \u00a0", max_size=30))
def test_digit_soup_is_read_or_refused_never_misread_as_something_else(text):
    try:
        result = parsers.parse_decimal(text)
    except ValueError:
        return
    if result is None:
        assert not text.strip(" \u00a0")
        return
    digits_in = [c for c in text if c.isdigit()]
    # Separators only move the decimal point: the digits are the value's digits.
    assert (
        "".join(digits_in).lstrip("0")
        == (format(result.copy_abs(), "f").replace(".", "").lstrip("0"))
        or result == 0
    )


dates = st.dates(min_value=date(1900, 3, 1), max_value=date(2200, 12, 31))


@given(dates, st.sampled_from(["/", "-", "."]))
@example(date(2019, 5, 15), "/")
def test_day_month_year_reads_back_the_same_date(day, sep):
    text = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    assert parsers.parse_date(text) == day
    assert parsers.parse_date(f"{day.day}{sep}{day.month}{sep}{day.year}") == day


@given(dates)
def test_iso_dates_and_excel_serial_numbers_read_as_the_date(day):
    assert parsers.parse_date(day.isoformat()) == day
    serial = (day - date(1899, 12, 30)).days
    assert parsers.parse_date(serial) == day
    assert parsers.parse_date(float(serial)) == day


@given(st.integers(min_value=1900, max_value=2200), st.integers(1, 12))
def test_a_day_that_is_not_on_the_calendar_is_refused(year, month):
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    with pytest.raises(ValueError, match="không có trên lịch"):
        parsers.parse_date(f"{last + 1}/{month}/{year}")


@given(st.text())
def test_normalising_text_is_idempotent_and_ignores_unicode_form(text):
    import unicodedata

    once = parsers.normalize_text(text)
    assert parsers.normalize_text(once) == once
    assert parsers.normalize_text(unicodedata.normalize("NFD", text)) == once or (
        unicodedata.normalize("NFC", unicodedata.normalize("NFD", text))
        != unicodedata.normalize("NFC", text)
    )


@given(st.text())
@example("=SUM(A1:A9)")
@example("'=1+1")  # a text that already starts with an apostrophe and "="
def test_an_exported_cell_imports_back_unchanged(text):
    assert parsers.unescape_formula(parsers.escape_formula(text)) == text


@given(st.text())
def test_no_exported_cell_starts_like_a_formula(text):
    escaped = parsers.escape_formula(text)
    assert not escaped.startswith(parsers.FORMULA_PREFIXES)
