import re

from django import template
from django.utils.safestring import mark_safe

from apps.core.i18n import stored_text

register = template.Library()

_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


@register.filter
def stored(text):
    """Text a row stored in the language it was written in (a message title, a timeline label, a document title),
    read in the active language (apps/core/i18n.py)."""
    return stored_text(text)


@register.simple_tag
def colon():
    """The colon after a label: full-width in Chinese (“状态：”), ": " in English."""
    from django.utils.translation import get_language

    return "：" if (get_language() or "").startswith("zh") else ": "


@register.filter
def stored_html(text):
    """``stored`` for text shown as is: what no message matches is data (a person's words, a name), marked
    lang="zh-Hans" when it is Chinese so that screen readers read it as such."""
    from django.utils.html import escape, format_html

    from apps.core.i18n import has_cjk

    translated = stored_text(text)
    if translated == text and has_cjk(text):
        return format_html('<span lang="zh-Hans">{}</span>', text)
    # Translated: what Chinese is left came from its parameters (a licence's name, a person's words).
    return mark_safe(_CJK_RUN.sub(lambda m: f'<span lang="zh-Hans">{m.group(0)}</span>', str(escape(translated))))


@register.filter
def at(sequence, index):
    """``sequence[index]``, or "" (a column's header for a cell's data-label)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError, KeyError):
        return ""


@register.filter
def zh(value):
    """Data inside a translated sentence, marked as Chinese: {% blocktranslate with name=x|zh %}…"""
    from django.utils.html import format_html

    return format_html('<span lang="zh-Hans">{}</span>', value)


@register.simple_tag
def comma():
    """“，” in Chinese, ", " in English."""
    from django.utils.translation import get_language

    return "，" if (get_language() or "").startswith("zh") else ", "


@register.simple_tag
def full_stop():
    """“。” in Chinese, ". " in English."""
    from django.utils.translation import get_language

    return "。" if (get_language() or "").startswith("zh") else ". "
