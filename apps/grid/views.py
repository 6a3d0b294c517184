from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.kept import kept_form_data, login_required_keep_post
from apps.core.throttle import Limit, throttle
from apps.workflow.exceptions import WorkflowError
from apps.workflow.selectors import case_is_owner, timeline_public

from . import services
from .constants import Channel, Status
from .exceptions import CaseError
from .forms import LookupForm, PhotoReportForm, RatingForm, map_query, stats_query
from .models import GridCase
from .selectors import case_photos_for_reporter, map_legend, map_project


@login_required_keep_post
def report(request):
    """随手拍: a signed-in resident reports a problem with photos and the place (from the browser or typed).
    A session that expired while typing keeps the text (core.kept); the photos are named to choose again."""
    data = request.POST if request.method == "POST" else kept_form_data(request, multi=True)
    form = PhotoReportForm(data, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_report(
                channel=Channel.PHOTO, description=data["description"], lat=data["lat"], lng=data["lng"],
                address=data["address"], category=data["category"], reporter=request.user,
                reporter_phone=request.user.phone or "", anonymous=data["anonymous"], photos=data["photos"])
        except CaseError as error:
            # Citizens do not see the coordinates (hidden, filled by the locate button): a refused location is
            # shown at the address, which they can type.
            field = "address" if error.field in ("lat", "lng") else error.field
            form.add_error(field if field in form.fields else None, str(error))
            if field == "address":  # refused coordinates are dropped, so that the typed address is what counts next
                form.data = form.data.copy()
                form.data["lat"] = form.data["lng"] = ""
        else:
            messages.success(request, _("Reported: case %(number)s.")
                             % {"number": case.number})
            return redirect("grid:detail", number=case.number)
    return render(request, "grid/report.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def mine(request):
    cases = GridCase.objects.filter(reporter=request.user).select_related("category").order_by("-created_at")[:200]
    return render(request, "grid/mine.html", {"cases": cases})


def _own(request, number) -> GridCase:
    case = GridCase.objects.select_related("category__parent", "department").filter(number=number).first()
    if case is None or not case_is_owner(user=request.user, obj=case):
        raise Http404
    return case


@login_required
def detail(request, number):
    case = _own(request, number)
    form = RatingForm(request.POST or None) if case.status == Status.CLOSED and not hasattr(case, "rating") else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.case_rate(actor=request.user, case=case, level=form.cleaned_data["level"],
                               comment=form.cleaned_data["comment"])
        except (CaseError, WorkflowError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("grid:detail", number=case.number)
    return render(request, "grid/detail.html", {"case": case, "timeline": timeline_public(obj=case),
                                                "rating_form": form, "next_step": _next_step(case),
                                                "photos": case_photos_for_reporter(case=case)})


def _next_step(case) -> str:
    """What happens next and by when, in the reporter's words (issue 19): the step's clock is the case's due_at."""
    due = timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") if case.due_at else ""
    if case.status == Status.REPORTED:
        return (_("The grid centre checks your report and registers it by %(due)s, then sends it to the department "
                  "responsible. You get a message at each step.") % {"due": due} if due else
                _("The grid centre checks your report and registers it, then sends it to the department responsible. "
                  "You get a message at each step."))
    if case.status in (Status.REGISTERED, Status.RETURNED):
        return (_("Registered. The grid centre sends it to the department responsible by %(due)s.") % {"due": due}
                if due else _("Registered. The grid centre sends it to the department responsible."))
    if case.status == Status.DISPATCHED:
        return (_("The department responsible is handling it; it is due by %(due)s.") % {"due": due}
                if due else _("The department responsible is handling it."))
    if case.status == Status.HANDLED:
        return _("Handled. A grid member checks the result on site, then the case is closed.")
    if case.status == Status.NOT_REGISTERED:
        return _("Not registered: the timeline says why. Call 12345 if you disagree.")
    if case.status == Status.CLOSED and not hasattr(case, "rating"):
        return _("Closed. Please rate the result below.")
    return _("Closed. Thank you for your rating.")


def lookup(request):
    """A hotline caller follows a case by its number and the phone they called from — and, once it is closed, rates
    it there (the number and the phone stand for a login; each try counts against the lookup's throttle)."""
    data = request.POST if request.method == "POST" else request.GET
    form = LookupForm(data or None)
    case, searched, rating_form = None, False, None
    if data and form.is_valid():
        limited = throttle(request, Limit.per_address("grid_lookup_address", request),
                           Limit("grid_lookup_number", form.cleaned_data["number"].strip().upper()))
        if limited is not None:
            return limited
        searched = True
        phone = form.cleaned_data["phone"].strip()
        case = (GridCase.objects.select_related("category__parent").filter(
            number=form.cleaned_data["number"].strip().upper(), reporter_phone=phone).first() if phone else None)
        if case is not None and case.reporter_id is None and case.status == Status.CLOSED and not hasattr(
                case, "rating"):
            rating_form = RatingForm(request.POST if request.method == "POST" else None)
            if request.method == "POST" and rating_form.is_valid():
                try:
                    services.case_rate_by_phone(case=case, phone=phone, level=rating_form.cleaned_data["level"],
                                                comment=rating_form.cleaned_data["comment"])
                except (CaseError, WorkflowError) as error:
                    rating_form.add_error(None, str(error))
                else:
                    messages.success(request, _("Thank you for your rating."))
                    return redirect(f"{request.path}?{urlencode({'number': case.number, 'phone': phone})}")
    return render(request, "grid/lookup.html", {
        "form": form, "case": case, "searched": searched, "timeline": timeline_public(obj=case) if case else [],
        "rating_form": rating_form}, status=404 if searched and case is None else 200)


def stats(request):
    """Public 绩效考核 figures with charts (Chart.js from static/), and the same table as xlsx."""
    form, rows = stats_query(request.GET)
    chart = {"labels": [r["name"] for r in rows], "cases": [r["cases"] for r in rows],
             "on_time": [r["on_time_rate"] for r in rows], "satisfaction": [r["satisfaction"] for r in rows],
             "label_cases": _("Cases"), "label_on_time": _("On-time rate (%)"),
             "label_satisfaction": _("Satisfaction (%)")}
    return render(request, "grid/stats.html", {"form": form, "rows": rows, "chart": chart,
                                               "query": request.GET.urlencode()},
                  status=400 if form.errors else 200)


STATS_COLUMNS = [("name", gettext_lazy("Name")), ("cases", gettext_lazy("Cases")), ("closed", gettext_lazy("Closed")),
                 ("on_time_rate", gettext_lazy("On-time rate (%)")), ("return_rate", gettext_lazy("Return rate (%)")),
                 ("reopen_rate", gettext_lazy("Reopen rate (%)")),
                 ("escalated", gettext_lazy("Escalated")), ("escalation_rate", gettext_lazy("Escalation rate (%)")), ("satisfaction", gettext_lazy("Satisfaction (%)")),
                 ("rated", gettext_lazy("Rated"))]


def stats_export(request):
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook

    form, rows = stats_query(request.GET)
    if form.errors:
        raise Http404
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Performance")))
    month = form.cleaned_data["month"].strftime("%Y-%m")
    sheet.append([f"{_('Grid cases')} {_('Performance')} {month}"])
    sheet.append([str(label) for _key, label in STATS_COLUMNS])
    for row in rows:
        sheet.append([row[key] for key, _label in STATS_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="grid-performance-{month}.xlsx"'
    return response



def grid_map(request):
    """公众地图: the district's grids drawn from their polygons (SVG), coloured by open cases; a grid chosen shows its
    figures for the month. Per-grid counts only: no case, no point, no reporter's words."""
    form, rows = map_query(request.GET)
    chosen = next((r for r in rows if r["code"] == request.GET.get("grid")), None)
    query = request.GET.copy()
    query.pop("grid", None)
    return render(request, "grid/map.html", {"form": form, "map": map_project(rows=rows), "chosen": chosen,
                                             "query": query.urlencode(), "legend": map_legend(form.chosen_measure()),
                                             "measure": form.chosen_measure()},
                  status=400 if form.errors else 200)
