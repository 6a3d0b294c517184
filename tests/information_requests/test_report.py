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


def row(report, key):
    return next(r["cells"] for r in report["rows"] if r["key"] == key)


def people(n=0, business=0, **others):
    cells = {"natural_person": n, "business": business, "research": 0, "public_welfare": 0, "legal_service": 0,
             "other": 0, **others}
    return {**cells, "total": sum(cells.values())}


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
    assert report["received"] == people(3, business=1)
    assert report["carried_in"]["total"] == 0
    assert row(report, "partly") == people(1)
    assert row(report, "cannot_not_held") == row(report, "cannot") == people(business=1)
    assert row(report, "other_other") == row(report, "other") == people(1)
    assert report["results_total"]["total"] == 3
    assert report["carried_out"] == people(1)
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
    assert rows[1][:3] == ("项目", "自然人", "法人或其他组织") and rows[2][2:7] == (
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def test_the_table_counts_each_ground_and_kind_of_requester_as_the_national_template(world, client):
    """不予公开 by its ground (arts. 14–16), 无法提供 / 不予处理 by theirs, the organisation columns by kind; each heading
    is the sum of its items and the total adds up."""
    year = timezone.localdate().year
    research = EnterpriseFactory()
    answers = [
        (world["citizen"], "", "withheld", "state_secret"),
        (world["citizen"], "", "withheld", "third_party"),
        (research, "research", "withheld", "third_party"),
        (research, "research", "needs_making", ""),
        (world["citizen"], "", "publication", ""),
        (EnterpriseFactory(), "legal_service", "disclosed", ""),
    ]
    for requester, kind, answer, ground in answers:
        request = ask(world, requester=requester, organisation_type=kind)
        transition_perform(actor=world["officer"], obj=request, name="answer",
                           params=services.Answer(kind=answer, text="答复", ground=ground))
    report = annual_report(department=world["agency"], year=year)
    assert row(report, "withheld_state_secret") == people(1)
    assert row(report, "withheld_third_party") == people(1, research=1)
    assert row(report, "withheld") == people(2, research=1)
    assert row(report, "cannot_needs_making") == people(research=1)
    assert row(report, "not_handled_publication") == row(report, "not_handled") == people(1)
    assert row(report, "disclosed") == people(legal_service=1)
    assert report["results_total"] == people(3, research=2, legal_service=1)
    assert report["received"] == report["results_total"]
    page = client.get(reverse("information_requests:report"), {"department": world["agency"].pk, "year": year},
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for label in ("1. 属于国家秘密", "4. 保护第三方合法权益", "（四）无法提供", "2. 没有现成信息需要另行制作", "科研机构",
                  "法律服务机构", "3. 要求提供公开出版物"):
        assert label in page, label


def test_a_refusal_names_its_ground(world, client):
    request = ask(world)
    client.force_login(world["officer"])
    from tests.workflow.door import press

    response = press(client, user=world["officer"], obj=request, name="answer",
                     data={"kind": "withheld", "text": "涉及第三方商业秘密"})
    assert response.status_code == 200 and "请选择不予公开的理由" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "received"
    press(client, user=world["officer"], obj=request, name="answer",
          data={"kind": "withheld", "ground": "third_party", "text": "涉及第三方商业秘密"})
    request.refresh_from_db()
    assert (request.status, request.withheld_ground) == ("answered", "third_party")
    from apps.documents.models import Document
    from apps.information_requests.constants import DocumentKinds

    letter = Document.objects.get(kind=DocumentKinds.ANSWER, object_id=str(request.pk))
    assert "理由：公开会损害第三方合法权益" in "".join(letter.context["paragraphs"])
