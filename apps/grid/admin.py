from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.attachments.selectors import attachments_for_case
from apps.core.admin_mixins import DefaultChoiceFilter, DepartmentScopedAdminMixin, ReadOnlyAdminMixin
from apps.core.dashboard import Queue, queue_register
from apps.organizations.constants import Role
from apps.deadlines.admin import deadline_badge
from apps.organizations.models import AdminUnit, Department
from apps.workflow.admin import TimelineInline, TransitionForm, WorkflowAdminMixin
from apps.workflow.exceptions import WorkflowError
from apps.workflow.selectors import actor_has_case_role

from . import selectors, services
from .constants import Channel, Urgency
from .exceptions import CaseError
from .forms import category_choices, stats_query
from .models import (
    CaseCategory,
    CategoryModel,
    CategoryTimeLimit,
    Grid,
    GridCase,
    GridMember,
    Open311Client,
    RoutingRule,
)


class GridMemberInline(admin.TabularInline):
    model = GridMember
    extra = 0
    autocomplete_fields = ("user",)


class GridForm(forms.ModelForm):
    polygon = forms.JSONField(label=_("Area (GeoJSON polygon)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
                              help_text=_('{"type": "Polygon", "coordinates": [[[lng, lat], …, [lng, lat]]]} in WGS84; '
                                          "the first point repeated at the end."))

    class Meta:
        model = Grid
        fields = ("code", "name", "community", "polygon", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "community" in self.fields:
            # 三级网格: a grid hangs on a village or community, never on a street or a district (review finding).
            self.fields["community"].queryset = AdminUnit.objects.filter(
                level="village", parent__isnull=False).select_related("parent__parent").order_by("code")

    def clean_polygon(self):
        polygon = self.cleaned_data.get("polygon")
        if polygon in (None, "", {}):
            return None
        try:
            return services.polygon_validate(polygon)
        except CaseError as error:
            raise forms.ValidationError(str(error)) from None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:  # the service's rules (grid_save checks them again), said on the form
            services.grid_validate(grid=self.instance)
        except CaseError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    form = GridForm
    list_display = ("code", "name", "community", "member_count", "has_area", "is_active")
    list_filter = ("is_active", "community__parent")
    list_select_related = ("community",)
    search_fields = ("code__exact", "name")
    inlines = (GridMemberInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    @admin.display(description=_("area"), boolean=True)
    def has_area(self, obj):
        return bool(obj.polygon)

    def save_model(self, request, obj, form, change):
        services.grid_save(grid=obj)


class TimeLimitInline(admin.TabularInline):
    model = CategoryTimeLimit
    extra = 0


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "department", "hour_basis", "is_active")
    list_filter = ("kind", "parent", "hour_basis", "is_active")
    list_select_related = ("parent", "department")
    search_fields = ("code__exact", "name", "keywords")
    inlines = (TimeLimitInline,)


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ("name", "priority", "category", "district", "street", "grid", "urgency", "department", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {"category": CaseCategory.objects.filter(is_active=True).select_related("parent"),
                   "district": AdminUnit.objects.filter(level="county").order_by("code"),
                   "street": AdminUnit.objects.filter(level="township").order_by("code"),
                   "grid": Grid.objects.filter(is_active=True).order_by("code"),
                   "department": Department.objects.filter(is_active=True).order_by("code")}
        for name, queryset in choices.items():
            if name in self.fields:  # a reader (a handler) gets the page without the form's fields
                self.fields[name].queryset = queryset

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.routing_rule_validate(rule=self.instance)
        except CaseError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """分拨规则: editable by whoever holds the model permissions (the city's dispatch centre); refused at save when it
    sends nowhere, names two places or shares its precedence with a rule that may match the same cases."""

    form = RoutingRuleForm
    list_display = ("priority", "name", "category", "place", "urgency", "department", "is_active")
    list_display_links = ("name",)
    list_filter = ("is_active", "district", "department")
    list_select_related = ("category__parent", "district", "street", "grid", "department")
    search_fields = ("name",)
    ordering = ("priority", "pk")

    def get_queryset(self, request):
        return selectors.routing_rules_for_admin()

    @admin.display(description=_("place"))
    def place(self, obj):
        return obj.place or _("the whole city")

    def save_model(self, request, obj, form, change):
        services.routing_rule_save(rule=obj)


def _percent(value):
    return "—" if value is None else f"{value:.1%}"


@admin.register(CategoryModel)
class CategoryModelAdmin(admin.ModelAdmin):
    """The learned classifier's versions (ADR 0010), newest first: when, on how many closed cases, how accurate on
    the last month's cases it had not seen (beside the keyword rules), and a button that trains now — the same
    service the nightly task calls. Nothing here is editable: a model is only ever written by training."""

    change_list_template = "admin/grid/categorymodel/change_list.html"
    list_display = ("version", "trained_at", "n_cases", "accuracy", "keywords", "held_out_cases")
    fields = ("version", "trained_at", "n_cases", "held_out_cases", "accuracy", "keywords", "per_category")
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        # The weights (thousands of floats) are never read by a list or a page.
        return super().get_queryset(request).defer("weights")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_train(self, request) -> bool:
        """The dispatchers, whose corrections the model learns and whose queue it empties, read it and train it (by
        their role, not a model permission: the model holds no department's data); and the superuser."""
        from apps.accounts.selectors import user_has_role

        cached = getattr(request, "_grid_may_train", None)  # the index asks per hook: one query per request
        if cached is None:
            cached = bool(request.user.is_active and request.user.is_staff and (
                request.user.is_superuser or user_has_role(user=request.user, role=Role.DISPATCHER)))
            request._grid_may_train = cached
        return cached

    def has_view_permission(self, request, obj=None):
        return self.may_train(request)

    def has_module_permission(self, request):
        return self.may_train(request) or super().has_module_permission(request)

    @admin.display(description=_("held-out accuracy (last month)"))
    def accuracy(self, obj):
        return _percent(obj.held_out_accuracy)

    @admin.display(description=_("keyword rules (same cases)"))
    def keywords(self, obj):
        return _percent(obj.keyword_accuracy)

    @admin.display(description=_("cases per category"))
    def per_category(self, obj):
        names = {str(c.pk): str(c) for c in CaseCategory.objects.filter(pk__in=list(obj.category_counts))
                 .select_related("parent")}
        rows = sorted(obj.category_counts.items(), key=lambda item: -item[1])
        return format_html("<table><tbody>{}</tbody></table>", format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((names.get(pk, pk), n) for pk, n in rows)))

    def get_urls(self):
        return [path("train/", self.admin_site.admin_view(self.train_view), name="grid_categorymodel_train"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "may_train": self.may_train(request)})

    def train_view(self, request):
        if request.method != "POST":
            return redirect("admin:grid_categorymodel_changelist")
        if not self.may_train(request):
            raise PermissionDenied
        before = CategoryModel.objects.order_by("-version").values_list("version", flat=True).first()
        model = services.category_model_train()
        if model is None:
            self.message_user(request, _("Nothing to learn yet: the closed cases name fewer than two categories. "
                                         "The keyword rules keep suggesting."), messages.WARNING)
        elif model.version == before:
            self.message_user(request, _("No case was closed or corrected since version %(version)s: it stays in "
                                         "use.") % {"version": model.version}, messages.INFO)
        else:
            self.message_user(request, _("Version %(version)s trained on %(n)s cases; held-out accuracy on the "
                                         "last month: %(accuracy)s.") % {
                "version": model.version, "n": model.n_cases, "accuracy": _percent(model.held_out_accuracy)},
                messages.SUCCESS)
        return redirect("admin:grid_categorymodel_changelist")


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Machines allowed to post service requests; the api_key is generated when the client is added."""

    list_display = ("name", "key", "is_active", "created_at", "last_used_at")
    readonly_fields = ("key", "created_at", "last_used_at")
    fields = ("name", "key", "is_active", "created_at", "last_used_at")

    @admin.display(description=_("API key"))
    def key(self, obj):
        return format_html("<code>{}</code>", obj.api_key) if obj.api_key else _("generated when saved")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            created = services.open311_client_create(name=obj.name)
            obj.pk, obj.api_key = created.pk, created.api_key


class DispatchForm(TransitionForm):
    """派遣: the department the category names, unless the dispatcher sends it elsewhere."""

    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=CaseCategory.objects.none())
    department = forms.ModelChoiceField(label=_("Handling department"), required=False,
                                        queryset=Department.objects.none(),
                                        help_text=_("Empty: as the routing rules decide (else the category's department)."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.services_active()
        # The category given, else the one the text suggests (shown with its confidence on the case page).
        self.fields["category"].initial = (case.category_id or case.suggested_category_id) if case else None
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("code")


def _form_choice(form, name):
    """The object a choice field of a transition form holds: what was posted when valid, else its initial value."""
    field = form.fields.get(name)
    if field is None:
        return None
    if form.is_bound:
        form.is_valid()
        return getattr(form, "cleaned_data", {}).get(name)
    return field.queryset.filter(pk=field.initial).first() if field.initial else None


class RegisterForm(TransitionForm):
    """立案: the dispatcher confirms the category (the text's suggestion is offered); the case then goes at once to
    the department the category names (services.on_register)."""

    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=CaseCategory.objects.none(),
                                      help_text=_("When the routing rules (else the category) name a department, the case is dispatched "
                                                  "to it at once."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.services_active()
        self.fields["category"].initial = (case.category_id or case.suggested_category_id) if case else None


class HandleForm(TransitionForm):
    # Required by the transition (transitions.py: requires=("result",)), explained on this form when missing.
    result = forms.CharField(label=_("Handling result"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4, "cols": 70}))
    photo = forms.FileField(label=_("Evidence photo (JPEG or PNG)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png",
                                                                   "capture": "environment"}),
                            help_text=_("The reporter sees it. Frame the result, not people: keep faces and number "
                                        "plates out of the picture."))
    staff_only = forms.BooleanField(label=_("It shows faces or number plates: keep it for staff"), required=False,
                                    help_text=_("The reporter is then told the result in words only."))


class StaffReportForm(forms.Form):
    """A grid member's patrol report or a hotline operator's entry; made to work on a phone."""

    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4, "cols": 40}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=CaseCategory.objects.none(), required=False,
                                      empty_label=_("Not sure: suggest from the text"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False,
                                  help_text=_("Empty: found from the coordinates."))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lng = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    photo = forms.FileField(label=_("Photo (JPEG or PNG)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png",
                                                                   "capture": "environment"}))
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=20, required=False)

    def __init__(self, *args, channel, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.services_active()
        # Grouped under 部件 / 事件 / 全要素 headings, as on the public form: a patrol or a caller's 矛盾纠纷, 安全隐患,
        # 民生诉求 or 特殊人群服务 has its place beside city management.
        self.fields["category"].widget.choices = category_choices(self.fields["category"].queryset,
                                                                  self.fields["category"].empty_label)
        self.fields["grid"].queryset = (selectors.grids_for_patrol(user=user) if channel == Channel.PATROL
                                        else Grid.objects.filter(is_active=True).order_by("code"))
        if channel == Channel.PATROL:
            del self.fields["caller_phone"]
        else:
            del self.fields["photo"]


class PlaceForm(forms.Form):
    """Place a case the report could not: its grid from the tree (district › street › community), or the community
    when it has no grid yet (its street's grid staff then verify the case)."""

    grid = forms.ModelChoiceField(label=_("Grid"), required=False, queryset=Grid.objects.none())
    community = forms.ModelChoiceField(label=_("Or the community (no grid yet)"), required=False,
                                       queryset=AdminUnit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grids = Grid.objects.filter(is_active=True).select_related("community__parent__parent").order_by("code")
        self.fields["grid"].queryset = grids
        self.fields["grid"].choices = _tree_choices(grids, lambda g: g.community, _("Choose a grid"))
        communities = AdminUnit.objects.filter(level="village").select_related("parent__parent").order_by("code")
        self.fields["community"].queryset = communities
        self.fields["community"].choices = _tree_choices(communities, lambda c: c, _("Choose a community"))


def _tree_choices(rows, community_of, empty_label):
    """Options grouped under “district › street › community” (or “district › street” for communities)."""
    groups: dict = {}
    for row in rows:
        community = community_of(row)
        street = community.parent
        district = street.parent if street else None
        heading = " › ".join(str(u) for u in (district, street, community if community is not row else None) if u)
        groups.setdefault(heading, []).append((row.pk, row.name))
    return [("", empty_label)] + list(groups.items())


MAP_POINTS = 500  # case points drawn on the dispatcher's map, newest first

REPORT_TITLES = {Channel.PATROL: _("Patrol report"), Channel.HOTLINE: _("Hotline entry")}


class DistrictFilter(admin.SimpleListFilter):
    title = _("district")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        return [(u.code, u.name) for u in AdminUnit.objects.filter(level="county").order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            # By id, not through a join on the code: fewer tables for the planner on millions of rows.
            unit = AdminUnit.objects.filter(code=self.value(), level="county").values_list("pk", flat=True).first()
            return queryset.filter(district_id=unit)
        return queryset


class OpenFilter(DefaultChoiceFilter):
    """Open cases unless asked for all; the other choices are the dashboard's queues (the same conditions)."""

    title = _("queue")
    parameter_name = "queue"
    default = "open"

    @property
    def choices_q(self):
        return selectors.case_queue_conditions()


@admin.register(GridCase)
class GridCaseAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The dispatcher's, handler's and grid member's list: each sees only their cases (dispatch centre, handling
    department, own grids), open ones by deadline with the overdue first; the steps are buttons."""

    list_display = ("number", "category", "grid", "status", "time_left", "channel", "created_at", "flags")
    list_filter = (OpenFilter, "status", "escalation_level", DistrictFilter, "channel")
    list_select_related = ("category__parent", "grid", "current_deadline")
    search_fields = ("number__exact",)
    show_full_result_count = False
    list_per_page = 50
    change_list_template = "admin/grid/gridcase/change_list.html"
    change_form_template = "admin/grid/gridcase/change_form.html"
    inlines = (TimelineInline,)
    readonly_fields = ("number", "channel", "category", "suggestion", "duplicate", "urgency", "description", "location",
                       "grid", "department", "routing", "escalation_level", "escalations",
                       "reporter_contact", "time_left", "result", "photos", "reopen_count", "return_count",
                       "created_at", "closed_at")
    fields = readonly_fields[:5] + ("status",) + readonly_fields[5:]

    def get_queryset(self, request):
        return selectors.case_list_for_staff(user=request.user, queryset=admin.ModelAdmin.get_queryset(self, request))

    def get_ordering(self, request):
        return [F("due_at").asc(nulls_last=True), "-id"]

    @admin.display(description=_("time left"))
    def time_left(self, obj):
        return deadline_badge(obj.current_deadline)

    @admin.display(description=_("flags"))
    def flags(self, obj):
        marks = []
        if obj.duplicate_of_id:
            marks.append(str(_("possible duplicate")))
        if not obj.category_id and obj.suggested_category_id:
            marks.append(str(_("category suggested")))
        if obj.escalation_level:
            marks.append(str(_("escalated: %(level)s") % {"level": obj.get_escalation_level_display()}))
        return "、".join(marks)

    @admin.display(description=_("suggested category"))
    def suggestion(self, obj):
        if obj.category_id or not obj.suggested_category_id:
            return "—"
        return format_html("{}（{}: {}%，{}）", obj.suggested_category, _("confidence"),
                           round((obj.suggestion_confidence or 0) * 100), obj.get_suggestion_source_display())

    @admin.display(description=_("why this department"))
    def routing(self, obj):
        """Which rule sent this case here (stored at 派遣), linked to the rule for those who may open it."""
        if not obj.routing_note:
            return "—"
        if obj.routing_rule_id:
            return format_html('<span class="routing-note">{}</span> <a href="{}">{}</a>', obj.routing_note,
                               reverse("admin:grid_routingrule_change", args=[obj.routing_rule_id]), _("the rule"))
        return format_html('<span class="routing-note">{}</span>', obj.routing_note)

    @admin.display(description=_("possible duplicate of"))
    def duplicate(self, obj):
        if not obj.duplicate_of_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:grid_gridcase_change", args=[obj.duplicate_of_id]),
                           obj.duplicate_of.number)

    @admin.display(description=_("location"))
    def location(self, obj):
        point = f"{obj.lat:.6f}, {obj.lng:.6f}" if obj.lat is not None else ""
        return " · ".join(v for v in (obj.address, point) if v) or "—"

    @admin.display(description=_("reporter"))
    def reporter_contact(self, obj):
        if obj.anonymous:
            return _("anonymous")
        return " ".join(v for v in (obj.reporter_name or (obj.reporter.display_name if obj.reporter else ""),
                                    obj.reporter_phone) if v) or "—"

    @admin.display(description=_("photos"))
    def photos(self, obj):
        return format_html_join("", '<a href="{}"><img src="{}?thumb=1" alt="{}" height="96"></a> ', (
            (reverse("attachments:download", args=[a.pk]), reverse("attachments:download", args=[a.pk]), a.purpose)
            for a in attachments_for_case(obj=obj))) or "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        extra_context["can_place"] = obj is not None and self._may_place(request.user, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _may_place(user, obj):
        from .constants import OPEN_STATUSES

        return obj.status in OPEN_STATUSES and actor_has_case_role(user=user, obj=obj, roles={Role.DISPATCHER})

    def place_view(self, request, object_id):
        """The dispatcher places a case the report could not (services.case_place)."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self._may_place(request.user, obj):
            raise PermissionDenied  # the grid tree and the map are the dispatcher's tools (review finding)
        map_form, map_data, chosen = self._place_map(request, obj)
        form = PlaceForm(request.POST or None, initial={"grid": chosen.pk if chosen else obj.grid_id,
                                                        "community": None})
        if request.method == "POST" and form.is_valid():
            try:
                services.case_place(actor=request.user, case=obj, grid=form.cleaned_data["grid"],
                                    community=form.cleaned_data["community"])
            except CaseError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Placed: case %(number)s.") % {"number": obj.number}, messages.SUCCESS)
                return redirect(reverse("admin:grid_gridcase_change", args=[obj.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "original": obj, "title": _("Place the case: %(number)s") % {"number": obj.number},
                   "cancel_url": reverse("admin:grid_gridcase_change", args=[obj.pk]),
                   "map_form": map_form, "map": map_data, "chosen": chosen and {"code": chosen.code},
                   "query": urlencode({"district": map_form["district"].value() or ""}),
                   "legend": selectors.map_legend(map_form.chosen_measure())}
        return TemplateResponse(request, "admin/grid/place_form.html", context)

    @staticmethod
    def _place_map(request, obj):
        """The district's grids drawn from their polygons beside the place form, with the report's point: a grid
        clicked (``?grid=<code>``, a plain link) is chosen in the form. The case's own district unless another is
        asked; a case with no district starts at the map's default district."""
        from .forms import map_query

        params = request.GET.copy()
        if obj.district_id and "district" not in params:
            params["district"] = obj.district.code
        map_form, rows = map_query(params)
        points = ([{"number": obj.number, "lat": obj.lat, "lng": obj.lng, "url": ""}]
                  if obj.lat is not None and obj.lng is not None else [])
        code = request.GET.get("grid")
        chosen = (Grid.objects.filter(is_active=True, code=code).first()
                  if code and any(r["code"] == code for r in rows) else None)
        return map_form, selectors.map_project(rows=rows, points=points, fit_points=True), chosen

    def get_urls(self):
        return [path("report/<str:channel>/", self.admin_site.admin_view(self.report_view), name="grid_gridcase_report"),
                path("<path:object_id>/place/", self.admin_site.admin_view(self.place_view),
                     name="grid_gridcase_place"),
                path("stats/", self.admin_site.admin_view(self.stats_view), name="grid_gridcase_stats"),
                path("map/", self.admin_site.admin_view(self.map_view), name="grid_gridcase_map"),
                *super().get_urls()]

    def map_view(self, request):
        """The dispatcher's map: the public map's grids and colours, the open cases they may see as points (each a
        link to its page), and the chosen grid's open cases listed."""
        from .constants import OPEN_STATUSES
        from .forms import map_query

        if not self.has_view_permission(request):
            raise PermissionDenied
        form, rows = map_query(request.GET)
        visible = selectors.case_list_for_staff(user=request.user, queryset=GridCase.objects.filter(
            status__in=OPEN_STATUSES))
        points, chosen, chosen_cases = [], None, []
        if form.is_valid():
            district = form.cleaned_data["district"]
            points = [{"number": c["number"], "lat": c["lat"], "lng": c["lng"],
                       "url": reverse("admin:grid_gridcase_change", args=[c["pk"]])}
                      for c in visible.filter(district=district, lat__isnull=False).order_by("-pk")
                      .values("pk", "number", "lat", "lng")[:MAP_POINTS]]
            chosen = next((r for r in rows if r["code"] == request.GET.get("grid")), None)
            if chosen is not None:
                chosen_cases = list(visible.filter(grid__code=chosen["code"]).select_related("category__parent")
                                    .order_by(F("due_at").asc(nulls_last=True), "-id")[:50])
        query = request.GET.copy()
        query.pop("grid", None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "map": selectors.map_project(rows=rows, points=points), "chosen": chosen,
                   "chosen_cases": chosen_cases, "query": query.urlencode(),
                   "legend": selectors.map_legend(form.chosen_measure()), "measure": form.chosen_measure(),
                   "title": _("Map of grids")}
        return TemplateResponse(request, "admin/grid/map.html", context)

    def stats_view(self, request):
        """绩效考核 in the back office: the same figures as the public page, with the xlsx download."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form, rows = stats_query(request.GET)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "rows": rows,
                   "query": request.GET.urlencode(), "title": _("Performance")}
        return TemplateResponse(request, "admin/grid/stats.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        allowed = selectors.staff_report_channels(user=request.user)
        extra_context["report_links"] = [(channel, label) for channel, label in REPORT_TITLES.items()
                                         if channel in allowed]
        return super().changelist_view(request, extra_context)

    def report_view(self, request, channel):
        """上报 by a grid member on patrol (own grids) or a hotline operator of the dispatch centre."""
        if channel not in REPORT_TITLES:
            raise Http404
        if channel not in selectors.staff_report_channels(user=request.user):
            raise PermissionDenied
        form = StaffReportForm(request.POST or None, request.FILES or None, channel=channel, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_report(
                    channel=channel, description=data["description"], lat=data["lat"], lng=data["lng"],
                    address=data["address"], category=data["category"], grid=data["grid"],
                    urgency=data["urgency"], reporter=request.user if channel == Channel.PATROL else None,
                    reporter_phone=data.get("caller_phone", ""), photos=[data["photo"]] if data.get("photo") else [],
                    entered_by=request.user)
            except CaseError as error:
                field = {"photos": "photo", "reporter_phone": "caller_phone"}.get(error.field, error.field)
                form.add_error(field if field in form.fields else None, str(error))
            else:
                self.message_user(request, _("Reported: case %(number)s.") % {"number": case.number},
                                  messages.SUCCESS)
                return redirect(reverse("admin:grid_gridcase_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": REPORT_TITLES[channel]}
        return TemplateResponse(request, "admin/grid/report_form.html", context)

    def get_transition_form(self, request, obj, transition):
        if transition.name == "register":
            return RegisterForm(request.POST or None, case=obj)
        if transition.name == "dispatch":
            return DispatchForm(request.POST or None, case=obj)
        if transition.name == "handle":
            return HandleForm(request.POST or None, request.FILES or None)
        return super().get_transition_form(request, obj, transition)

    def get_transition_context(self, request, obj, transition, form):
        """派遣 and 立案 say which department the case will reach, asked of the function the dispatch itself uses
        (services.dispatch_department) with what the form holds: the preselected category, or what was posted."""
        if transition.name in ("verify_fixed", "verify_not_fixed"):
            return {"judged_title": _("The handling department's result"),
                    "judged": format_html("<p>{}</p><div>{}</div>", obj.result or "—", self.photos(obj))}
        if transition.name in ("reject", "handle", "return"):
            return {"judged_title": _("The report"),
                    "judged": format_html("<p>{}</p><p>{}</p><div>{}</div>", obj.description, self.location(obj),
                                          self.photos(obj))}
        if transition.name not in ("register", "dispatch"):
            return {}
        category, department = _form_choice(form, "category"), _form_choice(form, "department")
        route = services.dispatch_route(case=obj, params=services.Dispatch(category=category, department=department))
        reached = route.department
        if transition.name == "register":
            if reached and category and not services.route_is_automatic(case=obj, route=route):
                text = _("The case has no place yet: after registration it waits for you to place it (Place the "
                         "case) and dispatch it to the district's department.")
                reached = None
            else:
                text = (format_html(_("With the category {category} the case is dispatched at once to "
                                      "<strong>{department}</strong>."), category=category, department=reached)
                        if reached and category else
                        _("The category names no department: after registration the case waits for you to "
                          "dispatch it."))
        elif reached is None:
            text = _("The category names no department: choose the handling department below.")
        else:
            text = format_html(_("The case will go to <strong>{department}</strong>."), department=reached)
        if reached is not None:  # why: the rule (or the category, or the choice) — the line 派遣 keeps on the case
            text = format_html('{}</p><p class="routing-note">{}', text, route.note)
        more = _("Choosing another category or department below sends it there instead.") \
            if transition.name == "dispatch" else ""
        return {"judged_title": _("Where the case goes"),
                "judged": format_html('<p class="dispatch-department">{}</p><p>{}</p>', text, more)}

    def get_transition_params(self, form, transition, obj):
        if transition.name == "register":
            return services.Registration(category=form.cleaned_data.get("category"))
        if transition.name == "dispatch":
            return services.Dispatch(category=form.cleaned_data.get("category"),
                                     department=form.cleaned_data.get("department"))
        if transition.name == "handle":
            photo = form.cleaned_data.get("photo")
            return services.Handling(result=form.cleaned_data["result"], photos=[photo] if photo else [],
                                     staff_only=form.cleaned_data.get("staff_only", False))
        return None  # the others take the comment only (a Reason's reasons are the comment)


# The dashboard's queues (apps.core.dashboard): each count is the list behind its link.
for _name, _roles in (("to_register", {Role.DISPATCHER}), ("to_dispatch", {Role.DISPATCHER}),
                      ("returned", {Role.DISPATCHER}), ("to_handle", {Role.HANDLER}), ("to_verify", {Role.GRID_MEMBER}),
                      ("escalated", {Role.DISPATCHER, Role.DEPARTMENT_HEAD})):
    queue_register(Queue(
        name=f"grid.{_name}", label=selectors.case_queue_conditions()[_name][0], roles=_roles,
        base=selectors.case_list_for_staff,
        condition=lambda user, name=_name: selectors.case_queue_conditions()[name][1],
        changelist="admin:grid_gridcase_changelist", query=f"queue={_name}", section=_("Grid cases"),
        alert=_name in ("returned", "escalated")))
