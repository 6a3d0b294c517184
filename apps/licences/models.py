"""电子证照库: licences issued by the city's departments (or registered by the department that issued them elsewhere),
held by a citizen (ID number) or an enterprise (credit code), reused so that nobody fetches a paper the government
already holds (免提交)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import HolderKind, LicenceState, LicenceStatus


class LicenceKind(models.Model):
    """A kind of licence (营业执照, 食品经营许可证 …): the catalogue the departments and the service items refer to."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    holder = models.CharField(_("held by"), max_length=16, choices=HolderKind.choices, default=HolderKind.ENTERPRISE)
    issuing_department = models.ForeignKey("organizations.Department", verbose_name=_("usual issuing department"),
                                           null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    validity_years = models.PositiveSmallIntegerField(_("valid for (years)"), null=True, blank=True,
                                                      help_text=_("Empty: valid without a time limit (长期)."))
    number_prefix = models.CharField(_("number prefix"), max_length=10, blank=True,
                                     help_text=_("Numbers issued here start with it, e.g. JY for 食品经营许可证."))

    class Meta:
        verbose_name = _("kind of licence")
        verbose_name_plural = _("kinds of licence")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Licence(models.Model):
    kind = models.ForeignKey(LicenceKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="licences")
    number = models.CharField(_("licence number"), max_length=40)
    holder_code = models.CharField(_("holder's ID number or credit code"), max_length=18, db_index=True)
    holder_name = models.CharField(_("holder"), max_length=200)
    # The holder's account when one is known (the applicant, or an account with the holder's code): the owner that
    # the workflow's door recognises. 我的证照 lists by code, so a licence registered before the account shows too.
    holder_account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("holder account"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="licences")
    issuing_department = models.ForeignKey("organizations.Department", verbose_name=_("issuing department"),
                                           on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: 长期有效."))
    status = models.CharField(_("status"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    application = models.ForeignKey("applications.Application", verbose_name=_("issued on application"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.Document", verbose_name=_("licence PDF"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="licence_number_unique")]
        indexes = [models.Index(fields=["holder_code", "kind"], name="licence_holder_kind")]

    def __str__(self):
        return f"{self.kind.name} {self.number}"

    def state(self, on=None) -> str:
        """What the licence is on ``on`` (today by default): its stored status, or expired past its validity."""
        on = on or timezone.localdate()
        if self.status == LicenceStatus.VALID and self.valid_until is not None and self.valid_until < on:
            return LicenceState.EXPIRED
        return self.status

    @property
    def state_label(self) -> str:
        return LicenceState(self.state()).label


class LicenceUse(models.Model):
    """免提交: an application's material filled from a licence (the clerk reads the licence record, not a copy)."""

    licence = models.ForeignKey(Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="uses")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="licence_uses")
    material = models.ForeignKey("catalogue.Material", verbose_name=_("material"), on_delete=models.PROTECT,
                                 related_name="+")
    used_at = models.DateTimeField(_("used"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence used by an application")
        verbose_name_plural = _("licences used by applications")
        constraints = [models.UniqueConstraint(fields=["application", "material"], name="licence_use_once")]
