"""Reads of bundles: the catalogue, the materials asked once, the applicant's one page (HackSoft: reads here)."""
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from apps.applications.constants import Status
from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.catalogue.models import Material
from apps.workflow.selectors import case_get_for_user

from .models import Bundle, BundleApplication, BundleItem

# An item of a bundle has ended when no department will act on it any more. DENIED is not among them: completing
# the denial (办结) ends it, and only then can the bundle's combined notice list it as closed.
ENDED = (Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN, Status.CANCELLED, Status.REVOKED)


def bundle_material_key(material: Material) -> str:
    """The identity of a material asked once in a bundle: its name as the catalogue spells it (the national
    standard names — 居民身份证, 营业执照 — are shared by the items that need the same paper). Two items asking for
    「营业执照」 get the same file; names that differ are different papers."""
    return " ".join(material.name.split())


def bundle_material_purpose(key_pk: int) -> str:
    """The attachment purpose of a bundle-level material: the first material (by item and material order) of its
    group stands for the group."""
    return f"bundle-material-{key_pk}"


def bundle_list_public() -> QuerySet:
    """The 一件事 catalogue: published bundles with their items (three queries whatever the number)."""
    return (Bundle.objects.filter(is_active=True).select_related("lead_department")
            .prefetch_related(Prefetch("items", queryset=BundleItem.objects.select_related(
                "service__department").order_by("order", "id"))).order_by("name"))


def bundle_get_public(*, code: str) -> Bundle:
    return bundle_list_public().get(code=code)


def bundle_items(*, bundle: Bundle) -> list[BundleItem]:
    return list(bundle.items.select_related("service__department", "service__licence_kind", "needs__service")
                .order_by("order", "id"))


def _chain(item: BundleItem, by_pk: dict) -> list[BundleItem]:
    """The items ``item`` waits for, directly or through another (declared order: no cycle)."""
    found, current = [], item
    while current.needs_id is not None and current.needs_id in by_pk and len(found) < len(by_pk):
        current = by_pk[current.needs_id]
        found.append(current)
    return found


@dataclass
class Member:
    item: BundleItem
    material: Material
    fed_by: BundleItem | None = None  # an item of the bundle it waits for issues the licence that fills it


@dataclass
class BundleMaterial:
    """One material as the bundle asks it: once, for every item that needs a paper of that name."""

    key: int  # pk of the first material of the group
    name: str
    members: list[Member] = field(default_factory=list)
    condition: str = ""  # for a conditional material: when it is needed
    needed: bool = False
    attachment: Attachment | None = None
    licence: object = None  # 免提交: a licence the applicant holds that fills it
    licence_problem: str = ""

    @property
    def conditional(self) -> bool:
        return all(not m.material.required for m in self.members)

    @property
    def needing_members(self) -> list[Member]:
        return [m for m in self.members if m.material.required or self.conditional and self.needed]

    @property
    def fed_by(self) -> list[BundleItem]:
        return list(dict.fromkeys(m.fed_by for m in self.needing_members if m.fed_by is not None))

    @property
    def asked(self) -> bool:
        """To upload: needed by an item whose licence will not fill it (neither an earlier item's nor one held)."""
        if not self.needed or (self.licence is not None and not self.licence_problem):
            return False
        return any(m.fed_by is None for m in self.needing_members)

    @property
    def satisfied(self) -> bool:
        return not self.asked or self.attachment is not None


def bundle_materials(*, bundle: Bundle, items: list[BundleItem] | None = None,
                     bundle_application: BundleApplication | None = None) -> list[BundleMaterial]:
    """Every material of the bundle's items, grouped by ``bundle_material_key``, in item order; with the draft's
    uploads and the licence the applicant holds when ``bundle_application`` is given."""
    from apps.licences.selectors import licence_for_material

    items = items if items is not None else bundle_items(bundle=bundle)
    by_pk = {item.pk: item for item in items}
    materials = (Material.objects.filter(service__in=[item.service_id for item in items])
                 .select_related("licence_kind").order_by("order", "id"))
    by_service: dict[int, list[Material]] = {}
    for material in materials:
        by_service.setdefault(material.service_id, []).append(material)
    groups: dict[str, BundleMaterial] = {}
    for item in items:
        issued_before = {i.service.licence_kind_id: i for i in reversed(_chain(item, by_pk)) if i.service.licence_kind_id}
        for material in by_service.get(item.service_id, []):
            group = groups.get(bundle_material_key(material))
            if group is None:
                group = groups[bundle_material_key(material)] = BundleMaterial(key=material.pk, name=material.name)
            group.members.append(Member(item, material, issued_before.get(material.licence_kind_id)))
            if not material.required and not group.condition:
                group.condition = material.condition
    result = list(groups.values())
    latest = {}
    met = set(bundle_application.conditions_met) if bundle_application is not None else set()
    if bundle_application is not None:
        for attachment in attachments_for_case(obj=bundle_application).order_by("uploaded_at"):
            latest[attachment.purpose] = attachment
    for group in result:
        group.needed = any(m.material.required for m in group.members) or group.key in met
        group.attachment = latest.get(bundle_material_purpose(group.key))
        kind_id = next((m.material.licence_kind_id for m in group.members if m.material.licence_kind_id), None)
        if bundle_application is not None and kind_id and group.needed and group.attachment is None:
            group.licence, group.licence_problem = licence_for_material(
                holder=bundle_application.applicant, holder_code=bundle_application.applicant_code, kind_id=kind_id)
    return result


def bundle_missing_materials(*, bundle_application: BundleApplication) -> list[BundleMaterial]:
    return [g for g in bundle_materials(bundle=bundle_application.bundle, bundle_application=bundle_application)
            if not g.satisfied]


def bundle_application_get_for_user(*, user, pk) -> BundleApplication:
    """The bundle application if ``user`` may see it (the applicant, the agent, staff of the lead department);
    else DoesNotExist (the views answer 404)."""
    return case_get_for_user(user=user, model=BundleApplication, pk=pk)


def bundle_draft_for(*, applicant, bundle) -> BundleApplication | None:
    return BundleApplication.objects.filter(applicant=applicant, bundle=bundle, status="draft").first()


def bundle_application_list_for_applicant(*, user) -> QuerySet:
    return BundleApplication.objects.filter(applicant=user).select_related("bundle").order_by("-created_at")


@dataclass
class ItemProgress:
    item: BundleItem
    application: object  # the item's Application (None while the bundle is a draft)
    meaning: str = ""  # what this item's outcome means for the rest of the bundle …
    meaning_names: list = field(default_factory=list)  # … and the items it names (data, shown apart: lang zh-Hans)
    licences: list = field(default_factory=list)
    documents: list = field(default_factory=list)


def bundle_item_granted(application) -> bool:
    """Granted: completed with its decision to grant (the licence of an item that issues one is issued then)."""
    from apps.applications.constants import DocumentKinds
    from apps.documents.selectors import documents_for_case

    return application.status == Status.COMPLETED and documents_for_case(obj=application).filter(
        kind=DocumentKinds.APPROVAL).exists()


def bundle_progress(*, bundle_application: BundleApplication) -> list[ItemProgress]:
    """The applicant's one page: each item with its application, its documents and licences, and — for an item not
    granted — what that means for the others. A fixed number of queries whatever the number of items."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from apps.applications.models import Application
    from apps.documents.models import Document
    from apps.licences.models import Licence

    items = bundle_items(bundle=bundle_application.bundle)
    applications = {a.service_id: a for a in Application.objects.filter(bundle=bundle_application)
                    .select_related("current_deadline", "department")}
    ct = ContentType.objects.get_for_model(Application)
    documents: dict[str, list] = {}
    for document in Document.objects.filter(content_type=ct, object_id__in=[str(a.pk) for a in applications.values()]
                                            ).order_by("created_at"):
        documents.setdefault(document.object_id, []).append(document)
    licences: dict[int, list] = {}
    for licence in Licence.objects.filter(application__in=list(applications.values())).select_related("kind"):
        licences.setdefault(licence.application_id, []).append(licence)
    rows = []
    for item in items:
        application = applications.get(item.service_id)
        row = ItemProgress(item, application)
        if application is not None:
            row.documents = documents.get(str(application.pk), [])
            row.licences = licences.get(application.pk, [])
        rows.append(row)
    by_item = {row.item.pk: row for row in rows}
    from apps.applications.constants import DocumentKinds as AppKinds

    for row in rows:
        application = row.application
        if application is None:
            continue
        granted = application.status == Status.COMPLETED and any(d.kind == AppKinds.APPROVAL for d in row.documents)
        dependants = [r for r in rows if r.item.needs_id == row.item.pk]
        not_granted = application.status in (Status.REFUSED, Status.DENIED, Status.WITHDRAWN, Status.CANCELLED,
                                             Status.REVOKED) or (application.status == Status.COMPLETED and not granted)
        if not_granted and dependants:
            row.meaning = _("Not granted, so these items, which needed its result, are not pursued (the other items "
                            "go on)")
            row.meaning_names = [r.item.service.name for r in dependants]
        elif application.status == Status.CANCELLED and row.item.needs_id in by_item:
            row.meaning = _("Not pursued, because this item it needed was not granted")
            row.meaning_names = [by_item[row.item.needs_id].item.service.name]
        elif application.status == Status.WAITING and row.item.needs_id in by_item:
            row.meaning = _("Starts when this item, whose result it needs, is granted")
            row.meaning_names = [by_item[row.item.needs_id].item.service.name]
    return rows
