"""Text stored in one language, shown in the reader's.

Notification titles, timeline labels and document titles are written into their rows in the language of the request
that wrote them (Chinese, nearly always), from a gettext message and its parameters. Rather than a second column per
row (and a migration of every app's call sites), the reader's language is found at display time: the stored text is
looked up in the other languages' catalogues — exactly, or against the translation's pattern with its ``%(name)s``
placeholders — which gives back the msgid and the parameters, and the msgid is then translated into the active
language. Rows written before this existed read in English too. Text that matches no message (a person's comment, a
name) is returned unchanged: it is data.
"""
import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation

_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%([sd])")


def city_name(language: str | None = None) -> str:
    """The city's name for people reading ``language`` (the active one by default): PORTAL_CITY_NAME in Chinese,
    PORTAL_CITY_NAME_EN in English."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language.lower().startswith("zh"):
        return settings.PORTAL_CITY_NAME
    return getattr(settings, "PORTAL_CITY_NAME_EN", "") or settings.PORTAL_CITY_NAME


def _pattern(msgstr: str):
    """A regex for a translation with placeholders (named groups), or None when it has none."""
    if "%" not in msgstr or not _PLACEHOLDER.search(msgstr):
        return None
    parts, names, position = [], [], 0
    for n, match in enumerate(_PLACEHOLDER.finditer(msgstr)):
        parts.append(re.escape(msgstr[position:match.start()].replace("%%", "%")))
        name = match.group(1) or f"_{n}"
        if name in names:  # the same parameter twice: a back-reference
            parts.append(f"(?P={name})")
        else:
            names.append(name)
            digits = (match.group(2) or match.group(3)) == "d"
            parts.append(rf"(?P<{name}>-?\d+)" if digits else rf"(?P<{name}>.+?)")
        position = match.end()
    parts.append(re.escape(msgstr[position:].replace("%%", "%")))
    literal = "".join(parts)
    if not re.search(r"\w", re.sub(r"\(\?P[^)]*\)", "", literal)):
        return None  # nothing but placeholders and punctuation: would match a person's own words
    return re.compile(literal, re.S)


@lru_cache(maxsize=8)
def _index(language: str):
    """Stored text in ``language`` → its msgid: an exact table, and patterns bucketed by their first character."""
    catalog = translation.trans_real.translation(language)._catalog
    exact, buckets = {}, {}
    for key, msgstr in catalog.items():
        if not isinstance(key, str) or not msgstr or key == "":
            continue  # plural forms and the header
        exact.setdefault(msgstr, key)
        pattern = _pattern(msgstr)
        if pattern is not None:
            first = msgstr[0] if not msgstr.startswith("%") else ""
            buckets.setdefault(first, []).append((pattern, key))
    return exact, buckets


def _msgid_translate(key: str) -> str:
    if "\x04" in key:
        context, msgid = key.split("\x04", 1)
        return translation.pgettext(context, msgid)
    return translation.gettext(key)


def _other_languages(active: str):
    return [code for code, _name in settings.LANGUAGES
            if translation.to_locale(code) != translation.to_locale(active)]


def stored_text(text, *, depth: int = 0) -> str:
    """``text`` (written in any of the site's languages from a gettext message) in the active language."""
    if not text or not isinstance(text, str):
        return text
    active = translation.get_language() or settings.LANGUAGE_CODE
    for language in _other_languages(active):
        exact, buckets = _index(language)
        key = exact.get(text)
        if key is not None:
            return _msgid_translate(key)
        for pattern, key in buckets.get(text[0], []) + buckets.get("", []):
            match = pattern.fullmatch(text)
            if match is None:
                continue
            params = {}
            for name, value in match.groupdict().items():
                if value.lstrip("-").isdigit() and _digit_placeholder(key, name):
                    params[name] = int(value)
                else:  # a parameter may itself be a translated label (a state, a stage)
                    params[name] = stored_text(value, depth=depth + 1) if depth < 2 else value
            translated = _msgid_translate(key)
            try:
                if any(name.startswith("_") for name in params):
                    return translated % tuple(params[name] for name in sorted(params))
                return translated % params
            except (KeyError, TypeError, ValueError):
                return text
    if text == settings.PORTAL_CITY_NAME or text == getattr(settings, "PORTAL_CITY_NAME_EN", None):
        return city_name(active)
    return text


@lru_cache(maxsize=4096)
def _digit_placeholder(key: str, name: str) -> bool:
    msgid = key.split("\x04", 1)[-1]
    return f"%({name})d" in msgid or (name.startswith("_") and "%d" in msgid)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_cjk(text) -> bool:
    return bool(text) and bool(_CJK.search(str(text)))
