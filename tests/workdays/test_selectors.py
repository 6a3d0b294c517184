"""The calendar against the State Council's holiday notices (国务院办公厅关于…部分节假日安排的通知), 2020–2026."""
import datetime as dt

import pytest

from apps.workdays.selectors import day_info, workdays_add, workdays_between, years_missing_official_data


def d(text):
    return dt.date.fromisoformat(text)


def dates(first, last):
    start, end = d(first), d(last)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# (holiday range, make-up working days) per notice: Spring Festival and National Day of every year.
NOTICES = {
    "2020 春节 (extended to 2 Feb)": (("2020-01-24", "2020-02-02"), ["2020-01-19"]),
    "2020 国庆中秋": (("2020-10-01", "2020-10-08"), ["2020-09-27", "2020-10-10"]),
    "2021 春节": (("2021-02-11", "2021-02-17"), ["2021-02-07", "2021-02-20"]),
    "2021 国庆": (("2021-10-01", "2021-10-07"), ["2021-09-26", "2021-10-09"]),
    "2022 春节": (("2022-01-31", "2022-02-06"), ["2022-01-29", "2022-01-30"]),
    "2022 国庆": (("2022-10-01", "2022-10-07"), ["2022-10-08", "2022-10-09"]),
    "2023 春节": (("2023-01-21", "2023-01-27"), ["2023-01-28", "2023-01-29"]),
    "2023 中秋国庆": (("2023-09-29", "2023-10-06"), ["2023-10-07", "2023-10-08"]),
    "2024 春节": (("2024-02-10", "2024-02-17"), ["2024-02-04", "2024-02-18"]),
    "2024 国庆": (("2024-10-01", "2024-10-07"), ["2024-09-29", "2024-10-12"]),
    "2025 春节": (("2025-01-28", "2025-02-04"), ["2025-01-26", "2025-02-08"]),
    "2025 国庆中秋": (("2025-10-01", "2025-10-08"), ["2025-09-28", "2025-10-11"]),
    "2026 春节": (("2026-02-15", "2026-02-23"), ["2026-02-14", "2026-02-28"]),
    "2026 国庆": (("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("notice", NOTICES)
def test_official_notices(notice):
    (first, last), makeup = NOTICES[notice]
    for day in dates(first, last):
        info = day_info(date=day)
        assert not info.is_workday, f"{day} should be off ({notice})"
        assert not info.provisional
    for day in map(d, makeup):
        info = day_info(date=day)
        assert info.is_workday and day.weekday() >= 5, f"{day} is a make-up working day ({notice})"
    # The first ordinary day after the holiday is a working day again.
    after = d(last) + dt.timedelta(days=1)
    while after.weekday() >= 5 and after not in map(d, makeup):
        after += dt.timedelta(days=1)
    assert day_info(date=after).is_workday


@pytest.mark.django_db
def test_add_and_between_match_the_issue_examples():
    assert workdays_add(start=d("2025-09-30"), days=5).value == d("2025-10-14")
    assert workdays_between(start=d("2025-09-30"), end=d("2025-10-14")).value == 5
    assert day_info(date=d("2025-10-11")).kind == "workday"  # Saturday, 调休上班
    assert day_info(date=d("2025-10-12")).kind == "weekend"
    assert day_info(date=d("2025-10-03")).kind == "holiday"


@pytest.mark.django_db
def test_add_zero_negative_and_between_reversed():
    assert workdays_add(start=d("2024-10-08"), days=0).value == d("2024-10-08")
    assert workdays_add(start=d("2024-10-08"), days=-1).value == d("2024-09-30")
    assert workdays_between(start=d("2024-10-08"), end=d("2024-09-30")).value == -1
    assert workdays_between(start=d("2024-10-08"), end=d("2024-10-08")).value == 0


@pytest.mark.django_db
def test_a_limit_over_spring_festival_2026():
    # Received on Friday 13 Feb 2026: Saturday 14 Feb is a working day, then 15–23 Feb are off.
    answer = workdays_add(start=d("2026-02-13"), days=5)
    assert answer.value == d("2026-02-27") and not answer.provisional


@pytest.mark.django_db
def test_2027_is_provisional_from_the_statutory_rules():
    # 2027 春节: 除夕 Fri 5 Feb + 6, 7, 8 Feb; Sat 6 and Sun 7 are made up on Tue 9 and Wed 10.
    for day in dates("2027-02-05", "2027-02-10"):
        info = day_info(date=day)
        assert not info.is_workday and info.provisional, day
    assert day_info(date=d("2027-02-11")).is_workday
    # 2027 国庆: Fri 1 Oct + Sat 2 + Sun 3, made up on Mon 4 and Tue 5.
    for day in dates("2027-10-01", "2027-10-05"):
        assert not day_info(date=day).is_workday, day
    assert day_info(date=d("2027-10-06")).is_workday
    assert day_info(date=d("2027-01-01")).kind == "holiday"
    answer = workdays_add(start=d("2026-12-30"), days=5)
    assert answer.value == d("2027-01-07") and answer.provisional
    assert not workdays_add(start=d("2026-12-01"), days=5).provisional


@pytest.mark.django_db
def test_missing_next_year_is_reported_from_november():
    assert years_missing_official_data(today=d("2026-10-31")) == []
    assert years_missing_official_data(today=d("2026-11-01")) == [2027]
