"""Property-based tests (hypothesis) of the ID number (CCCD) and tax code
normalisers: every way a clerk types a valid one is accepted and stored the same;
anything else is refused with a message."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

validators = pytest.importorskip(
    "programs.validators", reason="the validators land with the programs app"
)

settings.register_profile("khuyencong", deadline=None, max_examples=200)
settings.load_profile("khuyencong")

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
id_numbers = st.text(alphabet="0123456789", min_size=12, max_size=12)
tax_codes = st.text(alphabet="0123456789", min_size=10, max_size=10)
branches = st.text(alphabet="0123456789", min_size=3, max_size=3)
separator = st.sampled_from([" ", ".", "\u00a0", "  "])


def sprinkle(text: str, data, seps=separator) -> str:
    """The same digits with separators typed between some of them."""
    out = []
    for ch in text:
        out.append(ch)
        if data.draw(st.booleans()):
            out.append(data.draw(seps))
    return "".join(out)


@given(id_numbers, st.data())
def test_a_12_digit_id_typed_with_spaces_or_dots_is_stored_as_12_digits(value, data):
    typed = sprinkle(value, data)
    assert validators.normalize_id_number(typed) == value
    assert validators.normalize_id_number(value) == value


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_an_id_of_another_length_is_refused(value):
    if len(value) == 12:
        return
    with pytest.raises(ValidationError) as err:
        validators.normalize_id_number(value)
    assert "12 chữ số" in err.value.messages[0]


@given(tax_codes, st.data())
def test_a_10_digit_tax_code_in_any_spacing_is_stored_canonically(value, data):
    assert validators.normalize_tax_code(sprinkle(value, data)) == value
    assert validators.is_canonical_tax_code(value)


@given(tax_codes, branches, st.sampled_from(["-", "", "–", " - "]))
def test_a_branch_tax_code_is_stored_as_ten_hyphen_three(head, branch, dash):
    canonical = f"{head}-{branch}"
    assert validators.normalize_tax_code(f"{head}{dash}{branch}") == canonical
    assert validators.normalize_tax_code(canonical) == canonical
    assert validators.is_canonical_tax_code(canonical)


@given(st.text(max_size=30))
def test_any_text_is_normalised_or_refused_with_a_message_never_a_crash(text):
    for normalise in (validators.normalize_tax_code, validators.normalize_id_number):
        try:
            result = normalise(text)
        except ValidationError as err:
            assert err.messages[0]
        else:
            assert result == "" or result.replace("-", "").isascii()
            assert normalise(result) == result  # idempotent


@given(st.text(alphabet="٠١٢٣٤٥٦٧٨٩０１２３４５６７８９", min_size=10, max_size=13))
def test_digits_of_other_scripts_are_refused(value):
    with pytest.raises(ValidationError):
        validators.normalize_tax_code(value)
    with pytest.raises(ValidationError):
        validators.normalize_id_number(value)
