import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from programs.validators import (
    id_number_mismatches,
    is_canonical_tax_code,
    normalize_id_number,
    normalize_tax_code,
    search_variants,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0101234567", "0101234567"),
        (" 0101 234 567 ", "0101234567"),
        ("0101.234.567", "0101234567"),
        ("0101234567-001", "0101234567-001"),
        ("0101234567001", "0101234567-001"),
        ("0101234567 - 001", "0101234567-001"),
        ("", ""),
        (None, ""),
    ],
)
def test_tax_code_is_stored_in_canonical_form(typed, stored):
    assert normalize_tax_code(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["123456789", "12345678901", "01012345-67001", "0101234567-01", "MST0101234567"],
)
def test_tax_code_of_wrong_length_or_shape_is_refused_in_vietnamese(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_tax_code(typed)
    assert "Mã số thuế phải gồm 10 chữ số" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("001090000123", "001090000123"), ("001 090 000 123", "001090000123")],
)
def test_id_number_keeps_twelve_digits(typed, stored):
    assert normalize_id_number(typed) == stored


@pytest.mark.parametrize("typed", ["123456789", "0010900001234", "00109000012A"])
def test_id_number_other_than_twelve_digits_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_id_number(typed)
    assert "Số CCCD phải gồm đúng 12 chữ số" in caught.value.messages[0]


def test_search_variants_find_a_branch_tax_code_typed_without_hyphen():
    assert "0101234567-001" in search_variants("0101234567001")
    assert search_variants("mây tre") == []


@given(st.lists(digits, min_size=10, max_size=10), st.booleans())
def test_normalised_tax_code_is_canonical_and_stable(parts, branch):
    raw = "".join(parts) + ("123" if branch else "")
    canonical = normalize_tax_code(raw)
    assert is_canonical_tax_code(canonical)
    assert normalize_tax_code(canonical) == canonical
    assert canonical.replace("-", "") == raw


@given(st.text(max_size=20))
def test_tax_code_normaliser_either_refuses_or_returns_canonical(text):
    try:
        value = normalize_tax_code(text)
    except ValidationError:
        return
    assert value == "" or is_canonical_tax_code(value)


@pytest.mark.parametrize(
    ("id_number", "gender", "birth_year", "expected"),
    [
        ("001085000001", "nam", 1985, set()),
        ("001185000001", "nu", 1985, set()),
        ("001203000001", "nam", 2003, set()),
        ("001303000001", "nu", 2003, set()),
        ("001085000001", "nu", 1985, {"gender"}),
        ("001085000001", "nam", 1986, {"birth_year"}),
        ("001203000001", "nu", 1903, {"gender", "birth_year"}),
        ("123", "nam", 1985, set()),
    ],
)
def test_id_number_encodes_gender_and_birth_year(
    id_number, gender, birth_year, expected
):
    assert (
        id_number_mismatches(id_number, gender=gender, birth_year=birth_year)
        == expected
    )
