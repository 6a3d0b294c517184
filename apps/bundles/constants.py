from django.db import models
from django.utils.translation import gettext_lazy as _


class BundleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, items in progress")
    COMPLETED = "completed", _("Completed: every item has ended")


class DocumentKinds:
    RESULT = "bundle_result_notice"  # 一件事办理结果告知书: every item, its outcome and its licence
    ALL = [(RESULT, _("Combined result notice (bundle)"), "盘政服一件事字")]
