"""Numbers as the department writes them: 1.300, and the same for an int as for a
Decimal of the same value (an int takes a shorter path)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from khuyencong.numbers import vn_int


def test_thousands_are_separated_by_dots():
    assert vn_int(1300) == "1.300"
    assert vn_int(0) == "0"
    assert vn_int(-2500000) == "-2.500.000"
    assert vn_int(Decimal("25500000000")) == "25.500.000.000"
    assert vn_int(None) == "—"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_an_int_is_written_as_the_same_decimal(n):
    assert vn_int(n) == vn_int(Decimal(n))
