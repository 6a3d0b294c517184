"""政务公开事项标准目录 (本政办发〔2020〕28号, 附件3).

A ``Catalogue`` is what one government unit discloses in one domain. Its officers edit the working ``Entry`` rows;
each publication by a reviewer freezes them into an immutable ``CatalogueVersion`` with its ``PublishedEntry`` rows.
The public only ever reads published rows (``is_current`` marks the latest version's).
"""
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.attachments.models import private_storage

from .constants import AffairsGroup, Audience, CatalogueStatus, DomainKind, Mode, TimeLimitKind, TimeLimitUnit


class Domain(models.Model):
    """试点领域 (附件1), or 村(居)务公开."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DomainKind.choices, default=DomainKind.PILOT)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    agencies = models.ManyToManyField(
        "organizations.Department", verbose_name=_("responsible agencies"), blank=True, related_name="+",
        help_text=_("The city agencies that lead this domain (附件1)."))

    class Meta:
        verbose_name = _("disclosure domain")
        verbose_name_plural = _("disclosure domains")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Catalogue(models.Model):
    admin_unit = models.ForeignKey("organizations.AdminUnit", verbose_name=_("government unit"),
                                   on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="catalogues")
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("maintaining agency"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Its disclosure officers edit this catalogue."))
    reviewing_department = models.ForeignKey(
        "organizations.Department", verbose_name=_("reviewing office"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Its disclosure reviewers publish this catalogue (the government office of the unit)."))
    status = models.CharField(_("status"), max_length=16, choices=CatalogueStatus.choices,
                              default=CatalogueStatus.DRAFT)
    current_version = models.ForeignKey("CatalogueVersion", verbose_name=_("published version"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When it was last submitted for review: the reviewer's comments since then are this round's.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure catalogue")
        verbose_name_plural = _("disclosure catalogues")
        ordering = ["admin_unit__code", "domain__position"]
        constraints = [models.UniqueConstraint(fields=["admin_unit", "domain"], name="disclosure_catalogue_unique")]

    def __str__(self):
        return f"{self.admin_unit.name}{self.domain.name}领域政务公开事项标准目录" if self.domain.kind == DomainKind.PILOT \
            else f"{self.admin_unit.name}{self.domain.name}目录"

    @property
    def title(self):
        return str(self)


class EntryFields(models.Model):
    """The columns of 附件3, shared by the working entry and the published one (their order, headers and rules are
    declared in ``columns.COLUMNS``)."""

    key = models.UUIDField(_("identity"), default=uuid.uuid4, editable=False,
                           help_text=_("Stays the same across versions, so that versions can be compared."))
    position = models.PositiveIntegerField(_("No."))
    category_l1 = models.CharField(_("Level-1 item"), max_length=200)
    category_l2 = models.CharField(_("Level-2 item"), max_length=200, blank=True)
    content_elements = models.TextField(_("Content (elements)"))
    basis = models.TextField(_("Basis"))
    time_limit = models.CharField(_("Time limit"), max_length=300)
    # Read from the text (validators.time_limit_parse): what kind of limit, and that kind's numbers only.
    time_limit_kind = models.CharField(_("time limit kind"), max_length=16, choices=TimeLimitKind.choices,
                                       blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"), null=True, blank=True,
                                                       help_text=_("Read from the text, e.g. 20个工作日内 → 20."))
    time_limit_unit = models.CharField(_("time limit unit"), max_length=16, choices=TimeLimitUnit.choices,
                                       blank=True)
    time_limit_month = models.PositiveSmallIntegerField(_("time limit month"), null=True, blank=True,
                                                        help_text=_("每年3月31日前 → 3."))
    time_limit_day = models.PositiveSmallIntegerField(_("time limit day"), null=True, blank=True,
                                                      help_text=_("每年3月31日前 → 31; 每月10日前 → 10."))
    publisher = models.CharField(_("Publisher"), max_length=200)
    responsible_section = models.CharField(_("Responsible section"), max_length=200)
    channels = models.CharField(_("Channels and carriers"), max_length=200,
                                help_text=_("Channel codes separated by commas."))
    channels_other = models.CharField(_("other channel"), max_length=200, blank=True)
    audience = models.CharField(_("Audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC)
    audience_group = models.CharField(_("specific group"), max_length=200, blank=True)
    mode = models.CharField(_("Mode of disclosure"), max_length=16, choices=Mode.choices, default=Mode.PROACTIVE)
    enquiry_phone = models.CharField(_("Enquiry telephone"), max_length=100)
    affairs_group = models.CharField(_("five affairs group"), max_length=16, choices=AffairsGroup.choices,
                                     blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return " / ".join(p for p in (self.category_l1, self.category_l2) if p)

    @property
    def channel_codes(self) -> list[str]:
        return [c for c in self.channels.split(",") if c]


class Entry(EntryFields):
    """A working row, edited by the agency's officers; the public never reads it."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE,
                                  related_name="entries")
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_reason = models.TextField(_("reason for retiring"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("disclosure entry")
        verbose_name_plural = _("disclosure entries")
        ordering = ["catalogue", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "key"], name="disclosure_entry_key_unique")]


class CatalogueVersion(models.Model):
    """One publication: immutable once written."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("catalogue"), on_delete=models.PROTECT,
                                  related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    note = models.TextField(_("note"), blank=True)
    pdf = models.FileField(_("PDF table"), upload_to="disclosure/", blank=True, storage=private_storage)
    # A version never changes: its xlsx is written once and served from then on (2 s for 5,000 entries).
    xlsx = models.FileField(_("xlsx table"), upload_to="disclosure/", blank=True, storage=private_storage)

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["catalogue", "-number"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "number"], name="disclosure_version_unique")]

    def __str__(self):
        return f"{self.catalogue} v{self.number}"


class PublishedEntry(EntryFields):
    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="entries")
    # Copies for the public filters and search (the published rows are read far more than written).
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    admin_unit = models.ForeignKey("organizations.AdminUnit", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=16)
    is_current = models.BooleanField(default=True)
    search_tokens = models.TextField(blank=True, help_text="jieba tokens for the full-text index")
    # PostgreSQL: the tokens as a stored tsvector (GIN index, migration 0002). Stored, not computed per row: when the
    # planner walks another index for the ORDER BY, testing a stored vector costs little (measured in bench/).
    search_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = _("published entry")
        verbose_name_plural = _("published entries")
        ordering = ["version", "position", "id"]
        indexes = [
            models.Index(fields=["version", "position"], name="disclosure_pub_version_pos"),
            models.Index(fields=["is_current", "level", "domain"], name="disclosure_pub_current"),
            # The public search's order (catalogue, position) within a level or a domain: a filtered search walks
            # its own rows in order instead of skipping the others' (issue 18 item 6, docs/benchmarks.md).
            models.Index(fields=["level", "catalogue", "position", "id"], condition=models.Q(is_current=True),
                         name="disclosure_pub_level_order"),
            models.Index(fields=["domain", "catalogue", "position", "id"], condition=models.Q(is_current=True),
                         name="disclosure_pub_domain_order"),
        ]


class EntryComment(models.Model):
    """The reviewer's comment on one entry of a catalogue under review (read by the agency with the return)."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE,
                                  related_name="comments")
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on an entry")
        verbose_name_plural = _("comments on entries")
        ordering = ["catalogue", "created_at"]
        indexes = [models.Index(fields=["catalogue", "created_at"], name="disclosure_comment_round")]

    def __str__(self):
        return self.text[:50]


def _import_name(instance, filename):
    return f"disclosure-imports/{uuid.uuid4().hex}.xlsx"


class CatalogueImport(models.Model):
    """An uploaded workbook, kept between its preview and its confirmation (and afterwards, as a record)."""

    catalogue = models.ForeignKey(Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE,
                                  related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(_("file"), storage=private_storage, upload_to=_import_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at"]
