"""The official table of 附件3 in and out: xlsx (two header rows, merged cells, 填报说明 sheet), CSV and JSON rows.

Reading takes a workbook filled the way governments fill it (a title row, two header rows, 一级事项 and other
columns merged over several rows) and returns the rows with every error by row and column. Writing streams (openpyxl
write-only mode) and never emits a live formula.
"""
import csv
import io
from copy import copy
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .constants import (AFFAIRS_GROUP_ALIASES, CHANNEL_LABELS_ZH, FILL_IN_NOTES, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS,
                        TEMPLATE_COLUMNS, TICK, Audience, Mode)
from .validators import looks_like_formula, time_limit_parse, validate_enquiry_phone

HEADER_TOP = [top for _field, top, _sub in TEMPLATE_COLUMNS]
HEADER_SUB = [sub for _field, _top, sub in TEMPLATE_COLUMNS]
COLUMN_TITLES = {f: (sub or top) for f, top, sub in TEMPLATE_COLUMNS}
CHANNEL_BY_LABEL = {label: code for code, label in CHANNEL_LABELS_ZH.items()}
_TITLE = re.compile(r"^(?P<prefix>.*?)(?P<domain>[^\s　]+?)领域政务公开事项标准目录$")
MAX_LENGTHS = {"category_l1": 200, "category_l2": 200, "time_limit": 300, "publisher": 200,
               "responsible_section": 200, "enquiry_phone": 100}


def _norm(text) -> str:
    """Header text as compared: no spaces or line breaks, half-width parentheses."""
    return re.sub(r"\s+", "", str(text or "")).replace("（", "(").replace("）", ")")


@dataclass
class CellError:
    row: int
    column: str  # the column's header, e.g. 咨询电话
    message: str

    def __str__(self):
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedTable:
    rows: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    title: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def channels_parse(text: str) -> tuple[list[str], str]:
    """‘政府网站、公示栏、其他：村民微信群’ → (["website", "notice_board", "other"], "村民微信群"). Raises ValueError
    naming an unknown channel."""
    codes, other = [], ""
    for part in re.split(r"[、,，;；/\n]+", str(text or "")):
        part = part.strip()
        if not part:
            continue
        if part in CHANNEL_BY_LABEL:
            codes.append(CHANNEL_BY_LABEL[part])
            continue
        match = re.fullmatch(r"其他\s*[:：(（]?\s*(.+?)\s*[)）]?", part)
        if match:
            codes.append("other")
            other = match.group(1)
            continue
        raise ValueError(part)
    return list(dict.fromkeys(codes)), other


def channels_text(codes: list[str], other: str = "") -> str:
    labels = []
    for code in codes:
        label = CHANNEL_LABELS_ZH.get(code, code)
        labels.append(f"其他：{other}" if code == "other" and other else label)
    return "、".join(labels)


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def table_read(fileobj, *, size: int, domain_name: str, village: bool) -> ParsedTable:
    """Read an uploaded workbook laid out as 附件3. ``domain_name`` is the catalogue's domain: a title that names
    another domain is an error, as is a domain that does not exist."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from .selectors import domain_names

    table = ParsedTable()
    if size > IMPORT_MAX_BYTES:
        table.errors.append(CellError(0, _("file"), _("The file is %(size).1f MB; at most %(max)d MB may be imported.")
                                      % {"size": size / 1024 / 1024, "max": IMPORT_MAX_BYTES // 1024 // 1024}))
        return table
    try:
        workbook = load_workbook(fileobj, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        table.errors.append(CellError(0, _("file"), _("This is not an xlsx workbook. Save the table as “Excel "
                                                      "workbook (.xlsx)” and upload it again.")))
        return table
    sheet = workbook.worksheets[0]

    # Merged cells: every cell of a merged range reads the value of its top-left cell.
    merged_source = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                if (row, col) != (merged.min_row, merged.min_col):
                    merged_source[(row, col)] = (merged.min_row, merged.min_col)

    def value(row, col):
        source = merged_source.get((row, col), (row, col))
        return sheet.cell(row=source[0], column=source[1])

    header_row = None
    for row in range(1, min(sheet.max_row, 12) + 1):
        if any(_norm(_cell_text(value(row, col))) == "序号" for col in range(1, min(sheet.max_column, 20) + 1)):
            header_row = row
            break
    if header_row is None:
        table.errors.append(CellError(1, "序号", _("No header row was found: the table must start with the two "
                                                 "header rows of the official template (序号, 公开事项 …).")))
        return table

    for row in range(1, header_row):
        text = _norm(" ".join(_cell_text(value(row, c)) for c in range(1, min(sheet.max_column, 20) + 1)))
        if "目录" in text:
            table.title = text
            match = _TITLE.match(text)
            if match and not village and not match.group("domain").endswith(domain_name):
                named = match.group("domain")
                known = domain_names()
                found = next((n for n in sorted(known, key=len, reverse=True) if named.endswith(n)), None)
                if found is None:
                    table.errors.append(CellError(row, _("title"), _("“%(name)s” is not one of the disclosure "
                                                                      "domains.") % {"name": named}))
                elif found != domain_name:
                    table.errors.append(CellError(row, _("title"), _(
                        "The table is for the domain “%(found)s”, this catalogue is for “%(domain)s”.")
                        % {"found": found, "domain": domain_name}))

    # Map the fourteen columns by their two header rows.
    columns = {}
    for col in range(1, sheet.max_column + 1):
        top = _norm(_cell_text(value(header_row, col)))
        sub = _norm(_cell_text(value(header_row + 1, col)))
        for name, want_top, want_sub in TEMPLATE_COLUMNS:
            if name in columns:
                continue
            if top == _norm(want_top) and (sub == _norm(want_sub) or (not want_sub and sub in ("", top))):
                columns[name] = col
                break
    missing = [COLUMN_TITLES[name] for name, _t, _s in TEMPLATE_COLUMNS if name not in columns]
    for title in missing:
        table.errors.append(CellError(header_row, title, _("This column of the official template is missing.")))
    if missing:
        return table

    data_rows = [r for r in range(header_row + 2, sheet.max_row + 1)]
    if len(data_rows) > IMPORT_MAX_ROWS:
        table.errors.append(CellError(header_row + 2, _("file"), _("At most %(max)d rows may be imported at once.")
                                      % {"max": IMPORT_MAX_ROWS}))
        return table
    seen_positions = set()
    for row in data_rows:
        raw = {name: value(row, col) for name, col in columns.items()}
        texts = {name: _cell_text(cell) for name, cell in raw.items()}
        first = texts["position"]
        if first.startswith("填报说明"):
            break
        own_cells = [_cell_text(sheet.cell(row=row, column=col)) for col in columns.values()]
        if not any(own_cells) or first in ("……", "...", "…"):
            continue
        errors = []

        def error(name, message):
            errors.append(CellError(row, COLUMN_TITLES[name], message))

        for name, cell in raw.items():
            if cell.data_type == "f" or looks_like_formula(texts[name]):
                error(name, _("A formula or a text starting with “=”, “+”, “-” or “@” is not accepted: write the "
                              "text itself."))
        required = ["category_l1", "content_elements", "basis", "time_limit", "publisher", "responsible_section",
                    "channels", "enquiry_phone"]
        for name in required:
            if not texts[name]:
                error(name, _("This column is required."))
        for name, limit in MAX_LENGTHS.items():
            if len(texts[name]) > limit:
                error(name, _("At most %(max)d characters.") % {"max": limit})
        try:
            position = int(first) if first else None
        except ValueError:
            position = None
            error("position", _("“%(value)s” is not a number.") % {"value": first})
        if position is not None:
            if position in seen_positions:
                error("position", _("Number %(value)s appears twice.") % {"value": position})
            seen_positions.add(position)
        channels, other = [], ""
        if texts["channels"]:
            try:
                channels, other = channels_parse(texts["channels"])
            except ValueError as unknown:
                error("channels", _("“%(value)s” is not a channel of the template (政府网站, 政府公报, 两微一端, 广播电视, "
                                    "新闻发布会, 纸质媒体, 政务服务中心, 公示栏, 其他：…).") % {"value": unknown})
        public, group = texts["audience_public"], texts["audience_group"]
        if public and group:
            error("audience_group", _("Tick either 全社会 or 特定群体, not both."))
        elif not public and not group:
            error("audience_public", _("Tick 全社会, or name the group under 特定群体."))
        elif group == TICK:
            error("audience_group", _("Name the group (for example 低保对象) instead of a tick."))
        proactive, on_request = texts["mode_proactive"], texts["mode_on_request"]
        if bool(proactive) == bool(on_request):
            error("mode_proactive", _("Tick exactly one of 主动 and 依申请."))
        if texts["enquiry_phone"]:
            try:
                validate_enquiry_phone(texts["enquiry_phone"])
            except Exception as invalid:  # ValidationError: its message is the user's
                error("enquiry_phone", " ".join(getattr(invalid, "messages", [str(invalid)])))
        affairs_group = ""
        if village and texts["category_l1"]:
            affairs_group = AFFAIRS_GROUP_ALIASES.get(texts["category_l1"], "")
            if not affairs_group:
                error("category_l1", _("In a village catalogue 一级事项 is one of 党务公开, 村(居)务公开, 财务公开, "
                                       "服务公开, 事务公开."))
        if errors:
            table.errors.extend(errors)
            continue
        days, unit = time_limit_parse(texts["time_limit"])
        table.rows.append({
            "row": row,
            "position": position,
            "category_l1": texts["category_l1"],
            "category_l2": texts["category_l2"],
            "content_elements": texts["content_elements"],
            "basis": texts["basis"],
            "time_limit": texts["time_limit"],
            "time_limit_days": days,
            "time_limit_unit": unit,
            "publisher": texts["publisher"],
            "responsible_section": texts["responsible_section"],
            "channels": ",".join(channels),
            "channels_other": other,
            "audience": Audience.SPECIFIC_GROUP if group else Audience.PUBLIC,
            "audience_group": group,
            "mode": Mode.ON_REQUEST if on_request else Mode.PROACTIVE,
            "enquiry_phone": texts["enquiry_phone"],
            "affairs_group": affairs_group,
        })
    if not table.rows and not table.errors:
        table.errors.append(CellError(header_row + 2, "序号", _("The table has no entries.")))
    # Rows without a number keep their place after the numbered ones.
    next_position = max(seen_positions, default=0) + 1
    for item in table.rows:
        if item["position"] is None:
            item["position"] = next_position
            next_position += 1
    return table


def safe_cell(text) -> str:
    """Text for CSV (and any sheet written as values): a leading =, +, -, @ is neutralised with an apostrophe
    (OWASP CSV injection)."""
    text = "" if text is None else str(text)
    return "'" + text if looks_like_formula(text) else text


def entry_cells(entry) -> list:
    """One entry as the fourteen cells of the official table."""
    return [
        entry.position, entry.category_l1, entry.category_l2, entry.content_elements, entry.basis, entry.time_limit,
        entry.publisher, entry.responsible_section, channels_text(entry.channel_codes, entry.channels_other),
        TICK if entry.audience == Audience.PUBLIC else "",
        entry.audience_group if entry.audience == Audience.SPECIFIC_GROUP else "",
        TICK if entry.mode == Mode.PROACTIVE else "",
        TICK if entry.mode == Mode.ON_REQUEST else "",
        entry.enquiry_phone,
    ]


def xlsx_write(*, title: str, entries, out) -> None:
    """Write the official layout to the binary file ``out``: a title row, the two header rows, one row per entry
    with 一级事项 merged over its consecutive rows, and the 填报说明 on a second sheet. Streams (write-only mode):
    memory stays flat whatever the number of entries."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("目录")
    widths = [6, 16, 18, 36, 36, 22, 16, 16, 20, 7, 12, 6, 7, 16]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    bold = Font(bold=True)

    def cell(value, *, style_border=True, align=wrap, font=None):
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and item.data_type == "f":
            item.data_type = "s"  # text, never a formula (exports must not run anything)
        if style_border:
            item.border = border
        item.alignment = align
        if font is not None:
            item.font = font
        return item

    # Body cells copy the style array of two prototypes: setting border and alignment object by object costs a
    # registry lookup per cell (measured: 4.6 s instead of ~1 s for 5,000 entries).
    prototypes = {"wrap": cell(None), "centre": cell(None, align=centre)}

    def body(value, kind):
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and item.data_type == "f":
            item.data_type = "s"
        item._style = copy(prototypes[kind]._style)
        return item

    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "1:3"
    count = len(TEMPLATE_COLUMNS)
    sheet.append([cell(title, style_border=False, align=centre, font=Font(bold=True, size=14))])
    sheet.merged_cells.add(f"A1:{get_column_letter(count)}1")
    sheet.append([cell(text, align=centre, font=bold) for text in HEADER_TOP])
    sheet.append([cell(text or None, align=centre, font=bold) for text in HEADER_SUB])
    # Header merges: single-row headers span both rows, the paired ones span two columns.
    col = 1
    while col <= count:
        top = HEADER_TOP[col - 1]
        span = 1
        while col + span <= count and HEADER_TOP[col + span - 1] == top:
            span += 1
        letter = get_column_letter(col)
        if span == 1:
            sheet.merged_cells.add(f"{letter}2:{letter}3")
        else:
            sheet.merged_cells.add(f"{letter}2:{get_column_letter(col + span - 1)}2")
        col += span

    row_number, group_start, group_value = 3, None, None
    kinds = ["centre" if i in (0, 9, 10, 11, 12) else "wrap" for i in range(count)]

    def close_group(last_row):
        if group_start is not None and last_row > group_start:
            # Straight into the set: MultiCellRange.add compares with every range already there (quadratic).
            sheet.merged_cells.ranges.add(CellRange(f"B{group_start}:B{last_row}"))

    for entry in entries:
        row_number += 1
        cells = entry_cells(entry)
        if cells[1] != group_value:
            close_group(row_number - 1)
            group_start, group_value = row_number, cells[1]
            sheet.append([body(v, kinds[i]) for i, v in enumerate(cells)])
        else:
            # The merged 一级事项: only the first cell of the range holds the text.
            sheet.append([body(None if i == 1 else v, kinds[i]) for i, v in enumerate(cells)])
    close_group(row_number)

    notes = workbook.create_sheet("填报说明")
    notes.column_dimensions["A"].width = 110
    notes.append([cell("填报说明", style_border=False, font=bold)])
    for line in FILL_IN_NOTES:
        notes.append([cell(line, style_border=False)])
    workbook.save(out)


CSV_HEADER = ["序号", "一级事项", "二级事项", "公开内容(要素)", "公开依据", "公开时限", "公开主体", "责任科室(单位)",
              "公开渠道和载体", "公开对象", "特定群体", "公开方式", "咨询电话"]


def csv_write(*, entries, out) -> None:
    """CSV, UTF-8 with BOM (so that spreadsheets read the Chinese), one header row, formulas neutralised."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow([safe_cell(v) for v in (
            entry.position, entry.category_l1, entry.category_l2, entry.content_elements, entry.basis,
            entry.time_limit, entry.publisher, entry.responsible_section,
            channels_text(entry.channel_codes, entry.channels_other),
            "全社会" if entry.audience == Audience.PUBLIC else "特定群体", entry.audience_group,
            "主动" if entry.mode == Mode.PROACTIVE else "依申请", entry.enquiry_phone)])


def entry_json(entry) -> dict:
    return {
        "position": entry.position, "category_l1": entry.category_l1, "category_l2": entry.category_l2,
        "content_elements": entry.content_elements, "basis": entry.basis, "time_limit": entry.time_limit,
        "time_limit_days": entry.time_limit_days, "time_limit_unit": entry.time_limit_unit,
        "publisher": entry.publisher, "responsible_section": entry.responsible_section,
        "channels": entry.channel_codes, "channels_other": entry.channels_other, "audience": entry.audience,
        "audience_group": entry.audience_group, "mode": entry.mode, "enquiry_phone": entry.enquiry_phone,
        "affairs_group": entry.affairs_group,
    }


def xlsx_bytes(*, title: str, entries) -> bytes:
    out = io.BytesIO()
    xlsx_write(title=title, entries=entries, out=out)
    return out.getvalue()


def grouped_rows(entries) -> list[dict]:
    """Entries with the row span of their 一级事项 cell, as the official table merges it: the first entry of a run
    of equal 一级事项 gets the run's length, the others 0 (their cell is covered)."""
    rows = [{"entry": e, "l1_span": 1, "channels": channels_text(e.channel_codes, e.channels_other)} for e in entries]
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index]["entry"].category_l1 != rows[start]["entry"].category_l1:
            rows[start]["l1_span"] = index - start
            for covered in rows[start + 1:index]:
                covered["l1_span"] = 0
            start = index
    return rows
