from django.contrib.admin.utils import unquote
from django.http import Http404

from apps.organizations.selectors import queryset_for_department


class DepartmentScopedAdminMixin:
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
