from django.contrib import admin

from .models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """For operators: what waits for the broker, and why (read-only)."""

    list_display = ("id", "task", "args", "created_at", "attempts", "available_at", "sent_at", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
