from django.db import transaction
from django.utils import timezone

from apps.deadlines.constants import Unit
from apps.deadlines.selectors import deadline_for_stage
from apps.deadlines.services import deadline_complete, deadline_start
from apps.documents.services import document_issue
from apps.notifications.services import notify
from apps.workflow.constants import EntryKind
from apps.workflow.services import timeline_record

from .models import ExampleCase


@transaction.atomic
def example_submit(*, applicant, department, title: str, reference: str) -> ExampleCase:
    case = ExampleCase.objects.create(reference=reference, title=title, applicant=applicant, department=department,
                                      submitted_at=timezone.now())
    timeline_record(obj=case, actor=applicant, kind=EntryKind.TRANSITION, transition="submit",
                    public_label="提交申请", to_state=case.status)
    # 行政许可法 art. 32: decide on acceptance within 5 working days of receipt.
    deadline_start(obj=case, stage="acceptance", label="受理期限", unit=Unit.WORKING_DAYS, limit=5,
                   due_soon_before=1, started_at=case.submitted_at, responsible_department=department)
    return case


def on_accept(*, obj, actor, params):
    case = obj
    deadline_complete(deadline=deadline_for_stage(obj=case, stage="acceptance"), actor=actor)
    deadline_start(obj=case, stage="decision", label="办结期限", unit=Unit.WORKING_DAYS, limit=20, due_soon_before=3,
                   responsible_user=actor, responsible_department=case.department)
    document_issue(kind="example_acceptance_notice", obj=case, department=case.department,
                   recipient=case.applicant.display_name,
                   paragraphs=[f"你（单位）于{timezone.localtime(case.submitted_at):%Y年%m月%d日}提出的“{case.title}”申请，"
                               "申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。",
                               "我机关将在法定期限内作出决定。"],
                   actor=actor)
    notify(recipients=[case.applicant], title=f"您的申请已受理：{case.reference}", url="", sms=True)


def on_refuse(*, obj, actor, params):
    case, reason = obj, params.reason
    deadline_complete(deadline=deadline_for_stage(obj=case, stage="acceptance"), actor=actor)
    document_issue(kind="example_refusal_notice", obj=case, department=case.department,
                   recipient=case.applicant.display_name,
                   paragraphs=[f"你（单位）提出的“{case.title}”申请，经审查，决定不予受理。理由如下：", reason,
                               "如不服本决定，可在收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"],
                   actor=actor)
    notify(recipients=[case.applicant], title=f"您的申请不予受理：{case.reference}", body=reason)


def on_close(*, obj, actor, params):
    case = obj
    for stage in ("acceptance", "decision"):
        deadline = deadline_for_stage(obj=case, stage=stage)
        if deadline is not None and deadline.is_open:
            deadline_complete(deadline=deadline, actor=actor)
