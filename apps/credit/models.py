"""失信记录: one record of a citizen or enterprise put on a dishonesty list — by an outside listing (信用中国) or by a
decision of the city (a commitment found false, 告知承诺制). Every service that acts on dishonesty reads this record:
the honor showcase revokes an enterprise through it, whatever put the enterprise there (issue 15)."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DishonestyRecord(models.Model):
    subject_code = models.CharField(_("ID number or credit code"), max_length=18, db_index=True)
    subject_name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200,
                              help_text=_("Where the listing comes from, e.g. 信用中国 严重失信主体名单, or the decision "
                                          "that found a commitment false."))
    listed_on = models.DateField(_("listed on"))
    reason = models.TextField(_("reason"))
    # What put it there, when it is a case of the portal (a showcase revoked, an application's false commitment).
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_id = models.CharField(max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    department = models.ForeignKey("organizations.Department", verbose_name=_("recorded by department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dishonesty record")
        verbose_name_plural = _("dishonesty records")
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.subject_name} · {self.listed_on}"
