"""The annual table of requests (政府信息公开工作年度报告, table 三): received, carried over, each result by the kind
of requester, carried forward — counted in a fixed number of queries, shown to the public without names."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.information_requests import services
from apps.information_requests.selectors import annual_report
from apps.workflow.services import transition_perform
from tests.accounts.factories import EnterpriseFactory
from tests.information_requests.test_flow import ask, world  # noqa: F401

pytestmark = pytest.mark.django_db


def row(report, start):
    from django.utils import translation

    with translation.override("en"):
        return next(cells for label, cells in report["rows"] if str(label).startswith(start))


def test_the_year_s_table(world, client):
    year = timezone.localdate().year
    answered = ask(world)
    transition_perform(actor=world["officer"], obj=answered, name="answer",
                       params=services.Answer(kind="partly", text="提供汇总表"))
    not_held = ask(world, requester=EnterpriseFactory())
    transition_perform(actor=world["officer"], obj=not_held, name="answer",
                       params=services.Answer(kind="not_found", text="经检索无此信息"))
    withdrawn = ask(world)
    transition_perform(actor=world["citizen"], obj=withdrawn, name="withdraw")
    ask(world)  # still open at the end of the year: carried into the next
    with CaptureQueriesContext(connection) as queries:
        report = annual_report(department=world["agency"], year=year)
    assert len(queries) == 5  # four grouped counts and the hand-entered table 四
    assert report["received"] == {"citizen": 3, "organisation": 1, "total": 4}
    assert report["carried_in"]["total"] == 0
    assert row(report, "(2)") == {"citizen": 1, "organisation": 0, "total": 1}
    assert row(report, "(4) Cannot be provided — 1")["organisation"] == 1
    assert row(report, "(6) Otherwise handled — 3")["citizen"] == 1
    assert report["results_total"]["total"] == 3
    assert report["carried_out"] == {"citizen": 1, "organisation": 0, "total": 1}
    assert annual_report(department=world["agency"], year=year - 1)["received"]["total"] == 0

    page = client.get(reverse("information_requests:report"), {"department": world["agency"].pk, "year": year},
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "（二）部分公开" in page and "结转下年度" in page and world["citizen"].citizen_profile.real_name not in page
    assert client.get(reverse("information_requests:report"), {"department": "x", "year": "y"}).status_code == 200


def test_the_agency_enters_its_appeals_and_downloads_the_table(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    year = timezone.localdate().year
    client.force_login(world["officer"])
    add = reverse("admin:information_requests_appealfigures_add")
    response = client.post(add, {"department": world["agency"].pk, "year": year, "reconsideration_upheld": 2,
                                 "reconsideration_corrected": 1, **{f"{g}_{r}": 0 for g in ("direct_suit", "later_suit")
                                                                     for r in ("upheld", "corrected", "other", "pending")},
                                 "reconsideration_other": 0, "reconsideration_pending": 0})
    assert response.status_code == 302
    other = client.post(add, {"department": world["other_officer"].department_id, "year": year})
    assert other.status_code == 200  # another agency's is not theirs to enter (not a choice)
    client.logout()
    query = {"department": world["agency"].pk, "year": year}
    page = client.get(reverse("information_requests:report"), query, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "行政复议：维持" in page
    book = load_workbook(BytesIO(client.get(reverse("information_requests:report_xlsx"), query).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[-1][:5] == (2, 1, 0, 0, 3)
