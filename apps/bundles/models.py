from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.applications.constants import Channel

from .constants import BundleStatus


class Bundle(models.Model):
    """一件事: a declared set of service items a person or an enterprise applies for at once (开办餐饮店, 新生儿出生 …)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    audience = models.CharField(_("for"), max_length=16,
                                choices=[("citizen", _("Citizens")), ("enterprise", _("Enterprises")),
                                         ("both", _("Citizens and enterprises"))], default="both")
    description = models.TextField(_("description"), blank=True)
    life_events = models.ManyToManyField("catalogue.LifeEvent", verbose_name=_("life events"), blank=True,
                                         related_name="bundles")
    # 牵头部门: the department that coordinates the bundle and issues its combined result notice.
    lead_department = models.ForeignKey("organizations.Department", verbose_name=_("lead department"),
                                        on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BundleItem(models.Model):
    """One service item of a bundle, in order; ``needs``: the item whose result (licence) it waits for."""

    bundle = models.ForeignKey(Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("service item"), on_delete=models.PROTECT,
                                related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    needs = models.ForeignKey("self", verbose_name=_("waits for the result of"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="dependants")

    class Meta:
        verbose_name = _("bundle item")
        verbose_name_plural = _("bundle items")
        ordering = ["bundle", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "service"], name="bundle_item_once")]

    def __str__(self):
        return str(self.service)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.needs_id is not None:
            # The item needed comes before (a declared order, so no cycle), in the same bundle.
            if self.needs.bundle_id != self.bundle_id or (self.needs.order, self.needs.pk or 0) >= (
                    self.order, self.pk or 10**9):
                raise ValidationError({"needs": _("An item can only wait for an earlier item of the same bundle.")})


class BundleApplication(models.Model):
    """The applicant's one submission for a bundle: one form, one set of materials, one reference; it fans out into
    one Application per item (Application.bundle)."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True, blank=True)
    bundle = models.ForeignKey(Bundle, verbose_name=_("bundle"), on_delete=models.PROTECT, related_name="applications")
    # A copy of bundle.lead_department: who may see it in the back office (the workflow's department scoping).
    department = models.ForeignKey("organizations.Department", verbose_name=_("lead department"),
                                   on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"),
                                  on_delete=models.PROTECT, related_name="bundle_applications")
    status = models.CharField(_("status"), max_length=16, choices=BundleStatus.choices, default=BundleStatus.DRAFT)
    # The facts asked once, copied onto every item's application when it is submitted.
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_code = models.CharField(_("ID number / credit code"), max_length=18)
    phone = models.CharField(_("mobile phone"), max_length=11)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("what you apply for"), blank=True)
    # The keys (see selectors.bundle_material_key) of the conditional materials whose situation applies.
    conditions_met = models.JSONField(_("conditional materials that apply"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="bundle_applications_as_agent")
    agent_relation = models.CharField(_("agent's relation to the applicant"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bundle application")
        verbose_name_plural = _("bundle applications")
        indexes = [models.Index(fields=["applicant", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "bundle"], condition=models.Q(status="draft"),
                                    name="bundle_one_draft_per_applicant"),
        ]

    def __str__(self):
        return f"{self.reference or _('draft')} {self.bundle.name}"


class BundleReferenceSequence(models.Model):
    """Per-day counter of bundle references (YJS-20261201-000001-7KQ3)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)
