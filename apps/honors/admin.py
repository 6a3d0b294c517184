from django import forms
from django.contrib import admin
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.core.admin_mixins import (DefaultChoiceFilter, DepartmentScopedAdminMixin, LabelledListEditableMixin,
                                     ReadOnlyAdminMixin)
from apps.core.dashboard import Queue, queue_register
from apps.organizations.constants import Role
from apps.deadlines.admin import deadline_badge
from apps.documents.selectors import documents_for_case
from apps.workflow.admin import TimelineInline, TransitionForm, WorkflowAdminMixin

from . import selectors, services
from .constants import MATERIAL_LABELS, OPEN_STATUSES, ReviewStatus, ShowcaseStatus, Status
from .models import (
    DepartmentReview,
    FirstRecognition,
    HonorApplication,
    HonorCategory,
    Showcase,
    ShowcaseVersion,
)


@admin.register(HonorCategory)
class HonorCategoryAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    """The 13 categories and the department that reviews each; the platform's operator may move a category."""

    list_display = ("name", "department", "review_limit", "is_active", "order")
    list_editable = ("department", "review_limit", "is_active")
    list_select_related = ("department",)
    fields = ("code", "name", "department", "eligibility", "review_limit", "order", "is_active")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            from apps.organizations.models import Department

            from .constants import HONOR_DEPARTMENTS

            kwargs["queryset"] = Department.objects.filter(code__in=HONOR_DEPARTMENTS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


def _application_summary(application, *, department_id=None):
    """The application as a reviewer or the acceptance officer reads it: honors (certificates), sections, products
    and materials, with links to the files."""
    def file_link(attachment):
        if not attachment:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("attachments:download", args=[attachment.pk]),
                           attachment.original_name)

    honors = format_html_join("", '<tr class="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                                  '</tr>', (
        ("honor-mine" if department_id and h.category.department_id == department_id else "",
         h.category.name, h.category.department.name, f"{h.issuer}（{h.get_issuer_level_display()}）",
         h.issued_on.isoformat(), h.number, file_link(h.scan))
        for h in selectors.application_honors(application=application)))
    materials = selectors.application_materials(application=application)
    media = selectors.application_product_media(application=application)
    products = format_html_join("", '<div class="honor-product"><strong>{}</strong> {} {} {}<div>{}</div>{}</div>', (
        (p.name, p.model, p.specification, p.standard, p.description,
         format_html_join("", '<a href="{}"><img src="{}?thumb=1" alt="{}" height="80"></a> ', (
             (reverse("attachments:download", args=[a.pk]), reverse("attachments:download", args=[a.pk]),
              a.original_name) for a in media.get(p.pk, {}).get("images", []))))
        for p in application.products.all()))
    sections = format_html_join("", "<h4>{}</h4><div class=\"honor-section\">{}</div>", (
        (HonorApplication._meta.get_field(name).verbose_name, mark_safe(getattr(application, name) or "—"))  # noqa: S308 - sanitized on save
        for name in ("profile", "development", "brand", "products_intro")))
    return format_html(
        '<table class="honor-certificates"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
        '<th>{}</th></tr></thead><tbody>{}</tbody></table><h4>{}</h4>{}<h4>{}</h4>{}{}',
        _("Honor"), _("Reviewing department"), _("Issuing authority"), _("Date"), _("Number"), _("Scan"), honors,
        _("Materials"), format_html_join("", "<div>{}: {}</div>", (
            (label, file_link(materials.get(purpose))) for purpose, label in MATERIAL_LABELS.items())),
        _("Products"), products or "—", sections)


def _documents(obj):
    return format_html_join("", '<div><a href="{}">{} {}</a></div>', (
        (reverse("documents:download", args=[d.token]), d.title, d.number) for d in documents_for_case(obj=obj))) or "—"


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("due_soon", _("Due soon")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() in ("due_soon", "overdue"):
            return queryset.filter(current_deadline__status=self.value())
        return queryset


class ReviewQueueFilter(DefaultChoiceFilter):
    title = _("queue")
    parameter_name = "queue"
    default = "open"
    choices_q = {"open": (_("To do"), Q(status=ReviewStatus.PENDING)), "all": (_("All reviews"), None)}


class ReviewForm(TransitionForm):
    """The written opinion (书面审核意见): text for every decision, and the items to correct for a return."""

    items = forms.CharField(label=_("Items to correct (one per line)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5, "cols": 70}))

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.name != "return":
            del self.fields["items"]

    def clean_items(self):
        # Collected only: what a decision requires (the items of a return, the opinion of a failure) is declared on
        # the transition (transitions.py) and explained on this form when missing.
        return self.cleaned_data["items"].splitlines()


@admin.register(DepartmentReview)
class DepartmentReviewAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A department's review tasks, and only its own: the application, its certificates and content, and the
    buttons for the written opinion."""

    list_display = ("application_reference", "enterprise", "round", "status", "time_left", "created_at")
    list_filter = (ReviewQueueFilter, "status", DeadlineFilter)
    list_select_related = ("application", "current_deadline", "department")
    search_fields = ("application__reference__exact", "application__name")
    show_full_result_count = False
    inlines = (TimelineInline,)
    readonly_fields = ("application_reference", "enterprise", "department", "round", "time_left", "opinion",
                       "items_list", "decided_at", "documents_list", "other_opinions", "content")
    fieldsets = (
        (None, {"fields": ("application_reference", "enterprise", "department", "round", "status", "time_left")}),
        (_("Opinion"), {"fields": ("opinion", "items_list", "decided_at", "documents_list", "other_opinions")}),
        (_("Application"), {"fields": ("content",)}),
    )

    def get_ordering(self, request):
        return [F("due_at").asc(nulls_last=True), "-id"]


    @admin.display(description=_("reference"), ordering="application__reference")
    def application_reference(self, obj):
        return obj.application.reference

    @admin.display(description=_("enterprise"))
    def enterprise(self, obj):
        return obj.application.name

    @admin.display(description=_("time left"))
    def time_left(self, obj):
        return deadline_badge(obj.current_deadline) if obj.status == ReviewStatus.PENDING else "—"

    @admin.display(description=_("items to correct"))
    def items_list(self, obj):
        return format_html_join("", "<div>{}. {}</div>", ((n, item) for n, item in enumerate(obj.items, 1))) or "—"

    @admin.display(description=_("written opinion"))
    def documents_list(self, obj):
        return _documents(obj)

    @admin.display(description=_("other departments"))
    def other_opinions(self, obj):
        """Whether the other departments have decided — not their opinions, which are theirs."""
        rows = [(r.department.name, r.get_status_display()) for r in
                selectors.reviews_current(application=obj.application) if r.department_id != obj.department_id]
        return format_html_join("", "<div>{}: {}</div>", rows) or "—"

    @admin.display(description=_("application content"))
    def content(self, obj):
        return _application_summary(obj.application, department_id=obj.department_id)

    def get_transition_form(self, request, obj, transition):
        return ReviewForm(request.POST or None, transition=transition)

    def get_transition_context(self, request, obj, transition, form):
        return {"judged_title": _("The application under review"),
                "judged": _application_summary(obj.application, department_id=obj.department_id)}

    def get_transition_params(self, form, transition, obj):
        return services.Opinion(opinion=form.cleaned_data.get("comment", ""), items=form.cleaned_data.get("items") or [])


class AcceptanceQueueFilter(DefaultChoiceFilter):
    """The acceptance officer's queue shows what awaits acceptance unless asked for more."""

    title = _("queue")
    parameter_name = "queue"
    default = "acceptance"
    choices_q = {"acceptance": (_("Awaiting acceptance"), Q(status=Status.IN_ACCEPTANCE)),
                 "open": (_("All open"), Q(status__in=OPEN_STATUSES)), "all": (_("All applications"), None)}


@admin.register(HonorApplication)
class HonorApplicationAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The acceptance queue of 市市场监管局: by deadline, with the time left of the 5 working days."""

    list_display = ("reference", "name", "kind", "status", "time_left", "submitted_at")
    list_filter = (AcceptanceQueueFilter, "status", "kind", DeadlineFilter)
    list_select_related = ("current_deadline",)
    search_fields = ("reference__exact", "name")
    show_full_result_count = False
    list_per_page = 50
    inlines = (TimelineInline,)
    readonly_fields = ("reference", "kind", "name", "credit_code", "industry", "district", "contact_phone",
                       "website", "time_left", "submitted_at", "reached_acceptance_at", "decided_at", "reviews_list",
                       "documents_list", "content", "public_preview")
    fieldsets = (
        (None, {"fields": ("reference", "kind", "status", "time_left", "public_preview", "reviews_list",
                           "documents_list")}),
        (_("Enterprise"), {"fields": ("name", "credit_code", "industry", "district", "contact_phone", "website")}),
        (_("Application"), {"fields": ("content",)}),
        (_("Dates"), {"fields": ("submitted_at", "reached_acceptance_at", "decided_at")}),
    )

    def get_queryset(self, request):
        # The scoping the dashboard counts with (selectors.honor_applications_for_staff).
        return selectors.honor_applications_for_staff(user=request.user,
                                                      queryset=admin.ModelAdmin.get_queryset(self, request))

    def get_ordering(self, request):
        return [F("due_at").asc(nulls_last=True), "-submitted_at", "-id"]


    @admin.display(description=_("time left"))
    def time_left(self, obj):
        return deadline_badge(obj.current_deadline)

    @admin.display(description=_("department opinions"))
    def reviews_list(self, obj):
        rows = []
        for review in selectors.reviews_current(application=obj):
            link = (format_html(' <a href="{}">{}</a>', reverse("honors:opinion", args=[obj.pk, review.document.token]),
                                review.document.number) if review.document_id else "")
            rows.append((review.department.name, review.get_status_display(), review.round, link))
        return format_html_join("", "<div>{}: {} ({}){}</div>", rows) or "—"

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        return _documents(obj)

    @admin.display(description=_("application content"))
    def content(self, obj):
        return _application_summary(obj)

    def get_transition_context(self, request, obj, transition, form):
        return {"judged_title": _("The application to accept"),
                "judged": self.public_preview(obj) + _application_summary(obj)}

    @admin.display(description=_("public page"))
    def public_preview(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>',
                           reverse("honors:preview", args=[obj.pk]), _("Preview the public page"))


class RevokeForm(TransitionForm):
    # Both required by the transition (transitions.py), explained on this form when missing.
    source = forms.CharField(label=_("Source of the listing"), max_length=200, required=False,
                             help_text=_("e.g. 信用中国 严重失信主体名单"))
    listed_on = forms.DateField(label=_("Listed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class VersionInline(admin.TabularInline):
    model = ShowcaseVersion
    extra = 0
    can_delete = False
    fields = ("number", "published_at", "published_by", "application")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Showcase)
class ShowcaseAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "credit_code", "status", "industry", "district", "published_at")
    list_filter = ("status", "industry")
    list_select_related = ("district",)
    search_fields = ("credit_code__exact", "name")
    show_full_result_count = False
    inlines = (VersionInline, TimelineInline)
    readonly_fields = ("name", "credit_code", "industry", "district", "published_at", "revoked_at", "public_link",
                       "records", "documents_list")
    fields = ("name", "credit_code", "status", "industry", "district", "published_at", "public_link", "revoked_at",
              "records", "documents_list")

    def get_ordering(self, request):
        return [F("published_at").desc(nulls_last=True), "-id"]


    @admin.display(description=_("public page"))
    def public_link(self, obj):
        if obj.status != ShowcaseStatus.PUBLISHED:
            return "—"
        url = reverse("honors:showcase", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("dishonesty records"))
    def records(self, obj):
        from apps.credit.selectors import dishonesty_records_for

        return format_html_join("", "<div>{} · {} · {}</div>", (
            (r.listed_on, r.source, r.reason) for r in dishonesty_records_for(subject_code=obj.credit_code))) or "—"

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        return _documents(obj)

    def get_transition_form(self, request, obj, transition):
        return RevokeForm(request.POST or None)

    def get_transition_params(self, form, transition, obj):
        # The reasons are the comment; the rules (all three given, the listing date not in the future) are the
        # transition's (services.on_revoke), shown on this form.
        return services.Revocation(source=form.cleaned_data["source"], listed_on=form.cleaned_data["listed_on"])


class FirstRecognitionForm(forms.ModelForm):
    class Meta:
        model = FirstRecognition
        fields = ("enterprise_name", "credit_code", "category", "recognised_on")
        widgets = {"recognised_on": forms.DateInput(attrs={"type": "date"})}

    def clean_recognised_on(self):
        value = self.cleaned_data["recognised_on"]
        error = services.recognised_on_error(value)  # the service's rule, shown beside the field
        if error:
            raise forms.ValidationError(error)
        return value


@admin.register(FirstRecognition)
class FirstRecognitionAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    """首次认定: recorded by the officer; the entry on the platform is due within 30 days."""

    form = FirstRecognitionForm
    list_display = ("enterprise_name", "credit_code", "category", "recognised_on", "time_left", "entered_at")
    list_filter = (("entered_at", admin.EmptyFieldListFilter), "category")
    list_select_related = ("category", "deadline")
    search_fields = ("credit_code__exact", "enterprise_name")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("enterprise_name", "credit_code", "category", "recognised_on", "time_left", "entered_at",
                "recorded_by", "recorded_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("enterprise_name", "credit_code", "category", "recognised_on")
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("time left"))
    def time_left(self, obj):
        return deadline_badge(obj.deadline) if obj.entered_at is None else "—"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        recorded = services.first_recognition_record(
            actor=request.user, enterprise_name=form.cleaned_data["enterprise_name"],
            credit_code=form.cleaned_data["credit_code"], category=form.cleaned_data["category"],
            recognised_on=form.cleaned_data["recognised_on"])
        obj.pk = recorded.pk


# The dashboard's queues (apps.core.dashboard): each count is the list behind its link.
queue_register(Queue(
    name="honors.to_accept", label=_("Honor applications to accept"), roles={Role.ACCEPTANCE_OFFICER},
    base=selectors.honor_applications_for_staff,
    condition=lambda user: AcceptanceQueueFilter.choices_q["acceptance"][1],
    changelist="admin:honors_honorapplication_changelist", query="queue=acceptance", section=_("Enterprise honors")))
queue_register(Queue(
    name="honors.to_review", label=_("Honor applications to review"), roles={Role.HONOR_REVIEWER},
    base=selectors.reviews_for_staff, condition=lambda user: ReviewQueueFilter.choices_q["open"][1],
    changelist="admin:honors_departmentreview_changelist", query="queue=open", section=_("Enterprise honors")))
