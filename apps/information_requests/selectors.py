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
    """The agency's table of requests for ``year`` (政府信息公开工作年度报告, table 三), by kind of requester (自然人 /
    法人或其他组织): received in the year, carried over from the year before, each result (by the day the request was
    answered or closed), carried into the next year. One grouped query per part, whatever the number of requests; table 四 as the agency entered it (AppealFigures)."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone

    from apps.accounts.constants import AccountKind

    from .constants import REPORT_RESULT_ROWS, Status

    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    mine = InformationRequest.objects.filter(department=department).exclude(status=Status.DRAFT)

    def by_kind(queryset, *fields):
        counts = {}
        for row in queryset.values("requester__kind", *fields).order_by().annotate(n=Count("id")):
            column = "citizen" if row["requester__kind"] == AccountKind.CITIZEN else "organisation"
            key = tuple(row[f] for f in fields)
            counts.setdefault(key, {"citizen": 0, "organisation": 0})[column] += row["n"]
        return counts

    def cells(counts):
        citizen = sum(c["citizen"] for c in counts)
        organisation = sum(c["organisation"] for c in counts)
        return {"citizen": citizen, "organisation": organisation, "total": citizen + organisation}

    def open_at(moment):
        return mine.filter(Q(submitted_at__lt=moment), Q(closed_at__isnull=True) | Q(closed_at__gte=moment))

    results = by_kind(mine.filter(closed_at__gte=start, closed_at__lt=end), "answer_kind", "status")
    rows = []
    for label, keys in REPORT_RESULT_ROWS:
        wanted = {str(k) for k in keys}
        rows.append((label, cells([c for (kind, status), c in results.items()
                                   if kind in wanted or (not kind and status in wanted)])))
    from .models import AppealFigures

    appeals = AppealFigures.objects.filter(department=department, year=year).first()
    return {
        "year": year, "department": department, "appeals": appeals.row() if appeals else None,
        "received": cells(by_kind(mine.filter(submitted_at__gte=start, submitted_at__lt=end)).values()),
        "carried_in": cells(by_kind(open_at(start)).values()),
        "rows": rows,
        "results_total": cells([r for _label, r in rows]),
        "carried_out": cells(by_kind(open_at(end)).values()),
    }
