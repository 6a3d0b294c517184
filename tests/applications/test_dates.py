"""The dates the applicant is given: a provisional decision date says so (暂定 and its rule), a date moved by an
entered holiday calendar is given in writing, and an online submission counts from its receipt moment (issue 13)."""
import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.constants import DocumentKinds, Stage
from apps.deadlines.selectors import deadline_for_stage
from apps.documents.models import Document
from apps.documents.services import document_render
from apps.workdays.selectors import workdays_add
from apps.workdays.services import calendar_year_enter, parse_day_lines
from apps.workflow.services import transition_perform
from apps.workflow.spec import spec_for
from apps.applications import services
from apps.applications.services import Supplement, SupplementItem
from tests.applications.factories import approve, accepted, load_world, pdf, submitted

pytestmark = pytest.mark.django_db


def at(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def local_date(moment):
    return timezone.localtime(moment).date()


@pytest.fixture
def world(roles):
    return load_world()


@pytest.fixture
def clock(monkeypatch):
    """Set the moment the services take as now (as tests/honors does for a date in another year)."""
    def set_to(text):
        moment = at(text)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment
    return set_to


def document(application, kind):
    return Document.objects.get(kind=kind, object_id=str(application.pk))


def text_of(document_):
    return "".join(document_.context["paragraphs"] + document_.context["closing"])


def pdf_text(document_, tmp_path):
    """What the printed PDF says, whitespace removed (pdftotext breaks lines anywhere in Chinese)."""
    assert shutil.which("pdftotext"), "pdftotext comes with poppler-utils (scripts/bootstrap.sh installs it)"
    path = tmp_path / f"{document_.kind}.pdf"
    path.write_bytes(document_render(document_id=document_.pk).file.open("rb").read())
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def enter_year(year, holidays, workdays="", notice="", capture=None):
    """The operator enters the State Council's notice; the deadlines app recomputes the clocks after commit."""
    with capture(execute=True):
        calendar_year_enter(actor=None, year=year, notice=notice, holidays=parse_day_lines(text=holidays, year=year),
                            workdays=parse_day_lines(text=workdays, year=year), accept_differences=True)


def told_in_writing(application, old_due):
    """The deadlines app calls the spec's hook in the transaction that moved the clock: exactly one notice."""
    assert Document.objects.filter(kind=DocumentKinds.DEADLINE_CHANGE, object_id=str(application.pk)).count() == 1
    return document(application, DocumentKinds.DEADLINE_CHANGE)


# --- 暂定 on the acceptance notice -------------------------------------------------------------------------------

def test_acceptance_notice_in_an_official_year_states_the_date_plainly(world, clock):
    clock("2025-09-25 09:00")
    application = accepted(world)
    # 10 working days: 26, 28 (调休), 29, 30 Sep, then 1–8 Oct off, 9, 10, 11 (调休), 13, 14, 15 Oct.
    text = text_of(document(application, DocumentKinds.ACCEPTANCE))
    assert "自受理之日起10个工作日内（2025年10月15日前）作出决定" in text
    assert "暂定" not in text


def test_acceptance_notice_marks_a_provisional_decision_date_and_its_rule(world, clock, tmp_path):
    clock("2027-02-03 10:00")  # no official calendar for 2027 yet (chinesecalendar ends with 2026)
    application = accepted(world)
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    assert decision.provisional
    notice = document(application, DocumentKinds.ACCEPTANCE)
    # After Wed 3 Feb: Thu 4; 5 (除夕) to 10 Feb off by the statutory rule; 11, 12, 15, 16, 17, 18, 19, 22, 23 Feb.
    for shown in (text_of(notice), pdf_text(notice, tmp_path)):
        assert "截止日期为2027年02月23日（暂定）" in shown
        assert "国务院尚未公布2027年节假日安排" in shown and "《全国年节及纪念日放假办法》" in shown
        assert "我机关将书面告知新的日期" in shown


def test_an_extension_tells_a_provisional_new_date_as_provisional(world, clock):
    from apps.notifications.models import Notification

    clock("2027-02-03 10:00")
    application = accepted(world)
    services.application_extend(actor=world["head"], application=application, days=5, reason="情况复杂")
    told = Notification.objects.get(recipient=world["citizen"], title__contains="延长")
    # 15 working days after Wed 3 Feb, 5–10 Feb off by the statutory rule: Tue 2 Mar.
    assert "2027-03-02（暂定）" in told.body


# --- the new date in writing -------------------------------------------------------------------------------------

def test_a_decision_date_moved_by_the_entered_calendar_is_given_in_writing(
        world, clock, client, tmp_path, django_capture_on_commit_callbacks):
    clock("2027-02-03 10:00")
    application = accepted(world)
    old_due = deadline_for_stage(obj=application, stage=Stage.DECISION).due_at
    assert local_date(old_due) == dt.date(2027, 2, 23)
    clock("2027-02-04 09:00")
    # The notice as published: 5 to 13 Feb off, Sat 20 Feb worked — the decision is due a day later.
    enter_year(2027, "2027-01-01 元旦\n2027-02-05..2027-02-13 春节", "2027-02-20 春节调休",
               notice="国办发明电〔2026〕15号", capture=django_capture_on_commit_callbacks)
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    assert not decision.provisional and local_date(decision.due_at) == dt.date(2027, 2, 24)
    with django_capture_on_commit_callbacks(execute=True):
        notice = told_in_writing(application, old_due)
    assert notice.title == "办理期限变更告知书" and notice.number == "盘政服期字〔2027〕1号"
    assert notice.context["recipient"] == application.applicant_name
    assert notice.issuing_department == application.department
    for shown in (text_of(notice), pdf_text(notice, tmp_path)):
        assert "作出决定的期限由2027年02月23日变更为2027年02月24日" in shown
        assert "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕15号）" in shown
        assert "第八十二条" in shown
        assert "暂定" not in shown
    # The applicant downloads it from the application's page, like the other notices; nobody else can.
    client.force_login(world["citizen"])
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    url = reverse("documents:download", args=[notice.token])
    assert "办理期限变更告知书" in page and url in page
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
    client.force_login(world["stranger"])
    assert client.get(url).status_code == 404


def test_a_moved_date_that_is_still_provisional_says_so_again(world, clock, tmp_path, django_capture_on_commit_callbacks):
    clock("2027-12-22 10:00")
    application = accepted(world)
    old_due = deadline_for_stage(obj=application, stage=Stage.DECISION).due_at
    # Provisional 2028: 1 Jan (Sat) 元旦 made up on Mon 3 Jan — 23, 24, 27, 28, 29, 30, 31 Dec, 4, 5, 6 Jan.
    assert local_date(old_due) == dt.date(2028, 1, 6)
    # 2028 is published with Mon 3 Jan a working day; December still rests on the statutory rule (2027 not entered).
    enter_year(2028, "2028-01-01 元旦", capture=django_capture_on_commit_callbacks)
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    assert decision.provisional and local_date(decision.due_at) == dt.date(2028, 1, 5)
    with django_capture_on_commit_callbacks(execute=True):
        notice = told_in_writing(application, old_due)
    for shown in (text_of(notice), pdf_text(notice, tmp_path)):
        assert "由2028年01月06日变更为2028年01月05日（暂定）" in shown
        assert "国务院办公厅公布的2028年节假日安排" in shown
        assert "国务院尚未公布2027年节假日安排" in shown and "《全国年节及纪念日放假办法》" in shown


def test_a_moved_date_reaches_the_agent_as_well_as_the_person(world, clock, django_capture_on_commit_callbacks):
    """帮办代办: the agent follows the case for the person (co-owner); a date moved by the calendar is told to both."""
    from apps.notifications.models import Notification
    from tests.accounts.factories import CitizenFactory, make_id_number

    clock("2027-02-03 10:00")
    agent = CitizenFactory()
    draft = services.application_start_as_agent(agent=agent, service=world["service"], relation="family", person=(
        services.Person(id_number=make_id_number(902), real_name="钱大娘", phone="13577770002")))
    for material in draft.service.materials.filter(required=True):
        services.application_upload_material(actor=agent, application=draft, material=material,
                                             upload=pdf(f"{material.name}.pdf"))
    services.application_upload_authorisation(actor=agent, application=draft, upload=pdf("委托书.pdf"))
    application = transition_perform(actor=agent, obj=draft, name="submit",
                                     params=services.Declaration(declaration=True))
    application = transition_perform(actor=world["clerk"], obj=application, name="accept")
    clock("2027-02-04 09:00")
    enter_year(2027, "2027-01-01 元旦\n2027-02-05..2027-02-13 春节", "2027-02-20 春节调休",
               capture=django_capture_on_commit_callbacks)
    told = Notification.objects.filter(title__contains="时限已调整")
    assert set(told.values_list("recipient", flat=True)) == {application.applicant_id, agent.pk}


def test_only_a_moved_open_decision_date_is_given_in_writing(world):
    hook = spec_for(services.Application).deadline_moved
    application = submitted(world)
    acceptance = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    # The acceptance clock: no notice states its date (the receipt says "within 5 working days").
    hook(case=application, deadline=acceptance, old_due=acceptance.due_at - dt.timedelta(days=1),
         new_due=acceptance.due_at)
    application = transition_perform(actor=world["clerk"], obj=application, name="accept")
    decision = deadline_for_stage(obj=application, stage=Stage.DECISION)
    # The same day at another hour is no new date.
    hook(case=application, deadline=decision, old_due=decision.due_at - dt.timedelta(hours=1),
         new_due=decision.due_at)
    application = approve(world, application)
    decision.refresh_from_db()
    # Decided: the clock is closed, the date no longer owed.
    hook(case=application, deadline=decision, old_due=decision.due_at - dt.timedelta(days=1), new_due=decision.due_at)
    assert not Document.objects.filter(kind=DocumentKinds.DEADLINE_CHANGE).exists()


# --- receipt after hours -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("moment, same_day_due, received_on", [
    # Saturday: same_day counts from Mon 17 (due Fri 21); next_workday receives it Mon 17, counts from Tue 18.
    ("2025-11-15 10:00", dt.date(2025, 11, 21), "2025-11-17 08:30"),
    # Wednesday 20:00: same_day counts from Thu 20 (due Wed 26); next_workday receives it Thu 20, counts from Fri 21.
    ("2025-11-19 20:00", dt.date(2025, 11, 26), "2025-11-20 08:30"),
])
def test_an_after_hours_submission_counts_from_the_next_working_day_when_the_city_chooses_so(
        world, clock, settings, moment, same_day_due, received_on):
    assert settings.RECEIPT_AFTER_HOURS == "same_day"  # the default: as before the setting
    clock(moment)
    same_day = submitted(world)
    assert local_date(same_day.due_at) == same_day_due
    assert deadline_for_stage(obj=same_day, stage=Stage.ACCEPTANCE).started_at == at(moment)
    receipt = text_of(document(same_day, DocumentKinds.RECEIPT))
    assert f"已于{at(moment):%Y年%m月%d日}收到" in receipt

    settings.RECEIPT_AFTER_HOURS = "next_workday"
    next_workday = submitted(world)
    clock_ = deadline_for_stage(obj=next_workday, stage=Stage.ACCEPTANCE)
    assert local_date(next_workday.due_at) == workdays_add(start=same_day_due, days=1).value
    assert clock_.started_at == at(received_on) and next_workday.submitted_at == at(moment)
    receipt = text_of(document(next_workday, DocumentKinds.RECEIPT))
    assert f"于{at(moment):%Y年%m月%d日}在工作时间以外通过网上提交" in receipt
    assert f"视为于下一个工作日（{at(received_on):%Y年%m月%d日}）收到" in receipt


def test_a_submission_in_office_hours_is_received_when_made_under_either_policy(world, clock, settings):
    settings.RECEIPT_AFTER_HOURS = "next_workday"
    moment = clock("2025-11-19 10:00")
    application = submitted(world)
    assert deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE).started_at == moment
    assert local_date(application.due_at) == dt.date(2025, 11, 26)
    assert "已于2025年11月19日收到" in text_of(document(application, DocumentKinds.RECEIPT))


def test_a_resubmission_after_hours_restarts_the_acceptance_clock_from_its_receipt(world, clock, settings):
    settings.RECEIPT_AFTER_HOURS = "next_workday"
    clock("2025-11-17 10:00")
    application = submitted(world)
    material = world["service"].materials.filter(required=True).first()
    application = transition_perform(actor=world["clerk"], obj=application, name="request_supplement",
                                     params=Supplement(items=[SupplementItem(material_id=material.pk, note="不清晰")]))
    clock("2025-11-17 11:00")
    services.application_upload_material(actor=world["citizen"], application=application, material=material,
                                         upload=pdf())
    clock("2025-11-22 11:00")  # Saturday
    application = transition_perform(actor=world["citizen"], obj=application, name="resubmit")
    restarted = deadline_for_stage(obj=application, stage=Stage.ACCEPTANCE)
    assert restarted.started_at == at("2025-11-24 08:30")
    # Counted from Tue 25: 25, 26, 27, 28 Nov, 1 Dec.
    assert local_date(application.due_at) == dt.date(2025, 12, 1)
