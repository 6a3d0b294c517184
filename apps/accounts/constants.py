from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")
    STAFF = "staff", _("Staff")


class IdentityMethod(models.TextChoices):
    """How an account's real name was verified (实名核验, ADR 0011): the ID card seen at a service window, or the
    national online identity service (a check outside the city: IDENTITY_CHECK_BACKEND)."""

    WINDOW = "window", _("At a service window, with the ID card")
    ONLINE = "online", _("Online identity authentication")
