import pytest
from django.core.exceptions import ValidationError

from apps.accounts.validators import mask_id_number, validate_credit_code, validate_id_number, validate_mobile


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", "211103198503120022", "21110219920705441X"])
def test_valid_id_numbers(value):
    validate_id_number(value)


@pytest.mark.parametrize(
    "value, code",
    [
        ("110105194912310021", "checksum"),  # last digit altered
        ("11010519491231002", "format"),  # 17 characters
        ("1101051949123100XX", "format"),
        ("110105194902300028", "birth_date"),  # 30 February
        ("110105209901010028", "birth_date"),  # born in the future
    ],
)
def test_invalid_id_numbers_say_why(value, code):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.code == code


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91211100MA0PJ0001K", "91211100ma0pj0001k"])
def test_valid_credit_codes(value):
    validate_credit_code(value)


@pytest.mark.parametrize(
    "value, code",
    [
        ("91350100M000100Y44", "checksum"),
        ("91350100M000100Y4", "format"),
        ("91350100M000I00Y43", "format"),  # I is never used
        ("9135010OM000100Y43", "format"),  # letter in the 6-digit region code
    ],
)
def test_invalid_credit_codes_say_why(value, code):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    assert info.value.code == code


def test_mobile():
    validate_mobile("13800138000")
    for bad in ["12800138000", "1380013800", "+8613800138000"]:
        with pytest.raises(ValidationError):
            validate_mobile(bad)


def test_id_number_is_masked_for_display():
    assert mask_id_number("211103198503120022") == "211103********0022"
