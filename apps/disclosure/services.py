"""Writes of the disclosure catalogues. Every edit is recorded on the catalogue's timeline (动态管理: who changed
what, when); publication freezes the working entries into an immutable version."""
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.text import index_tokens
from apps.core.upsert import m2m_replace, upsert
from apps.notifications.services import notify
from apps.organizations.constants import AdminLevel, Role
from apps.core.links import admin_change_url
from apps.organizations.selectors import staff_with_role
from apps.outbox.services import outbox_enqueue
from apps.workflow.services import edit_record, timeline_record, transition_perform
from apps.workflow.spec import Reason
from apps.workflow.constants import EntryKind

from .columns import DATA_FIELDS, DERIVED_FIELDS
from .constants import CatalogueStatus, DomainKind
from .exceptions import CatalogueLocked, EntryInvalid, ImportInvalid
from .models import Catalogue, CatalogueImport, CatalogueVersion, Domain, Entry, EntryComment, PublishedEntry
from .selectors import catalogue_create_refusal, import_plan, officer_may_edit


@transaction.atomic
def domains_load(*, rows: list[dict]) -> int:
    """Upsert the domains (附件1) by code with their responsible agencies (department codes)."""
    from apps.organizations.models import Department

    domains = upsert(Domain, key="code", rows=[
        {"code": row["code"], "name": row["name"], "kind": row.get("kind", DomainKind.PILOT), "position": position}
        for position, row in enumerate(rows, start=1)])
    # An unknown agency code is left out, as Department.objects.filter(code__in=…) did.
    departments = dict(Department.objects.values_list("code", "pk"))
    m2m_replace(Domain.agencies.field, wanted={
        domains[row["code"]].pk: {departments[code] for code in row.get("agencies", []) if code in departments}
        for row in rows})
    return len(rows)


def reviewing_office_for(*, admin_unit):
    """The office that publishes a unit's catalogues: its government office; a village's, its township's."""
    from apps.organizations.models import Department

    unit = admin_unit.parent if admin_unit.level == AdminLevel.VILLAGE else admin_unit
    offices = Department.objects.filter(admin_unit=unit, is_active=True)
    return (offices.filter(name__contains="政府办公室").first() or offices.filter(name__endswith="办事处").first()
            or offices.filter(name__endswith="人民政府").first())


@transaction.atomic
def catalogue_create(*, actor, admin_unit, domain, department, reviewing_department=None) -> Catalogue:
    refusal = catalogue_create_refusal(user=actor, admin_unit=admin_unit, department=department, domain=domain)
    if refusal:
        raise CatalogueLocked(refusal)
    catalogue = Catalogue.objects.create(
        admin_unit=admin_unit, domain=domain, department=department,
        reviewing_department=reviewing_department or reviewing_office_for(admin_unit=admin_unit) or department)
    timeline_record(obj=catalogue, actor=actor, kind=EntryKind.EDIT, public_label=_("Catalogue created"))
    return catalogue


def _lock_for_edit(*, actor, catalogue: Catalogue) -> Catalogue:
    """Lock the catalogue; refuse unless ``actor`` may edit it now. A published catalogue opens a new draft (the
    public keeps reading the published version until the next publication)."""
    locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    if not officer_may_edit(user=actor, catalogue=locked):
        if locked.status == CatalogueStatus.SUBMITTED:
            raise CatalogueLocked(_("The catalogue is under review: it can be edited again once the reviewer "
                                    "publishes or returns it."))
        raise CatalogueLocked(_("You may not edit this catalogue."))
    if locked.status == CatalogueStatus.PUBLISHED:
        locked = transition_perform(actor=actor, obj=locked, name="revise")
    return locked


@transaction.atomic
def entry_save(*, actor, catalogue: Catalogue, data: dict, entry: Entry | None = None) -> Entry:
    """Add an entry, or change some of its fields. The entry is checked as a row of the official table (the rules of
    an import, ``tables.entry_check``; EntryInvalid names each error); the change is recorded field by field on the
    catalogue's timeline."""
    from .tables import entry_check

    catalogue = _lock_for_edit(actor=actor, catalogue=catalogue)
    if entry is not None:
        entry = Entry.objects.select_for_update().get(pk=entry.pk, catalogue=catalogue)
    data, errors = entry_check(entry=entry, data=data,
                               village=catalogue.domain.kind == DomainKind.VILLAGE_AFFAIRS)
    if errors:
        raise EntryInvalid(errors)
    if entry is None:
        if not data.get("position"):
            data["position"] = (Entry.objects.filter(catalogue=catalogue).aggregate(m=Max("position"))["m"] or 0) + 1
        entry = Entry.objects.create(catalogue=catalogue, updated_by=actor, **data)
        edit_record(actor=actor, obj=catalogue, changes={"entry": ("", str(entry))},
                    comment=_("Entry added: %(entry)s") % {"entry": entry})
        return entry
    changes = {f: (getattr(entry, f), v) for f, v in data.items() if getattr(entry, f) != v}
    for name, value in data.items():
        setattr(entry, name, value)
    entry.updated_by = actor
    entry.save()
    visible = {f: c for f, c in changes.items() if f not in DERIVED_FIELDS}
    if visible:
        edit_record(actor=actor, obj=catalogue, changes=visible,
                    comment=_("Entry changed: %(entry)s") % {"entry": entry})
    return entry


@transaction.atomic
def entry_retire(*, actor, entry: Entry, reason: str) -> Entry:
    """Retire an entry (动态管理): it leaves the next published version; the earlier versions keep it."""
    if not (reason or "").strip():
        raise CatalogueLocked(_("Give the reason for retiring the entry."))
    _lock_for_edit(actor=actor, catalogue=entry.catalogue)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.retired_at is None:
        entry.retired_at = timezone.now()
        entry.retired_reason = reason.strip()
        entry.updated_by = actor
        entry.save(update_fields=["retired_at", "retired_reason", "updated_by", "updated_at"])
        edit_record(actor=actor, obj=entry.catalogue, changes={"retired": ("", str(entry))},
                    comment=_("Entry retired: %(entry)s. Reason: %(reason)s") % {"entry": entry, "reason": reason})
    return entry


# ---- import ------------------------------------------------------------------------------------------------------

def catalogue_import_preview(*, actor, catalogue: Catalogue, upload) -> tuple[CatalogueImport, object]:
    """Keep the uploaded workbook and read it: the rows that would be written and every error (row, column).
    Nothing is written to the catalogue."""
    from .tables import table_read

    if not officer_may_edit(user=actor, catalogue=catalogue):
        raise CatalogueLocked(_("You may not edit this catalogue now."))
    table = table_read(upload, size=upload.size, domain_name=catalogue.domain.name,
                       village=catalogue.domain.kind == DomainKind.VILLAGE_AFFAIRS)
    record = None
    if table.ok:
        upload.seek(0)
        record = CatalogueImport.objects.create(catalogue=catalogue, uploaded_by=actor, file=upload,
                                                original_name=upload.name[:200], row_count=len(table.rows))
    return record, table


@transaction.atomic
def catalogue_import_apply(*, actor, record: CatalogueImport) -> dict:
    """Write a previewed import: entries matched by 一级事项 + 二级事项 are updated (their identity kept, so that the
    versions compare), new ones added, and working entries the table no longer lists are retired. Reads the stored
    file again; if anything fails, nothing is written."""
    from .tables import table_read

    # The catalogue (parent) before its import record (child): ADR 0003.
    catalogue = _lock_for_edit(actor=actor, catalogue=record.catalogue)
    record = CatalogueImport.objects.select_for_update().get(pk=record.pk)
    if record.applied_at is not None:
        raise ImportInvalid([_("This import has already been applied.")])
    with record.file.open("rb") as handle:
        table = table_read(handle, size=record.file.size, domain_name=catalogue.domain.name,
                           village=catalogue.domain.kind == DomainKind.VILLAGE_AFFAIRS)
    if not table.ok:
        raise ImportInvalid([str(e) for e in table.errors])
    plan = import_plan(catalogue=catalogue, rows=table.rows)
    to_create = []
    for item in plan["rows"]:
        entry = item["entry"]
        if entry is None:
            to_create.append(Entry(catalogue=catalogue, updated_by=actor, **item["data"]))
        elif item["stored"]:  # entries are written under their catalogue's lock, taken above
            for k, v in item["data"].items():
                setattr(entry, k, v)
            entry.updated_by = actor
            entry.save()
    Entry.objects.bulk_create(to_create, batch_size=500)
    now = timezone.now()
    reason = _("Not in the table imported on %(date)s.") % {"date": timezone.localdate(now).isoformat()}
    retired = (Entry.objects.filter(pk__in=[e.pk for e in plan["removed"]], retired_at__isnull=True)
               .update(retired_at=now, retired_reason=reason, updated_by=actor))
    added, updated = plan["counts"]["new"], plan["counts"]["changed"]
    record.applied_at = now
    record.save(update_fields=["applied_at"])
    summary = {"added": added, "updated": updated, "retired": retired}
    edit_record(actor=actor, obj=catalogue, changes={"import": ("", record.original_name)},
                comment=_("Imported %(name)s: %(added)d added, %(updated)d changed, %(retired)d retired.")
                % {"name": record.original_name, **summary})
    return summary


# ---- review ------------------------------------------------------------------------------------------------------

@transaction.atomic
def entry_comment_add(*, actor, entry: Entry, text: str) -> EntryComment:
    """The reviewer comments on one entry of a catalogue under review; the agency reads it on the catalogue's page
    and with the return (``on_review_step``)."""
    from apps.workflow.selectors import actor_has_case_role

    catalogue = Catalogue.objects.select_for_update().get(pk=entry.catalogue_id)
    if catalogue.status != CatalogueStatus.SUBMITTED:
        raise CatalogueLocked(_("Entries are commented on while the catalogue is under review."))
    if not actor_has_case_role(user=actor, obj=catalogue, roles={Role.DISCLOSURE_REVIEWER}):
        raise CatalogueLocked(_("Only the reviewing office comments on the entries under review."))
    text = (text or "").strip()
    if not text:
        raise CatalogueLocked(_("Write the comment."))
    if len(text) > 2000:
        raise CatalogueLocked(_("At most %(max)d characters.") % {"max": 2000})
    comment = EntryComment.objects.create(catalogue=catalogue, entry=entry, author=actor, text=text)
    timeline_record(obj=catalogue, actor=actor, kind=EntryKind.EDIT, public_label=_("Comment on an entry"),
                    internal_note=_("%(entry)s: %(comment)s") % {"entry": entry, "comment": text})
    return comment


def _staff_of(*, department, role):
    return staff_with_role(department=department, role=role)


def _keepers(catalogue):
    """Who keeps the catalogue: the agency's disclosure officers, or the village committee's officer."""
    return [*staff_with_role(department=catalogue.department, role=Role.DISCLOSURE_OFFICER),
            *staff_with_role(department=catalogue.department, role=Role.VILLAGE_OFFICER)]


def on_review_step(*, obj: Catalogue, actor, params: Reason | None = None) -> None:
    """Effect of submit and return: the other side is told."""
    from .selectors import round_comments

    catalogue = obj
    url = admin_change_url(catalogue)
    if catalogue.status == CatalogueStatus.SUBMITTED:
        if not Entry.objects.filter(catalogue=catalogue, retired_at__isnull=True).exists():
            from apps.workflow.exceptions import TransitionInvalid

            raise TransitionInvalid(_("The catalogue has no entries to publish."))
        catalogue.submitted_at = timezone.now()
        Catalogue.objects.filter(pk=catalogue.pk).update(submitted_at=catalogue.submitted_at)
        notify(recipients=_staff_of(department=catalogue.reviewing_department, role=Role.DISCLOSURE_REVIEWER),
               title=_("Catalogue to review: %(catalogue)s") % {"catalogue": catalogue}, url=url)
    else:
        # The reasons, then each entry's comments of this round, so that the agency reads everything in one message.
        lines = [params.reason] if params else []
        lines += [_("%(entry)s: %(comment)s") % {"entry": c.entry, "comment": c.text}
                  for c in round_comments(catalogue=catalogue)]
        notify(recipients=_keepers(catalogue),
               title=_("Catalogue returned: %(catalogue)s") % {"catalogue": catalogue},
               body="\n".join(lines), url=url)


def on_publish(*, obj: Catalogue, actor, params=None) -> CatalogueVersion:
    """Freeze the working entries into version N+1, make it the public one, keep every earlier version."""
    catalogue, note = obj, ""
    now = timezone.now()
    number = (CatalogueVersion.objects.filter(catalogue=catalogue).aggregate(m=Max("number"))["m"] or 0) + 1
    entries = list(Entry.objects.filter(catalogue=catalogue, retired_at__isnull=True).order_by("position", "id"))
    version = CatalogueVersion.objects.create(catalogue=catalogue, number=number, published_at=now,
                                              published_by=actor, entry_count=len(entries), note=note)
    PublishedEntry.objects.filter(catalogue=catalogue, is_current=True).update(is_current=False)
    level = catalogue.admin_unit.level
    PublishedEntry.objects.bulk_create([
        PublishedEntry(
            version=version, catalogue=catalogue, domain_id=catalogue.domain_id, admin_unit_id=catalogue.admin_unit_id,
            level=level, is_current=True,
            search_tokens=index_tokens(e.category_l1, e.category_l2, e.content_elements, e.basis, e.publisher,
                                       e.responsible_section, catalogue.domain.name, catalogue.admin_unit.name),
            **{f: getattr(e, f) for f in [*DATA_FIELDS, "key"]})
        for e in entries
    ], batch_size=500)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        PublishedEntry.objects.filter(version=version).update(
            search_vector=SearchVector("search_tokens", config="simple"))
    Catalogue.objects.filter(pk=catalogue.pk).update(current_version=version)
    catalogue.current_version = version
    notify(recipients=_keepers(catalogue),
           title=_("Catalogue published: %(catalogue)s (version %(number)d)")
           % {"catalogue": catalogue, "number": number})
    from . import tasks

    outbox_enqueue(tasks.version_files_render, version.pk)
    return version


def version_pdf_render(*, version_id: int) -> CatalogueVersion:
    """Render a version's table as a landscape PDF once (idempotent)."""
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from .selectors import version_entries

    version = (CatalogueVersion.objects.select_related("catalogue__admin_unit", "catalogue__domain",
                                                       "catalogue__department").get(pk=version_id))
    if version.pdf:
        return version
    from weasyprint import HTML  # lazily: heavy, and only the worker needs it
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint turns it on for the process; uploads need it off
    from django.conf import settings

    from .constants import FILL_IN_NOTES
    from .tables import grouped_rows, header_rows

    html = render_to_string("disclosure/catalogue_pdf.html", {
        "catalogue": version.catalogue, "version": version, "notes": ["填报说明：", *FILL_IN_NOTES],
        "header": header_rows(), "rows": grouped_rows(version_entries(version=version), cells=True)})
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    version.pdf.save(f"catalogue-{version.catalogue_id}-v{version.number}.pdf", ContentFile(pdf), save=False)
    CatalogueVersion.objects.filter(pk=version.pk).update(pdf=version.pdf.name)
    return version



def version_xlsx_render(*, version_id: int) -> CatalogueVersion:
    """Write a version's official xlsx once (idempotent); exports serve the stored file."""
    import io

    from django.core.files.base import ContentFile

    from .selectors import version_entries
    from .tables import xlsx_write

    version = CatalogueVersion.objects.select_related("catalogue__admin_unit", "catalogue__domain").get(pk=version_id)
    if version.xlsx:
        return version
    out = io.BytesIO()
    xlsx_write(title=version.catalogue.title, entries=version_entries(version=version).iterator(chunk_size=1000),
               out=out)
    version.xlsx.save(f"catalogue-{version.catalogue_id}-v{version.number}.xlsx", ContentFile(out.getvalue()),
                      save=False)
    CatalogueVersion.objects.filter(pk=version.pk).update(xlsx=version.xlsx.name)
    return version
