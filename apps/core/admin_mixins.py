from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404

from apps.organizations.selectors import queryset_for_department


class HiddenOutsideQuerysetMixin:
    """An object outside the admin's ``get_queryset`` answers 404 on every object view, never Django's redirect
    with "doesn't exist" (CONVENTIONS 4). For admins whose scoping is a selector of their own."""

    def _require_visible(self, request, object_id):
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_visible(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)


class DepartmentScopedAdminMixin(HiddenOutsideQuerysetMixin):
    """Limit an admin's rows to the user's own department (and guardian-granted objects).

    Set ``department_field`` to the lookup from the model to its Department (``"department"``,
    ``"service__department"``…). Another department's object answers 404 on every admin view, never a page that
    confirms it exists.
    """

    department_field = "department"
    guardian_perm = None  # e.g. "applications.view_application" to add objects granted one by one

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return queryset_for_department(
            user=request.user, queryset=qs, department_field=self.department_field, perm=self.guardian_perm
        )


class ReadOnlyAdminMixin:
    """Records that change only through services (transitions, clock actions): nobody adds, edits or deletes them
    in the admin, superusers included; viewing is left to the model's view permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter with a default choice (the work to do) instead of “all”; an explicit status filter wins.
    Subclasses set ``default`` and ``choices_q``: each choice's value → (its label, the Q it applies, or None)."""

    default = ""
    choices_q: dict = {}

    @property
    def current(self):
        return self.value() if self.value() in self.choices_q else self.default

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _q) in self.choices_q.items()]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": self.current == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        condition = self.choices_q[self.current][1]
        if "status__exact" in request.GET or condition is None:
            return queryset
        return queryset.filter(condition)


class LabelledListEditableMixin:
    """Each field of a ``list_editable`` row gets an accessible name: Django's changelist renders those inputs in
    table cells with no ``<label>``, so a screen reader announced a bare select or checkbox (axe ``label`` and
    ``select-name``, critical; WCAG 4.1.2). The name says the column and the row, e.g. “审查部门 · 高新技术企业”."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledRowForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                if self.instance.pk is None:
                    return
                for field in self.fields.values():
                    # The admin wraps a foreign key's select (RelatedFieldWidgetWrapper): the inner widget renders.
                    widget = getattr(field.widget, "widget", field.widget)
                    widget.attrs = {**widget.attrs, "aria-label": f"{field.label} · {self.instance}"}

        return LabelledRowForm
