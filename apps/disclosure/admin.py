from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin_mixins import DepartmentScopedAdminMixin
from apps.core.dashboard import Queue, queue_register
from apps.organizations.constants import Role
from apps.organizations.models import Department
from apps.workflow.admin import TimelineInline, WorkflowAdminMixin
from apps.workflow.exceptions import WorkflowError

from . import selectors, services
from .columns import COLUMN_FIELDS
from .exceptions import EntryInvalid, ImportInvalid
from .constants import KEEPER_ROLES, CatalogueStatus, DomainKind
from .forms import CommentForm, EntryForm, ImportForm, RetireForm
from .models import Catalogue, CatalogueImport, CatalogueVersion, Domain, Entry
from .tables import channels_text


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "kind", "agency_names")
    list_display_links = ("name",)
    ordering = ("position",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agencies")

    @admin.display(description=_("responsible agencies"))
    def agency_names(self, obj):
        return "、".join(a.name for a in obj.agencies.all())


class CatalogueAddForm(forms.ModelForm):
    class Meta:
        model = Catalogue
        fields = ["admin_unit", "domain", "department"]


class CatalogueQueueFilter(admin.SimpleListFilter):
    """待审核 for the reviewing office, 退回 and drafts for the agency (selectors.catalogue_queue_conditions: the
    dashboard counts the same rows)."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(name, label) for name, (label, _q) in
                selectors.catalogue_queue_conditions(user=request.user).items()]

    def queryset(self, request, queryset):
        conditions = selectors.catalogue_queue_conditions(user=request.user)
        return queryset.filter(conditions[self.value()][1]) if self.value() in conditions else queryset


@admin.register(Catalogue)
class CatalogueAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """Officers see their agency's catalogues and those their office reviews; another agency's answers 404."""

    change_form_template = "admin/disclosure/catalogue/change_form.html"
    list_display = ("title_display", "admin_unit", "domain", "department", "status", "version_display", "updated_at")
    list_filter = (CatalogueQueueFilter, "status", "admin_unit__level", "domain")
    list_select_related = ("admin_unit", "domain", "department", "current_version")
    search_fields = ("domain__name", "admin_unit__name", "department__name")
    readonly_fields = ("admin_unit", "domain", "department", "reviewing_department", "status", "current_version")
    inlines = (TimelineInline,)

    def get_queryset(self, request):
        return selectors.catalogue_list_for_staff(user=request.user).select_related(
            "admin_unit", "domain", "department", "current_version")

    @admin.display(description=_("catalogue"))
    def title_display(self, obj):
        return obj.title

    @admin.display(description=_("published version"))
    def version_display(self, obj):
        return f"v{obj.current_version.number}" if obj.current_version_id else "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            user = request.user

            class AddForm(CatalogueAddForm):
                def clean(self):
                    cleaned = super().clean()
                    if cleaned.get("admin_unit") and cleaned.get("department"):
                        # The service's rule (selectors.catalogue_create_refusal), shown on the form.
                        refusal = selectors.catalogue_create_refusal(user=user, admin_unit=cleaned["admin_unit"],
                                                                     department=cleaned["department"],
                                                                     domain=cleaned.get("domain"))
                        if refusal:
                            raise forms.ValidationError(refusal)
                    return cleaned

            kwargs["form"] = AddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["admin_unit", "domain", "department"]
        return list(self.readonly_fields)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not user.is_superuser and user.department_id:
            if db_field.name == "department":
                kwargs["queryset"] = Department.objects.filter(pk=user.department_id)
            elif db_field.name == "admin_unit":
                # A township office keeps its villages' catalogues (村(居)务公开) too.
                kwargs["queryset"] = selectors.catalogue_units_for(user=user)
            elif db_field.name == "domain" and not user.groups.filter(name=Role.DISCLOSURE_OFFICER).exists():
                # A village committee's officer keeps its 村(居)务公开 only.
                kwargs["queryset"] = Domain.objects.filter(kind=DomainKind.VILLAGE_AFFAIRS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a catalogue's own page is edited: entries and transitions have their own views
        created = services.catalogue_create(actor=request.user, admin_unit=obj.admin_unit, domain=obj.domain,
                                            department=obj.department)
        obj.pk = created.pk

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    # ---- extra views ---------------------------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("coverage/", view(self.coverage_view), name="disclosure_catalogue_coverage"),
            path("coverage.xlsx", view(self.coverage_xlsx_view), name="disclosure_catalogue_coverage_xlsx"),
            path("<path:object_id>/import/", view(self.import_view), name="disclosure_catalogue_import"),
            path("<path:object_id>/import/<int:import_id>/apply/", view(self.import_apply_view),
                 name="disclosure_catalogue_import_apply"),
            path("<path:object_id>/template.xlsx", view(self.template_view), name="disclosure_catalogue_template"),
            path("<path:object_id>/versions/<int:number>/", view(self.version_view),
                 name="disclosure_catalogue_version"),
            path("<path:object_id>/entries/<int:entry_id>/comment/", view(self.comment_view),
                 name="disclosure_catalogue_comment"),
            *super().get_urls(),
        ]

    def _catalogue(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            comments = {}
            for comment in selectors.round_comments(catalogue=obj):
                comments.setdefault(comment.entry_id, []).append(comment)
            entries = list(selectors.entries_working(catalogue=obj, include_retired=True).select_related("updated_by"))
            for entry in entries:
                entry.round_comments = comments.get(entry.pk, [])
            extra.update({
                "may_edit": selectors.officer_may_edit(user=request.user, catalogue=obj),
                "may_comment": self._may_comment(request, obj),
                "entries": entries,
                "versions": obj.versions.select_related("published_by").order_by("-number"),
                # What publishing would change, while there is something to publish.
                "pending": (selectors.pending_diff(catalogue=obj)
                            if obj.status != CatalogueStatus.PUBLISHED else None),
            })
        return super().change_view(request, object_id, form_url, extra)

    def _coverage(self, request):
        """检查验收 for the government offices (their unit and every unit below it) and superusers."""
        user = request.user
        if not (user.is_superuser or user.groups.filter(name=Role.DISCLOSURE_REVIEWER).exists()):
            raise Http404
        return selectors.coverage_report(units=selectors.coverage_units(user=user))

    def coverage_view(self, request):
        report = self._coverage(request)
        return TemplateResponse(request, "admin/disclosure/catalogue/coverage.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Catalogue coverage (检查验收)"), "report": report})

    def coverage_xlsx_view(self, request):
        from .reports import coverage_xlsx

        report = self._coverage(request)
        response = HttpResponse(coverage_xlsx(report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename=disclosure-coverage-{report['today']:%Y%m%d}.xlsx"
        return response

    def changelist_view(self, request, extra_context=None):
        user = request.user
        may_cover = user.is_superuser or user.groups.filter(name=Role.DISCLOSURE_REVIEWER).exists()
        return super().changelist_view(request, {**(extra_context or {}), "may_see_coverage": may_cover})

    def _may_comment(self, request, obj) -> bool:
        from apps.workflow.selectors import actor_has_case_role

        return obj.status == CatalogueStatus.SUBMITTED and actor_has_case_role(
            user=request.user, obj=obj, roles={Role.DISCLOSURE_REVIEWER})

    def comment_view(self, request, object_id, entry_id):
        """The reviewer's comment on one entry under review (services.entry_comment_add)."""
        obj = self._catalogue(request, object_id)
        entry = selectors.entries_working(catalogue=obj).filter(pk=entry_id).first()
        if entry is None or not self._may_comment(request, obj):
            raise Http404
        form = CommentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.entry_comment_add(actor=request.user, entry=entry, text=form.cleaned_data["text"])
            except WorkflowError as error:
                form.add_error("text", str(error))
            else:
                self.message_user(request, _("Your comment on “%(entry)s” is kept; the agency reads it with your "
                                             "decision.") % {"entry": entry}, messages.SUCCESS)
                return redirect(reverse("admin:disclosure_catalogue_change", args=[obj.pk]) + f"#entry-{entry.pk}")
        before = None
        if obj.current_version_id:
            before = obj.current_version.entries.filter(key=entry.key).first()
        return TemplateResponse(request, "admin/disclosure/catalogue/comment.html", self._context(
            request, obj, _("Comment on an entry"), form=form, entry=entry,
            changes=selectors.fields_changed(before, entry) if before is not None else None,
            comments=selectors.round_comments(catalogue=obj).filter(entry=entry)))

    def get_transition_context(self, request, obj, transition, form):
        """What the reviewer judges: the working entries (listed on the catalogue's page) and the version they
        replace."""
        from django.template.loader import render_to_string

        if transition.name not in ("submit", "publish", "return"):
            return {}
        count = selectors.entries_working(catalogue=obj).count()
        current = (_("Compared with the published version v%(number)s, which the public sees now:")
                   % {"number": obj.current_version.number} if obj.current_version_id else
                   _("Nothing of this catalogue is published yet: every entry is new."))
        diff = render_to_string("admin/disclosure/catalogue/_diff.html", {
            "diff": selectors.pending_diff(catalogue=obj), "original": obj,
            "may_comment": self._may_comment(request, obj)}, request=request)
        comments = list(selectors.round_comments(catalogue=obj))
        return {"judged_title": _("What publishing changes"), "judged": format_html(
            '<p><a href="{}#entries">{}</a></p><p>{}</p>{}{}',
            reverse("admin:disclosure_catalogue_change", args=[obj.pk]),
            _("%(count)s entries in force — read them on the catalogue's page") % {"count": count}, current, diff,
            render_to_string("admin/disclosure/catalogue/_comments.html", {"comments": comments}, request=request)
            if comments else "")}

    def _context(self, request, obj, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "original": obj, "title": title,
                **extra}

    def import_view(self, request, object_id):
        obj = self._catalogue(request, object_id)
        if not selectors.officer_may_edit(user=request.user, catalogue=obj):
            raise Http404
        form = ImportForm(request.POST or None, request.FILES or None)
        table = record = plan = None
        if request.method == "POST" and form.is_valid():
            try:
                record, table = services.catalogue_import_preview(actor=request.user, catalogue=obj,
                                                                  upload=form.cleaned_data["file"])
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                if record is not None:
                    plan = selectors.import_plan(catalogue=obj, rows=table.rows)
        notes = {}
        for note in (table.notes if table is not None else []):
            notes.setdefault(note.row, []).append(note)
        return TemplateResponse(request, "admin/disclosure/catalogue/import.html", self._context(
            request, obj, _("Import a table"), form=form, table=table, record=record, plan=plan,
            preview=[{**item, "notes": notes.get(item["row"]["row"], [])} for item in plan["rows"][:500]]
            if plan else None))

    def import_apply_view(self, request, object_id, import_id):
        obj = self._catalogue(request, object_id)
        if request.method != "POST":
            return redirect(reverse("admin:disclosure_catalogue_import", args=[obj.pk]))
        record = CatalogueImport.objects.filter(pk=import_id, catalogue=obj).first()
        if record is None:
            raise Http404
        try:
            summary = services.catalogue_import_apply(actor=request.user, record=record)
        except ImportInvalid as error:
            for message in error.messages[:20]:
                self.message_user(request, message, messages.ERROR)
            return redirect(reverse("admin:disclosure_catalogue_import", args=[obj.pk]))
        except WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(reverse("admin:disclosure_catalogue_change", args=[obj.pk]))
        self.message_user(request, _("Imported: %(added)d added, %(updated)d changed, %(retired)d retired.")
                          % summary, messages.SUCCESS)
        return redirect(reverse("admin:disclosure_catalogue_change", args=[obj.pk]))

    def template_view(self, request, object_id):
        from .tables import xlsx_bytes

        obj = self._catalogue(request, object_id)
        entries = selectors.entries_working(catalogue=obj)
        response = HttpResponse(xlsx_bytes(title=obj.title, entries=entries),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename=catalogue-{obj.pk}-working.xlsx"
        return response

    def version_view(self, request, object_id, number):
        obj = self._catalogue(request, object_id)
        try:
            version = obj.versions.get(number=number)
        except CatalogueVersion.DoesNotExist:
            raise Http404 from None
        previous = obj.versions.filter(number__lt=number).order_by("-number").first()
        diff = selectors.version_diff(old=previous, new=version)
        return TemplateResponse(request, "admin/disclosure/catalogue/version.html", self._context(
            request, obj, _("Version %(number)d") % {"number": number}, version=version, previous=previous,
            diff=diff))


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = ("position", "category_l1", "category_l2", "catalogue", "mode", "audience", "retired_display")
    list_display_links = ("position", "category_l1")
    list_filter = ("mode", "audience", ("retired_at", admin.EmptyFieldListFilter))
    list_select_related = ("catalogue__admin_unit", "catalogue__domain")
    search_fields = ("category_l1", "category_l2")
    # The columns of 附件3 in their order: what the entry says, then (from 公开渠道和载体 on) how it is disclosed.
    fieldsets = (
        (None, {"fields": ("catalogue", *COLUMN_FIELDS[:COLUMN_FIELDS.index("channels")])}),
        (_("How it is disclosed"), {"fields": COLUMN_FIELDS[COLUMN_FIELDS.index("channels"):]}),
    )
    change_form_template = "admin/disclosure/entry/change_form.html"

    def get_queryset(self, request):
        catalogues = selectors.catalogue_list_for_staff(user=request.user).values("pk")
        return super().get_queryset(request).filter(catalogue__in=catalogues)

    @admin.display(description=_("retired"), boolean=False)
    def retired_display(self, obj):
        return format_html("<span title='{}'>{}</span>", obj.retired_reason, _("retired")) if obj.retired_at else ""

    def _require_visible(self, request, object_id):
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._require_visible(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        catalogue_id = request.GET.get("catalogue")
        if catalogue_id:
            catalogue = selectors.catalogue_list_for_staff(user=request.user).filter(pk=catalogue_id).first()
            if catalogue is not None:
                initial.setdefault("publisher", catalogue.department.full_name or catalogue.department.name)
                initial.setdefault("enquiry_phone", catalogue.department.phone)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "catalogue":
            kwargs["queryset"] = (selectors.catalogue_list_for_staff(user=request.user)
                                  .filter(department=request.user.department_id) if not request.user.is_superuser
                                  else Catalogue.objects.all()).select_related("admin_unit", "domain")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("catalogue",) if obj is not None else ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (the reviewer, a retired entry): the channels as the table writes them, not their codes.
        return [(name, {**options, "fields": [("channels_display" if field == "channels" else field)
                                              for field in options["fields"]]})
                for name, options in fieldsets]

    @admin.display(description=_("Channels and carriers"))
    def channels_display(self, obj):
        return channels_text(obj.channel_codes, obj.channels_other)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.retired_at is None and selectors.officer_may_edit(user=request.user, catalogue=obj.catalogue)

    def has_delete_permission(self, request, obj=None):
        return False  # entries are retired with a reason, never deleted: their history stays

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class CheckedForm(form_class):
            def clean(self):
                data = super().clean()
                catalogue = obj.catalogue if obj is not None else data.get("catalogue")
                if catalogue is not None and not selectors.officer_may_edit(user=user, catalogue=catalogue):
                    raise forms.ValidationError(_("This catalogue cannot be edited now (it is under review, or it "
                                                  "belongs to another agency)."))
                return data

        return CheckedForm

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in form.cleaned_data if name != "catalogue"}
        try:
            saved = services.entry_save(actor=request.user, catalogue=obj.catalogue, data=data,
                                        entry=obj if change else None)
        except (WorkflowError, EntryInvalid) as error:
            # The form was checked a moment ago; the catalogue changed state since (submitted by a colleague).
            request.entry_refused = str(error)
            return
        obj.pk = saved.pk

    def _refused(self, request, obj):
        refused = getattr(request, "entry_refused", None)
        if refused:
            self.message_user(request, refused, messages.ERROR)
            return redirect(reverse("admin:disclosure_catalogue_change", args=[obj.catalogue_id]))
        return None

    def log_addition(self, request, obj, message):
        return None if getattr(request, "entry_refused", None) else super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        return None if getattr(request, "entry_refused", None) else super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if (refused := self._refused(request, obj)) is not None:
            return refused
        if "_addanother" not in request.POST and "_continue" not in request.POST:
            return redirect(reverse("admin:disclosure_catalogue_change", args=[obj.catalogue_id]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if (refused := self._refused(request, obj)) is not None:
            return refused
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, _("Saved: %(entry)s") % {"entry": obj}, messages.SUCCESS)
            return redirect(reverse("admin:disclosure_catalogue_change", args=[obj.catalogue_id]))
        return super().response_change(request, obj)

    def get_urls(self):
        return [path("<path:object_id>/retire/", self.admin_site.admin_view(self.retire_view),
                     name="disclosure_entry_retire"), *super().get_urls()]

    def retire_view(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None or not self.has_change_permission(request, entry):
            raise Http404
        form = RetireForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.entry_retire(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Retired: %(entry)s") % {"entry": entry}, messages.SUCCESS)
                return redirect(reverse("admin:disclosure_catalogue_change", args=[entry.catalogue_id]))
        return TemplateResponse(request, "admin/disclosure/entry/retire.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": entry, "form": form,
            "title": _("Retire entry")})


# The dashboard's queues (apps.core.dashboard): each count is the list behind its link.
for _name, _roles in (("to_review", {Role.DISCLOSURE_REVIEWER}), ("returned", KEEPER_ROLES),
                      ("drafts", KEEPER_ROLES)):
    queue_register(Queue(
        name=f"disclosure.{_name}", label={"to_review": _("Catalogues to review"),
                                           "returned": _("Catalogues returned to us"),
                                           "drafts": _("Catalogue drafts not yet submitted")}[_name],
        roles=frozenset(_roles), base=selectors.catalogue_list_for_staff,
        condition=lambda user, name=_name: selectors.catalogue_queue_conditions(user=user)[name][1],
        changelist="admin:disclosure_catalogue_changelist", query=f"queue={_name}",
        section=_("Disclosure catalogues"), alert=_name == "returned"))
