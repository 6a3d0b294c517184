"""Text a row stored in the language it was written in reads in the reader's (apps/core/i18n.py)."""
from django.utils import translation

from apps.core.i18n import city_name, stored_text


def _written_in_chinese(message, **params):
    with translation.override("zh-hans"):
        return translation.gettext(message) % params if params else translation.gettext(message)


def test_a_title_with_a_parameter_reads_in_english():
    stored = _written_in_chinese("Request received: %(ref)s", ref="YS-20261202-000001-GMH9")
    assert stored == "信息公开申请已收到：YS-20261202-000001-GMH9"
    with translation.override("en"):
        assert stored_text(stored) == "Request received: YS-20261202-000001-GMH9"
    with translation.override("zh-hans"):
        assert stored_text(stored) == stored


def test_a_label_and_a_document_title_read_in_english():
    with translation.override("en"):
        assert stored_text(_written_in_chinese("Supplementation requested (all items at once)")) == \
            "Supplementation requested (all items at once)"
        assert stored_text("补正材料一次性告知书") == "Supplement notice (all missing items at once)"
        assert stored_text("省级") == "Provincial"


def test_an_english_title_reads_in_chinese():
    with translation.override("zh-hans"):
        assert stored_text("Request received: YS-1") == "信息公开申请已收到：YS-1"


def test_what_no_message_matches_is_data_and_stays():
    with translation.override("en"):
        for text in ("小区门口垃圾成堆", "张三", "", None, "请重新上传复印件"):
            assert stored_text(text) == text


def test_the_city_in_each_language(settings):
    settings.PORTAL_CITY_NAME, settings.PORTAL_CITY_NAME_EN = "盘锦市", "Panjin"
    assert city_name("zh-hans") == "盘锦市" and city_name("en") == "Panjin"
    with translation.override("en"):
        assert city_name() == "Panjin"


def test_no_two_messages_with_parameters_share_a_translation():
    """Otherwise a stored title could not be told back to its message (apps/core/i18n.py)."""
    from apps.core.i18n import _index

    seen = {}
    catalog = translation.trans_real.translation("zh-hans")._catalog
    for key, msgstr in catalog.items():
        if isinstance(key, str) and "%(" in msgstr and not key.startswith(("%", "Django")):
            other = seen.setdefault(msgstr, key)
            english = {translation.trans_real.translation("en").gettext(k) for k in (other, key)}
            assert len(english) == 1 or other == key, (msgstr, other, key)
    assert _index("zh-hans")


def test_translated_text_marks_its_chinese_parameters_and_data_stays_marked():
    from apps.core.templatetags.portal_i18n import stored_html

    with translation.override("en"):
        title = _written_in_chinese("Request received: %(ref)s", ref="YS-1 <b>")
        assert str(stored_html(title)) == "Request received: YS-1 &lt;b&gt;"
        assert str(stored_html("小区门口<垃圾>")) == '<span lang="zh-Hans">小区门口&lt;垃圾&gt;</span>'
        licence = _written_in_chinese("New electronic licence: %(licence)s", licence="结婚证 J2111")
        assert str(stored_html(licence)) == 'New electronic licence: <span lang="zh-Hans">结婚证</span> J2111'
