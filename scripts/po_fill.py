"""Developer helper: fill msgstr of locale/zh_Hans from a Python dict file (ZH, PLURAL) and clear fuzzy flags.

    .venv/bin/python scripts/po_fill.py /path/to/dict.py   (needs `pip install polib`, not a runtime dependency)
"""
import runpy
import sys

import polib

values = runpy.run_path(sys.argv[1])
ZH, PLURAL = values.get("ZH", {}), values.get("PLURAL", {})
po = polib.pofile("locale/zh_Hans/LC_MESSAGES/django.po")
missing = []
for entry in po:
    if entry.msgid_plural:
        if entry.msgid in PLURAL:
            entry.msgstr_plural = {0: PLURAL[entry.msgid]}
    elif entry.msgid in ZH and (not entry.msgstr or "fuzzy" in entry.flags):
        entry.msgstr = ZH[entry.msgid]
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    if not entry.msgstr and not (entry.msgid_plural and entry.msgstr_plural.get(0)):
        missing.append(entry.msgid)
po.save()
print("missing:", missing)
