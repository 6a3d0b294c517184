"""Checksums of Chinese identity numbers.

GB 11643-1999 居民身份证号码: 17 digits + check digit (ISO 7064 MOD 11-2, 10 written as X).
GB 32100-2015 法人和其他组织统一社会信用代码: 17 characters + check character (MOD 31 over 0-9 and
ABCDEFGHJKLMNPQRTUWXY; I, O, Z, S, V are never used).
"""
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_number_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    value = normalize_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(_("A resident ID number has 18 characters: 17 digits and a final digit or X."), code="format")
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The date of birth in this ID number does not exist."), code="birth_date") from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(_("The date of birth in this ID number does not exist."), code="birth_date")
    if id_number_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("This ID number's check digit is wrong: please check every digit."), code="checksum")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    value = normalize_credit_code(value)
    if not CREDIT_RE.fullmatch(value):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters other than I, O, Z, S, V."),
            code="format",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("This unified social credit code's check character is wrong: please check every character."),
            code="checksum",
        )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.fullmatch((value or "").strip()):
        raise ValidationError(_("Enter an 11-digit mainland mobile number, e.g. 13800138000."), code="mobile")


def mask_id_number(value: str) -> str:
    """Show only the region prefix and the last four characters."""
    return f"{value[:6]}********{value[-4:]}" if value and len(value) == 18 else value
