"""电子证照: the kinds of licence, their states, and the document kind of a licence's PDF."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen (ID number)")
    ENTERPRISE = "enterprise", _("Enterprise or organisation (credit code)")
    EITHER = "either", _("Either")


class LicenceStatus(models.TextChoices):
    """The stored state. “Expired” is not stored: a valid licence past its valid-until date reads as expired."""

    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class LicenceState(models.TextChoices):
    """What a licence is today (the stored state, with expiry applied)."""

    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


LICENCE_DOCUMENT = "licence"
