"""Checks on the cells of a catalogue entry, used by the row step of the official table (tables.row_read), which
the xlsx import, the admin form and services.entry_save share."""
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .constants import TimeLimitKind, TimeLimitUnit

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


_YEARLY = re.compile(r"每(?:年|年度)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|之前|以前)")
_MONTHLY = re.compile(r"每月\s*(\d{1,2})\s*日\s*(?:前|之前|以前)")
_LEAD = re.compile(r"(\d+)\s*个?\s*(工作日|日|天)\s*(?:前|之前|以前)")
_WITHIN = re.compile(r"(\d+)\s*个?\s*(工作日|日|天)\s*(?:内|之内|以内)")
_FROM_EVENT = re.compile(r"(?:之日起|日起|起|后)")


@dataclass(frozen=True)
class TimeLimit:
    """A 公开时限 as data: its kind and the numbers that kind has (never a date read as a number of days)."""

    kind: str
    days: int | None = None
    unit: str = ""
    month: int | None = None
    day: int | None = None

    def fields(self) -> dict:
        return {"time_limit_kind": self.kind, "time_limit_days": self.days, "time_limit_unit": self.unit,
                "time_limit_month": self.month, "time_limit_day": self.day}


def _unit(word: str) -> str:
    return TimeLimitUnit.WORKING_DAYS if word == "工作日" else TimeLimitUnit.CALENDAR_DAYS


def time_limit_parse(text: str) -> TimeLimit:
    """Read a 公开时限: 每年3月31日前 (a yearly date), 每月10日前 (a monthly day), 会议召开5个工作日前 (a lead time),
    信息形成或变更之日起20个工作日内 (days from an event), 20个工作日内 (days), or free text (实时, 招生工作开始前)."""
    text = text or ""
    if match := _YEARLY.search(text):
        month, day = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return TimeLimit(TimeLimitKind.YEARLY, month=month, day=day)
    if match := _MONTHLY.search(text):
        day = int(match.group(1))
        if 1 <= day <= 31:
            return TimeLimit(TimeLimitKind.MONTHLY, day=day)
    for pattern, kind in ((_LEAD, TimeLimitKind.LEAD), (_WITHIN, TimeLimitKind.DURATION)):
        if (match := pattern.search(text)) and int(match.group(1)) < 32768:
            if kind == TimeLimitKind.DURATION and _FROM_EVENT.search(text[:match.start()]):
                kind = TimeLimitKind.FROM_EVENT
            return TimeLimit(kind, days=int(match.group(1)), unit=_unit(match.group(2)))
    return TimeLimit(TimeLimitKind.TEXT)


_FORMULA_START = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s.]*$)")


def looks_like_formula(value: str) -> bool:
    """A cell that a spreadsheet would run: starts with = or @ (or + / - not followed by a plain number)."""
    return bool(value) and bool(_FORMULA_START.match(value))

