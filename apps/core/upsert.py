"""Set-wise upserts for the reference and demo loaders (load_demo, the test worlds).

A loader that calls ``update_or_create`` row by row costs two or three queries a row: the catalogue alone was 2,000
queries, and every test that builds its world paid them (about a second and a half a test). These helpers read what
exists in one query, insert what is missing in one, and write only the rows whose values differ, so a load costs a
handful of queries whatever the number of rows, and reloading unchanged data writes nothing. No model the loaders
write has save() overrides or signal receivers (bulk operations skip both): check before using these on another.
"""

from django.db import models
from django.utils import timezone


def upsert(model, *, key: str | tuple[str, ...], rows: list[dict], update: bool = True, clean: bool = False) -> dict:
    """Make one ``model`` row per entry of ``rows`` (field name → value; ``key``, a unique field or fields, among
    them): create the missing ones; when ``update``, write the fields whose value differs on the existing ones
    (``update=False`` keeps an existing row as it is, e.g. the admin's choice of department). A later entry with the
    same key wins, as with successive ``update_or_create`` calls. ``clean``: validate each row created or changed
    before anything is written (its fields and clean(); the foreign keys given are instances read from the database,
    and the key is unique by construction). Returns {key value (a tuple for several fields): instance}, saved."""
    names = (key,) if isinstance(key, str) else tuple(key)

    def key_of(row):
        values = tuple(_value_of(model, name, row[name]) for name in names)
        return values[0] if isinstance(key, str) else values

    found = _existing(model, names, {key_of(row) for row in rows}, single=isinstance(key, str))
    created: dict = {}
    changed: dict = {}
    fields: set[str] = set()
    for row in rows:
        value = key_of(row)
        if value in created:
            obj = created[value]
            for name, new in row.items():
                setattr(obj, name, new)
            continue
        obj = found.get(value)
        if obj is None:
            created[value] = model(**row)
            continue
        if not update:
            continue
        for name, new in row.items():
            if _value(obj, name) != _value_of(model, name, new):
                setattr(obj, name, new)
                fields.add(name)
                changed[value] = obj
    if clean:
        relations = [field.name for field in model._meta.concrete_fields if field.is_relation]
        for obj in [*created.values(), *changed.values()]:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    if created:
        model.objects.bulk_create(list(created.values()))
    if changed:
        # What save() would do: auto_now fields (e.g. ServiceItem.updated_at) say the row changed.
        now = timezone.now()
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False):
                for obj in changed.values():
                    setattr(obj, field.attname, now)
                fields.add(field.name)
        model.objects.bulk_update(list(changed.values()), sorted(fields))
    return {key_of(row): created.get(key_of(row)) or found[key_of(row)] for row in rows}


def _existing(model, names: tuple[str, ...], keys: set, *, single: bool) -> dict:
    """The existing rows among ``keys``, by key: one query (each key field filtered on the values it takes)."""
    if not keys:
        return {}
    if single:
        return model.objects.in_bulk(list(keys), field_name=names[0])
    attnames = [model._meta.get_field(name).attname for name in names]
    lookup = {f"{attname}__in": {k[i] for k in keys} for i, attname in enumerate(attnames)}
    rows = {}
    for obj in model.objects.filter(**lookup):
        value = tuple(getattr(obj, attname) for attname in attnames)
        if value in keys:
            rows[value] = obj
    return rows


def _value(obj, name):
    """The stored value of a field (the id for a foreign key: no query)."""
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _value_of(model, name, value):
    """The value a field would store for ``value`` (an instance's pk for a foreign key)."""
    field = model._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return value.pk if value is not None else None
    return field.to_python(value) if value is not None else None


def m2m_replace(field, *, wanted: dict[int, set[int]]) -> None:
    """Make the many-to-many ``field`` (e.g. ``Domain.agencies``) of each owner pk in ``wanted`` hold exactly the
    target pks given, as ``.set()`` would for each owner, in one read, one delete and one insert."""
    through = field.remote_field.through
    source = field.m2m_field_name()  # e.g. "domain"
    target = field.m2m_reverse_field_name()  # e.g. "department"
    source_id, target_id = f"{source}_id", f"{target}_id"
    have: dict[int, dict[int, int]] = {}
    for pk, owner, other in through.objects.filter(**{f"{source_id}__in": list(wanted)}).values_list(
            "pk", source_id, target_id):
        have.setdefault(owner, {})[other] = pk
    stale = [pk for owner, targets in have.items() for other, pk in targets.items() if other not in wanted[owner]]
    if stale:
        through.objects.filter(pk__in=stale).delete()
    missing = [through(**{source_id: owner, target_id: other})
               for owner, targets in wanted.items() for other in targets if other not in have.get(owner, {})]
    if missing:
        through.objects.bulk_create(missing)
