"""Where a notification or a deadline points: one helper for every app."""
from django.urls import reverse


def admin_change_url(obj) -> str:
    """The object's page in the back office."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
