from .models import Notification


def notification_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user):
    return Notification.objects.filter(recipient=user)
