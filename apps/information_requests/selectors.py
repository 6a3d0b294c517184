from django.db.models import QuerySet

from apps.documents.selectors import documents_for_case
from apps.workflow.selectors import case_get_for_user

from .models import InformationRequest


def information_request_get_for_user(*, user, pk) -> InformationRequest:
    """The request if ``user`` may see it (the requester, the agency's staff in a role that may); else DoesNotExist."""
    return case_get_for_user(user=user, model=InformationRequest, pk=pk)


def information_requests_for_staff(*, user) -> QuerySet:
    """The agency's requests (never drafts) as its staff see them: the admin's list and the dashboard's queues."""
    from apps.organizations.selectors import queryset_for_department

    return queryset_for_department(user=user, queryset=InformationRequest.objects.exclude(status="draft"),
                                   perm="information_requests.view_informationrequest")


def information_request_list_for_requester(*, user) -> QuerySet:
    return (InformationRequest.objects.filter(requester=user).exclude(status="draft")
            .select_related("department", "current_deadline").order_by("-created_at"))


def information_request_documents(*, request):
    return documents_for_case(obj=request)


def information_request_answer_files(*, request):
    """The information given with the answer (files), for the requester's page."""
    from apps.attachments.selectors import attachments_for_case

    from .constants import ANSWER_FILES

    return [a for a in attachments_for_case(obj=request) if a.purpose == ANSWER_FILES]


def annual_report(*, department, year: int) -> dict:
    """The agency's table of requests for ``year`` as the national template lays it out (政府信息公开工作年度报告格式,
    table 三): columns by kind of requester (自然人; 法人或其他组织: 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他;
    总计), rows received in the year, carried over, each result (by the day the request was answered or closed; 不予公开
    by its ground, 无法提供, 不予处理 and 其他处理 by theirs, each heading the sum of its items), the total handled and
    what is carried into the next year. One grouped query per part, whatever the number of requests; table 四 as the
    agency entered it (AppealFigures)."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone

    from .constants import REPORT_RESULT_ROWS, RequesterType, Status, report_row

    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    mine = InformationRequest.objects.filter(department=department).exclude(status=Status.DRAFT)
    columns = list(RequesterType.values)

    def empty():
        return dict.fromkeys(columns, 0)

    def cells(counts):
        row = empty()
        for count in counts:
            for column in columns:
                row[column] += count[column]
        return {**row, "total": sum(row.values())}

    def by_type(queryset, *fields):
        counts = {}
        for row in queryset.values("requester_type", *fields).order_by().annotate(n=Count("id")):
            key = tuple(row[f] for f in fields)
            counts.setdefault(key, empty())[row["requester_type"]] += row["n"]
        return counts

    def open_at(moment):
        return mine.filter(Q(submitted_at__lt=moment), Q(closed_at__isnull=True) | Q(closed_at__gte=moment))

    closed = by_type(mine.filter(closed_at__gte=start, closed_at__lt=end), "answer_kind", "withheld_ground", "status")
    by_row = {}
    for (kind, ground, status), count in closed.items():
        by_row.setdefault(report_row(kind=kind, ground=ground, status=status), []).append(count)
    rows, heading = [], None
    for key, number, label, is_heading in REPORT_RESULT_ROWS:
        if is_heading:
            heading = {"key": key, "number": number, "label": label, "heading": True, "cells": None, "items": []}
            rows.append(heading)
            continue
        row = {"key": key, "number": number, "label": label, "heading": False,
               "cells": cells(by_row.get(key, []))}
        rows.append(row)
        if heading is not None and key.startswith(heading["key"] + "_"):
            heading["items"].append(row["cells"])
        else:
            heading = None
    for row in rows:
        if row["heading"]:
            row["cells"] = cells(row.pop("items"))
    from .models import AppealFigures

    appeals = AppealFigures.objects.filter(department=department, year=year).first()
    return {
        "year": year, "department": department, "appeals": appeals.row() if appeals else None, "columns": columns,
        "received": cells(by_type(mine.filter(submitted_at__gte=start, submitted_at__lt=end)).values()),
        "carried_in": cells(by_type(open_at(start)).values()),
        "rows": rows,
        "results_total": cells([r["cells"] for r in rows if not r["heading"]]),
        "carried_out": cells(by_type(open_at(end)).values()),
    }
