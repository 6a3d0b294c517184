import datetime as dt

import pytest

from apps.workdays.exceptions import CalendarError
from apps.workdays.selectors import day_info, workdays_add
from apps.workdays.services import calendar_year_enter, parse_day_lines
from apps.workdays.signals import calendar_year_changed
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db

# A made-up 2027 notice that differs from the provisional rule (a 9-day Spring Festival with Saturday make-up days).
HOLIDAYS_2027 = """
2027-01-01 元旦
2027-02-05..2027-02-13 春节
2027-04-05 清明节
2027-05-01..2027-05-05 劳动节
2027-06-09 端午节
2027-09-15 中秋节
2027-10-01~2027-10-07 国庆节
"""
WORKDAYS_2027 = "2027-01-30 春节调休\n2027-02-20 春节调休\n2027-10-09 国庆调休"


def enter_2027(actor):
    return calendar_year_enter(
        actor=actor, year=2027, notice="国办发明电〔2026〕x号",
        holidays=parse_day_lines(text=HOLIDAYS_2027, year=2027),
        workdays=parse_day_lines(text=WORKDAYS_2027, year=2027),
    )


def test_entering_the_official_year_replaces_the_provisional_one(django_capture_on_commit_callbacks):
    operator = StaffFactory()
    before = workdays_add(start=dt.date(2027, 2, 4), days=1)
    assert before.provisional and before.value == dt.date(2027, 2, 11)
    received = []

    def listener(sender, year, **kwargs):
        received.append(year)

    calendar_year_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enter_2027(operator)
    finally:
        calendar_year_changed.disconnect(listener)
    assert received == [2027]
    after = workdays_add(start=dt.date(2027, 2, 4), days=1)
    assert not after.provisional and after.value == dt.date(2027, 2, 15)
    assert day_info(date=dt.date(2027, 2, 20)).is_workday  # a Saturday make-up day
    assert day_info(date=dt.date(2027, 10, 9)).is_workday


def test_entering_a_year_again_replaces_its_days():
    operator = StaffFactory()
    enter_2027(operator)
    calendar_year_enter(actor=operator, year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")], workdays=[],
                        accept_differences=True)
    assert day_info(date=dt.date(2027, 2, 8)).is_workday


@pytest.mark.parametrize(
    "holidays, workdays, message",
    [
        ("2027-02-30 春节", "", "第 1 行：“2027-02-30”不是形如"),
        ("2027-02-10..2027-02-05 春节", "", "结束日期早于开始日期"),
        ("2026-12-31 元旦", "", "不在 2027 年内"),
    ],
)
def test_bad_lines_name_the_line(holidays, workdays, message):
    with pytest.raises(CalendarError, match=message):
        parse_day_lines(text=holidays, year=2027)


def test_a_weekday_cannot_be_a_make_up_day_and_nothing_is_saved():
    from apps.workdays.models import CalendarYear

    with pytest.raises(CalendarError, match="只有周六或周日"):
        calendar_year_enter(actor=StaffFactory(), year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")],
                            workdays=[(dt.date(2027, 1, 4), "x")], accept_differences=True)
    with pytest.raises(CalendarError, match="同时被录入"):
        calendar_year_enter(actor=StaffFactory(), year=2027, holidays=[(dt.date(2027, 1, 2), "元旦")],
                            workdays=[(dt.date(2027, 1, 2), "x")], accept_differences=True)
    assert not CalendarYear.objects.exists()


def test_a_year_missing_statutory_holidays_is_refused_naming_each_day(settings):
    from apps.workdays.exceptions import CalendarIncomplete
    from apps.workdays.models import CalendarYear

    settings.LANGUAGE_CODE = "zh-hans"
    only_spring = parse_day_lines(text="2027-02-05..2027-02-11 春节", year=2027)
    with pytest.raises(CalendarIncomplete) as refused:
        calendar_year_enter(actor=StaffFactory(), year=2027, holidays=only_spring, workdays=[])
    assert [d.isoformat() for d, _n in refused.value.missing] == [
        "2027-01-01", "2027-04-05", "2027-05-01", "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01",
        "2027-10-02", "2027-10-03"]
    assert "2027-04-05 清明节" in str(refused.value)
    assert not CalendarYear.objects.exists()
    # Confirmed by the operator (a notice that really differs): saved as entered.
    calendar_year_enter(actor=StaffFactory(), year=2027, holidays=only_spring, workdays=[], accept_differences=True)
    assert CalendarYear.objects.filter(year=2027).exists()
