"""Numbers and dates written the way the department writes them: 1.300, 25,5 tỷ đồng,
15/05/2019, 92,1 %. Used by the report sentences, the templates and the exports."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

BILLION = Decimal("1000000000")
MILLION = Decimal("1000000")


def vn_int(value) -> str:
    """1300 -> "1.300"; None -> "—"."""
    if value is None or value == "":
        return "—"
    if type(value) is int:  # the common case (counts), without Decimal
        return ("-" if value < 0 else "") + f"{abs(value):,}".replace(",", ".")
    number = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    return sign + f"{abs(int(number)):,}".replace(",", ".")


def vn_decimal(value, places: int = 1) -> str:
    """25.5 -> "25,5"; trailing zero decimals are dropped (25,0 -> 25)."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if number == number.to_integral():
        return vn_int(number)
    whole, _, fraction = f"{abs(number):f}".partition(".")
    sign = "-" if number < 0 else ""
    return f"{sign}{vn_int(Decimal(whole))},{fraction.rstrip('0')}"


def vn_money(value) -> str:
    """An amount in VND in words a reader takes in: "25,5 tỷ đồng", "300 triệu đồng"."""
    if value is None:
        return "—"
    amount = Decimal(value)
    if abs(amount) >= BILLION:
        return f"{vn_decimal(amount / BILLION, 2)} tỷ đồng"
    if abs(amount) >= MILLION:
        return f"{vn_decimal(amount / MILLION, 1)} triệu đồng"
    return f"{vn_int(amount)} đồng"


def vn_percent(value) -> str:
    if value is None:
        return "—"
    return f"{vn_decimal(value, 1)} %"


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def vn_list(items: list[str]) -> str:
    """["A", "B", "C"] -> "A, B và C"."""
    items = [str(item) for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]
