"""Values as people type them in Vietnamese spreadsheets.

Pure functions, no database: text normalisation, numbers ("1.300", "1.000.000",
"2,5"), dates ("15/05/2019", real Excel date cells, Excel serial numbers) and the
key used to look up an administrative unit by code or by name ("277", "Chương Mỹ",
"Huyện Chương Mỹ"). Each parser returns None for an empty cell and raises ValueError
with a Vietnamese message for a value it cannot read."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Cells a spreadsheet program would run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_SPACES = re.compile(r"\s+")
# Excel's day 0 is 30/12/1899 (it counts the non-existent 29/02/1900).
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of 1/1/1900 .. 31/12/2200: anything else is not a date.
_EXCEL_SERIAL_RANGE = (1, 110_000)


def normalize_text(value: object) -> str:
    """NFC, no leading/trailing spaces, one plain space between words.

    "Chương  Mỹ" typed with combining diacritics (NFD) and "Chương Mỹ" are then the
    same string. None becomes ""."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def text_key(value: object) -> str:
    """A key for comparing names: normalised and case-folded."""
    return normalize_text(value).casefold()


def escape_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    # Text that already starts with apostrophes before a formula sign gets one
    # more, so that unescape_formula gives it back unchanged.
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """Undo escape_formula, so an exported file imports back to the same values."""
    if text[:1] == "'" and text.lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def parse_decimal(value: object) -> Decimal | None:
    """A number as typed in Vietnam, or a numeric cell.

    "." groups thousands and "," marks decimals ("1.000.000", "2,5", "1.234,5").
    English-style input is accepted where it is unambiguous: "1,000,000",
    "1,234.5", "2.5" (a single dot not followed by exactly three digits).
    A single dot followed by exactly three digits ("1.300") is a thousands
    separator, as in Vietnamese."""
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("Giá trị “%(value)s” không phải là số.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float:
        # 2.5 -> "2.5", 1300.0 -> "1300.0", never 2.4999999.
        return Decimal(repr(value))
    text = normalize_text(value).replace(" ", "").replace("\u00a0", "")
    sign = ""
    if text[:1] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if not re.fullmatch(r"[0-9.,]+", text) or not re.search(r"[0-9]", text):
        raise ValueError(
            _("Giá trị “%(value)s” không phải là số.")
            % {"value": normalize_text(value)}
        )
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # The separator that comes last marks the decimals.
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        if text.count(decimal_sep) > 1:
            raise ValueError(
                _("Giá trị “%(value)s” không phải là số.") % {"value": text}
            )
        whole, frac = text.split(decimal_sep)
        _check_groups(whole, group_sep, text)
        digits = whole.replace(group_sep, "") + "." + frac
    elif commas == 1:
        digits = text.replace(",", ".")  # "2,5" and "1,300": the decimal comma
    elif commas:
        _check_groups(text, ",", text)  # "1,000,000": English thousands
        digits = text.replace(",", "")
    elif dots:
        if dots == 1 and not _is_grouped(text, "."):
            digits = text  # "2.5": an English decimal point
        else:
            _check_groups(text, ".", text)
            digits = text.replace(".", "")
    else:
        digits = text
    if digits.startswith(".") or digits.endswith("."):
        raise ValueError(_("Giá trị “%(value)s” không phải là số.") % {"value": text})
    try:
        return Decimal(sign + digits)
    except InvalidOperation as exc:
        raise ValueError(
            _("Giá trị “%(value)s” không phải là số.") % {"value": text}
        ) from exc


def _is_grouped(text: str, sep: str) -> bool:
    head, *groups = text.split(sep)
    return 1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)


def _check_groups(text: str, sep: str, original: str) -> None:
    if not _is_grouped(text, sep):
        raise ValueError(
            _(
                "Giá trị “%(value)s” không phải là số: nhóm hàng nghìn phải có "
                "đủ 3 chữ số."
            )
            % {"value": original}
        )


def parse_integer(value: object) -> int | None:
    """A whole number: "1.300" is 1300; "2,5" is refused."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(
            _("Giá trị “%(value)s” phải là số nguyên.")
            % {"value": normalize_text(value)}
        )
    return int(number)


_DATE_TEXT = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")


def parse_date(value: object) -> date | None:
    """A date cell, an Excel serial number, "15/05/2019" (also "15-05-2019",
    "15.05.2019", "5/5/2019") or ISO "2019-05-15". Day first, always."""
    if _is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        serial = float(value)
        low, high = _EXCEL_SERIAL_RANGE
        if serial != int(serial) or not low <= serial <= high:
            raise ValueError(
                _("Giá trị “%(value)s” không phải là ngày.") % {"value": value}
            )
        return _EXCEL_EPOCH + timedelta(days=int(serial))
    text = normalize_text(value)
    match = _DATE_TEXT.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.fullmatch(text)
        if not match:
            raise ValueError(
                _("Ngày “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 15/05/2019).")
                % {"value": text}
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(
            _("Ngày “%(value)s” không có trên lịch.") % {"value": text}
        ) from exc


def parse_bool(value: object) -> bool | None:
    """Có/Không, x, 1/0, true/false, đúng/sai."""
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    key = text_key(value)
    if key in {"có", "co", "x", "1", "true", "đúng", "yes", "đã", "rồi"}:
        return True
    if key in {"không", "khong", "0", "false", "sai", "no", "chưa"}:
        return False
    raise ValueError(
        _("Giá trị “%(value)s” phải là Có hoặc Không.")
        % {"value": normalize_text(value)}
    )


# Kinds of administrative units as people write them before a name, longest first
# so that "thị xã" wins over "xã".
UNIT_KIND_PREFIXES: dict[str, str] = {
    "thành phố": "thanh_pho",
    "tp.": "thanh_pho",
    "tp": "thanh_pho",
    "thị xã": "thi_xa",
    "tx.": "thi_xa",
    "tx": "thi_xa",
    "quận": "quan",
    "q.": "quan",
    "huyện": "huyen",
    "h.": "huyen",
    "phường": "phuong",
    "p.": "phuong",
    "xã": "xa",
}


def split_unit_name(value: object) -> tuple[str | None, str]:
    """("huyen", "chương mỹ") for "Huyện  Chương Mỹ"; (None, "277") for "277".

    The name part is a text_key (case-folded, NFC, single spaces)."""
    key = text_key(value)
    for prefix in sorted(UNIT_KIND_PREFIXES, key=len, reverse=True):
        if key.startswith(prefix):
            rest = key[len(prefix) :].strip()
            if rest and (prefix.endswith(".") or key[len(prefix)] == " "):
                return UNIT_KIND_PREFIXES[prefix], rest
    return None, key
