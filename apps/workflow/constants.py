from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    TRANSITION = "transition", _("State change")
    EDIT = "edit", _("Edit")
    COMMENT = "comment", _("Comment")
    DEADLINE = "deadline", _("Deadline")
