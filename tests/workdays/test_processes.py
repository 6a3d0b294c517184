"""Every process sees a calendar entry at once (issue 13): a second Python process that cached the provisional year
answers from the official one at its next unit of work, although nobody told it — it compares the calendar's version."""
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from apps.organizations.constants import Role
from tests.accounts.factories import StaffFactory
from tests.conftest import other_process_env

pytestmark = pytest.mark.django_db(transaction=True)

# Another process: each line on stdin is one unit of work (as a request or a task is), answering "the working day
# after Thu 4 Feb 2027".
SCRIPT = """
import datetime as dt, sys
import django
django.setup()
from apps.workdays.selectors import calendar_scope_begin, calendar_scope_end, workdays_add
for _line in sys.stdin:
    calendar_scope_begin()
    answer = workdays_add(start=dt.date(2027, 2, 4), days=1)
    calendar_scope_end()
    print(answer.value.isoformat(), answer.provisional, flush=True)
"""


def test_another_process_answers_from_the_year_entered_here(client, roles):
    other = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=Path(__file__).resolve().parents[2],
                             env=other_process_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        def ask():
            other.stdin.write("?\n")
            other.stdin.flush()
            return other.stdout.readline().split()

        # Provisional: 除夕 (5 Feb) to 10 Feb off by the statutory rule, so the next working day is Thu 11 Feb.
        assert ask() == ["2027-02-11", "True"]
        assert ask() == ["2027-02-11", "True"]  # now cached in that process
        client.force_login(StaffFactory(roles=[Role.CALENDAR_OPERATOR]))
        data = {"year": "2027", "notice": "国办发明电〔2026〕x号", "accept_differences": "on",
                "holidays": "2027-01-01 元旦\n2027-02-06..2027-02-14 春节", "workdays": "2027-02-20 春节调休"}
        assert client.post(reverse("admin:workdays_calendaryear_add"), data).status_code == 302
        # The official year: Fri 5 Feb is a working day. No message reached the other process.
        assert ask() == ["2027-02-05", "False"]
    finally:
        other.stdin.close()
        other.wait(20)
