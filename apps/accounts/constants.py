from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")
    STAFF = "staff", _("Staff")
