from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from apps.outbox.services import outbox_enqueue

from .models import Notification


@dataclass(frozen=True)
class Message:
    recipients: Iterable
    title: str
    body: str = ""
    url: str = ""
    email: bool = True
    sms: bool = False


def notify(*, recipients: Iterable, title: str, body: str = "", url: str = "", email: bool = True,
           sms: bool = False) -> list[Notification]:
    """Put a message in each recipient's inbox now (in the caller's transaction) and deliver e-mail / SMS from a
    Celery task once that transaction has committed."""
    return notify_many(messages=[Message(recipients, title, body, url, email, sms)])


def notify_many(*, messages: Iterable[Message]) -> list[Notification]:
    """Many messages at once (the deadline sweep): one insert, one delivery task after commit."""
    rows = []
    for message in messages:
        users = {user.pk: user for user in message.recipients if user is not None and getattr(user, "is_active", True)}
        rows += [
            Notification(recipient_id=pk, title=str(message.title)[:200], body=str(message.body), url=message.url,
                         send_email=message.email and bool(user.email),
                         send_sms=message.sms and bool(getattr(user, "phone", "")))
            for pk, user in users.items()
        ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    ids = [n.pk for n in created if n.send_email or n.send_sms]
    if ids:
        from .tasks import notifications_deliver

        outbox_enqueue(notifications_deliver, ids)
    return created


def notification_mark_read(*, user, notification_id: int) -> bool:
    return bool(Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_deliver_now(*, ids: list[int]) -> None:
    """Idempotent: each notification is e-mailed and texted at most once."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .sms import get_sms_backend

    for notification in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        user = notification.recipient
        if notification.send_email and notification.emailed_at is None and user.email:
            link = f"{settings.PORTAL_BASE_URL}{notification.url}" if notification.url else ""
            send_mail(notification.title, "\n\n".join(filter(None, [notification.body, link])), None, [user.email])
            Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if notification.send_sms and notification.sms_sent_at is None and user.phone:
            get_sms_backend().send(phone=user.phone, text=f"{notification.title} {notification.body}"[:300])
            Notification.objects.filter(pk=notification.pk, sms_sent_at__isnull=True).update(sms_sent_at=timezone.now())
