from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import PARENT_LEVEL, AdminLevel


class AdminUnit(models.Model):
    """A unit of the administrative tree 市 → 县区 → 乡镇街道 → 村社区."""

    code = models.CharField(_("division code"), max_length=12, unique=True, help_text=_("统计用区划代码"))
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=AdminLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    def clean(self):
        expected = PARENT_LEVEL.get(self.level)
        actual = self.parent.level if self.parent_id else None
        if expected != actual:
            raise ValidationError({"parent": _("A unit of this level must sit under a unit of the level above it.")})

    def ancestors(self):
        """From the city down to this unit's parent (at most three queries: the tree is four levels deep)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self):
        return "".join(unit.name for unit in [*self.ancestors(), self])


class Department(models.Model):
    """A department (部门/委办局) of an administrative unit's government, or a township's office."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("Short name as used in documents, e.g. 市商务局"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="departments"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["admin_unit__code", "code"]

    def __str__(self):
        return self.name
