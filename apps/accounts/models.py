from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import AccountKind, IdentityMethod
from .validators import validate_credit_code, validate_id_number, validate_mobile


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


class User(AbstractUser):
    """Every person who logs in: citizens and enterprises on the public site, staff in the admin.

    Public users log in with their phone or e-mail; ``username`` is set from the phone for them. Staff belong to one
    department; their roles are groups (see organizations.constants.Role).
    """

    kind = models.CharField(_("account kind"), max_length=16, choices=AccountKind.choices, default=AccountKind.CITIZEN)
    phone = models.CharField(_("mobile phone"), max_length=11, null=True, blank=True, validators=[validate_mobile])
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    # 实名核验 (ADR 0011): until the person (or the enterprise's representative) is verified, the account holds no
    # licence of its ID number or credit code — anyone can type a number on the registration form.
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    identity_method = models.CharField(_("identity verified by"), max_length=16, blank=True,
                                       choices=IdentityMethod.choices)
    identity_verified_by = models.ForeignKey("self", verbose_name=_("verified by (staff)"), null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=Q(phone__isnull=False), name="user_phone_unique"),
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="user_email_unique"),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    @property
    def display_name(self):
        if self.kind == AccountKind.ENTERPRISE and hasattr(self, "enterprise_profile"):
            return self.enterprise_profile.name
        if self.kind == AccountKind.CITIZEN and hasattr(self, "citizen_profile"):
            return self.citizen_profile.real_name
        return self.get_full_name() or self.username


class CitizenProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    real_name = models.CharField(_("real name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True, validators=[validate_id_number])

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self):
        return self.real_name


class EnterpriseProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="enterprise_profile")
    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=11, validators=[validate_mobile])

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self):
        return self.name
