"""The one form pattern of the public site (issue 19): label, hint, error and control together, an error summary at
the top of the page that links to each field, and 错误： before the page title while a form has errors.

    {% load portal_forms %}
    {% form_fields form %}          every field of a form (hidden ones included), each as {% field_row %}
    {% field_row form.name %}       one field
    base.html renders {% error_summary %} and {% error_title_prefix %} for every form in the page's context.
"""

from django import forms, template
from django.template.loader import render_to_string

from apps.core.forms import field_anchor, is_choice_group

register = template.Library()


def _described_by(bound_field) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    return " ".join(ids)


def _row_context(bound_field, hide_label=False):
    widget = bound_field.field.widget
    attrs = {}
    if described := _described_by(bound_field):
        attrs["aria-describedby"] = described
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    # Choices that are data (departments, categories, the conditions a service item names) are Chinese whatever
    # language the page is in: marked so, for screen readers and the English-site check (tests/site_pages.py).
    data_choices = isinstance(bound_field.field, forms.ModelChoiceField) or getattr(bound_field.field, "data_choices",
                                                                                     False)
    if isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif is_choice_group(bound_field):
        kind = "group"
    else:
        kind = "control"
        if data_choices and isinstance(widget, forms.Select):
            attrs["lang"] = "zh-Hans"
    return {
        "field": bound_field, "kind": kind, "hide_label": hide_label, "data_choices": data_choices,
        "described_by": described,
        "control": bound_field.as_widget(attrs=attrs) if kind != "group" else "",
        "options": [(option, option.data["selected"]) for option in bound_field] if kind == "group" else [],
        "kept_file": getattr(bound_field.form, "kept_files", {}).get(bound_field.name),
        "rechoose": files_to_choose_again(bound_field),
    }


def files_to_choose_again(bound_field) -> list[str]:
    """The names of the files a person chose for this field on a form that came back with errors: a browser cannot
    fill a file input again, so the page says which ones to choose again (unless the form kept them)."""
    form = bound_field.form
    if not (form.is_bound and form.errors and isinstance(bound_field.field, forms.FileField)) or bound_field.errors:
        return []  # a refused file has its own message: the person chooses another one anyway
    if getattr(form, "kept_files", {}).get(bound_field.name):
        return []
    return [upload.name for upload in form.files.getlist(bound_field.html_name) if getattr(upload, "name", "")]


@register.simple_tag
def field_row(bound_field, hide_label=False):
    return render_to_string("includes/field.html", _row_context(bound_field, hide_label))


@register.inclusion_tag("includes/form.html")
def form_fields(form):
    return {"form": form}


def _forms_in(context):
    seen, found = set(), []
    for value in context.flatten().values():
        candidates = value if isinstance(value, (list, tuple)) else [value]
        for candidate in candidates:
            if isinstance(candidate, forms.BaseForm) and id(candidate) not in seen:
                seen.add(id(candidate))
                found.append(candidate)
    return found


def _errors(context):
    rows = []
    for form in _forms_in(context):
        if not form.is_bound or not form.errors:
            continue
        first = next(iter(form.visible_fields()), None)
        for error in form.non_field_errors():
            rows.append((error, f"#{field_anchor(first)}" if first else ""))
        for bound_field in form:
            for error in bound_field.errors:
                rows.append((error, f"#{field_anchor(bound_field)}"))
            if names := files_to_choose_again(bound_field):
                rows.append((_choose_again(bound_field, names), f"#{field_anchor(bound_field)}"))
    return rows


def _choose_again(bound_field, names):
    from django.utils.translation import gettext

    return gettext("Choose the file for “%(label)s” again (%(names)s): a file cannot be kept after an error.") % {
        "label": bound_field.label, "names": "、".join(names)}


@register.simple_tag(takes_context=True)
def error_summary(context):
    rows = _errors(context)
    if not rows:
        return ""
    return render_to_string("includes/error_summary.html", {"rows": rows}, request=context.get("request"))


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    from django.utils.translation import gettext

    return gettext("Error: ") if _errors(context) else ""


@register.filter
def control(bound_field):
    """A field's control alone, its data choices marked lang="zh-Hans" (for pages that lay out their own fields)."""
    context = _row_context(bound_field)
    return context["control"] if context["kind"] != "group" else bound_field.as_widget()
