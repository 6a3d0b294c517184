"""Checks on the cells of a catalogue entry, used by the row step of the official table (tables.row_read), which
the xlsx import, the admin form and services.entry_save share."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .constants import TimeLimitUnit

_PHONE_PATTERNS = [
    re.compile(r"1[3-9]\d{9}"),  # mobile
    re.compile(r"(?:0\d{2,3}[-－]?)?[2-9]\d{6,7}(?:(?:转|-|－)\d{1,6})?"),  # landline, area code optional, extension
    re.compile(r"1\d{4}"),  # service hotlines: 12345, 12315, 12366 …
    re.compile(r"(?:0\d{2,3}[-－]?)?1\d{4}"),  # a hotline with its area code: 0427-12345
    re.compile(r"[48]00[-－]?\d{3}[-－]?\d{4}"),  # 400/800 numbers
    re.compile(r"95\d{3,6}"),  # 95xxx numbers
]
_PHONE_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def phone_numbers(value: str) -> list[str]:
    return [p for p in _PHONE_SEPARATORS.split((value or "").strip()) if p]


def validate_enquiry_phone(value: str) -> None:
    """咨询电话: one or more telephone numbers (固话 with or without 区号 and 转 extension, mobile, 12345-style
    hotlines, 400 numbers), separated by 、 or ；."""
    numbers = phone_numbers(value)
    if not numbers:
        raise ValidationError(_("Give an enquiry telephone number."), code="phone")
    for number in numbers:
        normalised = number.replace("（", "(").replace("）", ")")
        normalised = re.sub(r"^\((0\d{2,3})\)", r"\1-", normalised)
        if not any(p.fullmatch(normalised) for p in _PHONE_PATTERNS):
            raise ValidationError(
                _("“%(number)s” is not a telephone number (for example 0427-2826109 or 12345).") % {"number": number},
                code="phone")


_DAYS = re.compile(r"(\d+)\s*个?\s*(工作日|日|天)")


def time_limit_parse(text: str) -> tuple[int | None, str]:
    """The first ‘N个工作日 / N日 / N天’ of a 公开时限, as (days, unit); (None, "") when the text names none."""
    match = _DAYS.search(text or "")
    if not match:
        return None, ""
    days = int(match.group(1))
    unit = TimeLimitUnit.WORKING_DAYS if match.group(2) == "工作日" else TimeLimitUnit.CALENDAR_DAYS
    return (days if days < 32768 else None), (unit if days < 32768 else "")


_FORMULA_START = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s.]*$)")


def looks_like_formula(value: str) -> bool:
    """A cell that a spreadsheet would run: starts with = or @ (or + / - not followed by a plain number)."""
    return bool(value) and bool(_FORMULA_START.match(value))

