"""公开渠道和载体 for a reader of the site: the official table's labels in Chinese, the translated ones in English
(the exports keep the official labels: tables.channels_text)."""
from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from apps.disclosure.constants import Channel
from apps.disclosure.tables import channels_text

register = template.Library()


@register.filter
def channels_display(entry):
    codes, other = entry.channel_codes, entry.channels_other
    if (get_language() or "").startswith("zh"):
        return channels_text(codes, other)
    labels = []
    for code in codes:
        try:
            label = Channel(code).label
        except ValueError:
            label = code
        if code == Channel.OTHER and other:  # the other channel's name is the agency's own words
            labels.append(format_html('{}: <span lang="zh-Hans">{}</span>', label, other))
        else:
            labels.append(format_html("{}", label))
    return format_html_join(", ", "{}", ((label,) for label in labels))
