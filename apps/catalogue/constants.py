from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    LICENCE = "licence", _("Administrative licence")  # 行政许可
    BENEFIT = "benefit", _("Administrative benefit")  # 行政给付
    CONFIRMATION = "confirmation", _("Administrative confirmation")  # 行政确认
    PUBLIC_SERVICE = "public_service", _("Public service")  # 公共服务
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")  # 个人
    ENTERPRISE = "enterprise", _("Enterprises")  # 法人
    BOTH = "both", _("Citizens and enterprises")


class Visits(models.IntegerChoices):
    NONE = 0, _("Fully online (0 visits)")  # 全程网办
    ONE = 1, _("At most one visit")  # 最多跑一次
    MORE = 2, _("Two or more visits")


class OnlineDepth(models.IntegerChoices):
    INFORMATION = 1, _("Level 1: information online")
    FORMS = 2, _("Level 2: forms downloadable")
    APPLY = 3, _("Level 3: apply online")
    FULL = 4, _("Level 4: handled fully online")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Prepared by the applicant")
    GOVERNMENT = "government", _("Issued by a government department")
    OTHER = "other", _("Other")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    BOTH = "both", _("Original and copy")
    ELECTRONIC = "electronic", _("Electronic")


class SignOff(models.TextChoices):
    """Who signs an item's decision (承办 → 审核 → 批准); steps may be merged by the item's configuration."""

    CLERK = "clerk", _("The handling clerk decides")
    HEAD = "head", _("The clerk proposes, the department head approves")
    FULL = "full", _("The clerk proposes, the section head reviews, the department head approves")
