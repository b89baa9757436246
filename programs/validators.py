"""Pure normalisers and validators for identifiers typed by clerks.

No database access: property-based tests can target these directly.

Tax codes (mã số thuế) are stored in their canonical printed form: ten digits
("0101234567") for an enterprise, or ten digits, a hyphen and three digits
("0101234567-001") for a branch or dependent unit. Clerks type them with spaces,
dots or without the hyphen; `normalize_tax_code` accepts those and returns the
canonical form.

ID numbers (số CCCD) are twelve digits, stored as digits only.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?$"
ID_NUMBER_PATTERN = r"^[0-9]{12}$"

_SEPARATORS = re.compile(r"[\s.\u00a0]+")
_TAX_CODE_RE = re.compile(TAX_CODE_PATTERN)
_ID_NUMBER_RE = re.compile(ID_NUMBER_PATTERN)
# ASCII digits only: str.isdigit() would let other scripts' digits through.
_TAX_CODE_INPUT_RE = re.compile(r"^[0-9]{10}(-?[0-9]{3})?$")


def normalize_tax_code(value: str | None) -> str:
    """The canonical form of a tax code, "" for an empty value.

    Raises ValidationError when the value is not 10 or 13 digits."""
    if value is None:
        return ""
    text = _SEPARATORS.sub("", str(value)).replace("–", "-").replace("—", "-")
    if not text:
        return ""
    if not _TAX_CODE_INPUT_RE.match(text):
        raise ValidationError(
            _(
                "Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số viết dạng "
                "0101234567-001 (đã nhập: %(value)s)."
            ),
            code="invalid_tax_code",
            params={"value": value},
        )
    digits = text.replace("-", "")
    if len(digits) == 13:
        return f"{digits[:10]}-{digits[10:]}"
    return digits


def is_canonical_tax_code(value: str) -> bool:
    return bool(_TAX_CODE_RE.match(value))


def normalize_id_number(value: str | None) -> str:
    """Twelve digits of a citizen ID (CCCD), "" for an empty value.

    Raises ValidationError for anything else (old 9-digit CMND numbers included)."""
    if value is None:
        return ""
    text = _SEPARATORS.sub("", str(value)).replace("-", "")
    if not text:
        return ""
    if not _ID_NUMBER_RE.match(text):
        raise ValidationError(
            _("Số CCCD phải gồm đúng 12 chữ số (đã nhập: %(value)s)."),
            code="invalid_id_number",
            params={"value": value},
        )
    return text


def search_variants(term: str) -> list[str]:
    """Other spellings of a search term that may be a tax code or an ID number, so
    a clerk finds "0101234567-001" by typing "0101234567001" or "0101 234 567"."""
    variants = []
    compact = _SEPARATORS.sub("", term)
    for normalise in (normalize_tax_code, normalize_id_number):
        try:
            canonical = normalise(compact)
        except ValidationError:
            continue
        if canonical and canonical != term:
            variants.append(canonical)
    if compact != term and re.fullmatch(r"[0-9-]+", compact):
        variants.append(compact)
    return list(dict.fromkeys(variants))


def id_number_mismatches(id_number: str, *, gender: str, birth_year: int | None) -> set:
    """Which of gender and birth year disagree with what a CCCD number encodes.

    Digit 4 gives century and gender (0/1: born 1900-1999 male/female, 2/3: 2000-2099,
    4/5: 2100-2199, ...), digits 5-6 the last two digits of the birth year. A mismatch
    usually means a typing error in one of the three; the caller decides whether to
    warn. `gender` is "nam" or "nu"."""
    found: set = set()
    if not _ID_NUMBER_RE.match(id_number or ""):
        return found
    code = int(id_number[3])
    if code > 9:
        return found
    if gender in ("nam", "nu") and (code % 2 == 1) != (gender == "nu"):
        found.add("gender")
    if birth_year:
        encoded = 1900 + (code // 2) * 100 + int(id_number[4:6])
        if encoded != birth_year:
            found.add("birth_year")
    return found
