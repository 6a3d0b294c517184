"""The official table of 附件3 in and out: xlsx (two header rows, merged cells, 填报说明 sheet), CSV and JSON rows.

The columns are declared once, in ``columns.COLUMNS``. Reading takes a workbook filled the way governments fill it
(a title row, two header rows, 一级事项 and other columns merged over several rows) in three steps — the header
(``header_read``), each row (``row_read``), the rows as entry data (``row_normalise``) — and returns the rows with
every error by row and column; the admin's entry form and ``services.entry_save`` check one entry with the same row
and normalise steps (``entry_check``). Writing streams (openpyxl write-only mode) and never emits a live formula.
"""
import csv
import io
import os
import re
import zipfile
from copy import copy
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .columns import (AFFAIRS_GROUP_FIELD, COLUMN_BY_KEY, COMBINED_CHOICES, COLUMNS, DATA_FIELDS, ENTRY_FIELDS,
                      FIELD_TITLES, Kind, choice_groups, header_groups)
from .constants import (AFFAIRS_GROUP_ALIASES, CHANNEL_LABELS_ZH, FILL_IN_NOTES, TICK, TICK_MARKS, UNTICKED_MARKS,
                        Audience)
from .models import Entry
from .validators import looks_like_formula, time_limit_parse, validate_enquiry_phone

CHANNEL_BY_LABEL = {label: code for code, label in CHANNEL_LABELS_ZH.items()}
L1_INDEX = COLUMNS.index(COLUMN_BY_KEY["category_l1"])  # 一级事项: merged over its consecutive rows
_TITLE = re.compile(r"^(?P<prefix>.*?)(?P<domain>[^\s　]+?)领域政务公开事项标准目录$")


def _norm(text) -> str:
    """Header text as compared: no spaces or line breaks, half-width parentheses."""
    return re.sub(r"\s+", "", str(text or "")).replace("（", "(").replace("）", ")")


@dataclass
class CellError:
    row: int
    column: str  # the column's header, e.g. 咨询电话
    message: str
    field: str = ""  # the entry field it concerns, e.g. enquiry_phone (where a form shows it)

    def __str__(self):
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedTable:
    rows: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    # What was read as something other than written (信息公示栏 → 公示栏, both modes ticked …), by row and column.
    notes: list[CellError] = field(default_factory=list)
    title: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def channels_read(text: str) -> tuple[list[str], list[str], list[str]]:
    """Read a 公开渠道和载体 cell as people fill it: ‘政府网站、信息公示栏、村民微信群、其他：益农信息社’ →
    (["website", "notice_board", "other"], ["村民微信群", "益农信息社"], notes). The template's labels are its channels;
    another name of one of them (``CHANNEL_ALIASES``: 信息公示栏 = 公示栏) is that channel; any other name is an
    other channel (其他) kept with its name — the 填报说明 lists its channels as examples (“例如 … 其他等”), and the
    seed itself names 村(居)民微信群, 益农信息社 and 触摸屏. Each name read as something else gets a note saying so."""
    from .constants import CHANNEL_ALIASES

    codes, others, notes = [], [], []
    after_other = False
    for part in re.split(r"[、,，;；/\n]+", str(text or "")):
        part = part.strip().strip("。.")
        if not part:
            continue
        if part in CHANNEL_BY_LABEL:
            codes.append(CHANNEL_BY_LABEL[part])
            continue
        match = re.fullmatch(r"其他\s*[:：(（]?\s*(.*?)\s*[)）]?", part)
        if match:
            codes.append("other")
            after_other = True
            if match.group(1):
                others.append(match.group(1))
            continue
        if not after_other and part in CHANNEL_ALIASES:
            code = CHANNEL_ALIASES[part]
            codes.append(code)
            notes.append(_("“%(name)s” read as %(channel)s.") % {"name": part, "channel": CHANNEL_LABELS_ZH[code]})
            continue
        # After 其他：, a list goes on naming other channels; before it, a name of the city's own is one too.
        codes.append("other")
        others.append(part)
        if not after_other:
            notes.append(_("“%(name)s” read as 其他：%(name)s.") % {"name": part})
    return list(dict.fromkeys(codes)), list(dict.fromkeys(others)), notes


def channels_parse(text: str) -> tuple[list[str], str]:
    """‘政府网站、公示栏、其他：村民微信群’ → (["website", "notice_board", "other"], "村民微信群")."""
    codes, others, _notes = channels_read(text)
    return codes, "、".join(others)


def channels_text(codes: list[str], other: str = "") -> str:
    """The cell as the table writes it: the template's labels in their order, 其他 last with its names."""
    labels = [CHANNEL_LABELS_ZH.get(code, code) for code in codes if code != "other"]
    if "other" in codes:
        labels.append(f"其他：{other}" if other else CHANNEL_LABELS_ZH["other"])
    return "、".join(labels)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell_text(cell) -> str:
    return _text(cell.value)


# ---- reading: header, row, normalise ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cell:
    value: object = None
    data_type: str = "n"


_EMPTY = _Cell()
# Columns kept from each row: the template has 14; the header is looked for in the first 20.
_MAX_COLUMNS = 64


class TooManyRows(Exception):
    pass


class _Sheet:
    """A worksheet read as governments fill it: every cell of a merged range reads the value of its top-left cell.

    Built by ``sheet_stream`` from the rows as openpyxl's read-only parser yields them, so that the row limit is
    enforced while reading; only cells with a value are kept."""

    def __init__(self, cells: dict, merged_ranges=()):
        self._cells = cells  # {(row, col): _Cell}
        self.max_row = max((row for row, _col in cells), default=0)
        self.max_column = max((col for _row, col in cells), default=0)
        self._source = {}
        for merged in merged_ranges:
            for row in range(merged.min_row, min(merged.max_row, self.max_row) + 1):
                for col in range(merged.min_col, min(merged.max_col, _MAX_COLUMNS) + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        self._source[(row, col)] = (merged.min_row, merged.min_col)

    def cell(self, row: int, col: int):
        return self._cells.get(self._source.get((row, col), (row, col)), _EMPTY)

    def text(self, row: int, col: int) -> str:
        return _cell_text(self.cell(row, col))

    def merged_from(self, row: int, col: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range covering (row, col), None when the cell is its own."""
        return self._source.get((row, col))

    def own_text(self, row: int, col: int) -> str:
        """The cell's own text, a merged range's copy not counted."""
        return _cell_text(self._cells.get((row, col), _EMPTY))


def sheet_stream(fileobj, *, max_row: int) -> _Sheet:
    """The first worksheet of an xlsx, read as a stream (openpyxl read-only: rows are parsed one by one from the
    sheet's XML, never held as a whole workbook). Raises TooManyRows as soon as a row past ``max_row`` is met, before
    the rest of the sheet is read."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.worksheet.cell_range import CellRange

    workbook = load_workbook(fileobj, read_only=True, data_only=False)
    try:
        worksheet = workbook.worksheets[0]
        cells = {}
        # ReadOnlyWorksheet iterates the same parser but drops the merged ranges, which come after the rows in the
        # sheet's XML; the parser is driven here to keep them (openpyxl 3.1, pinned in requirements.txt).
        with worksheet._get_source() as source:
            parser = WorkSheetParser(source, worksheet._shared_strings, data_only=False, epoch=workbook.epoch,
                                     date_formats=workbook._date_formats,
                                     timedelta_formats=workbook._timedelta_formats)
            for index, row in parser.parse():
                if index > max_row:
                    raise TooManyRows(index)
                for cell in row:
                    if cell["value"] is not None and cell["column"] <= _MAX_COLUMNS:
                        cells[(index, cell["column"])] = _Cell(cell["value"], cell["data_type"])
            merged = [CellRange(item.ref) for item in (parser.merged_cells.mergeCell if parser.merged_cells else [])]
    finally:
        workbook.close()
    return _Sheet(cells, merged)


@dataclass
class Header:
    row: int  # the first of the two header rows
    columns: dict[str, int]  # column key → the sheet's column number
    title: str = ""

    @property
    def complete(self) -> bool:
        return len(self.columns) == len(COLUMNS)


def header_read(sheet: _Sheet, *, domain_name: str, village: bool) -> tuple[Header | None, list[CellError]]:
    """Step 1 of reading a table: find the header row (序号 within the first 12 rows), check the title above it (a
    title naming another domain, or no domain, is an error) and map the fourteen columns by their two header rows.
    None when there is no header row; a header that misses a column has an error for each (and is not complete)."""
    from .selectors import domain_names

    errors = []
    width = min(sheet.max_column, 20)
    header_row = next((row for row in range(1, min(sheet.max_row, 12) + 1)
                       if any(_norm(sheet.text(row, col)) == "序号" for col in range(1, width + 1))), None)
    if header_row is None:
        errors.append(CellError(1, "序号", _("No header row was found: the table must start with the two header rows "
                                           "of the official template (序号, 公开事项 …).")))
        return None, errors

    header = Header(row=header_row, columns={})
    for row in range(1, header_row):
        text = _norm(" ".join(sheet.text(row, col) for col in range(1, width + 1)))
        if "目录" in text:
            header.title = text
            match = _TITLE.match(text)
            if match and not village and not match.group("domain").endswith(domain_name):
                named = match.group("domain")
                known = domain_names()
                found = next((n for n in sorted(known, key=len, reverse=True) if named.endswith(n)), None)
                if found is None:
                    errors.append(CellError(row, _("title"), _("“%(name)s” is not one of the disclosure "
                                                                "domains.") % {"name": named}))
                elif found != domain_name:
                    errors.append(CellError(row, _("title"), _(
                        "The table is for the domain “%(found)s”, this catalogue is for “%(domain)s”.")
                        % {"found": found, "domain": domain_name}))

    for col in range(1, sheet.max_column + 1):
        top = _norm(sheet.text(header_row, col))
        sub = _norm(sheet.text(header_row + 1, col))
        for column in COLUMNS:
            if column.key in header.columns:
                continue
            if top == _norm(column.top) and (sub == _norm(column.sub) or (not column.sub and sub in ("", top))):
                header.columns[column.key] = col
                break
    for column in COLUMNS:
        if column.key not in header.columns:
            errors.append(CellError(header_row, column.header, _("This column of the official template is missing.")))
    return header, errors


# A pair of tick columns filled in wrongly: (the column named, the message) when more than one is filled, and when
# none is.
_CHOICE_ERRORS = {
    "audience": (("audience_group", gettext_lazy("Tick either 全社会 or 特定群体, not both.")),
                 ("audience_public", gettext_lazy("Tick 全社会, or name the group under 特定群体."))),
    "mode": (("mode_proactive", gettext_lazy("Tick exactly one of 主动 and 依申请.")),
             ("mode_proactive", gettext_lazy("Tick exactly one of 主动 and 依申请."))),
}


def _max_length(column) -> int | None:
    """The model's length of the text a column holds (a TextField has none)."""
    if column.kind in (Kind.TEXT, Kind.PHONE):
        return Entry._meta.get_field(column.field).max_length
    if column.kind == Kind.NAMED:
        return Entry._meta.get_field(column.text_field).max_length
    return None


def _error_field(column) -> str:
    return column.text_field if column.kind == Kind.NAMED else column.field


def row_read(texts: dict, *, village: bool, row: int = 0, formulas=(), numbers_seen: set | None = None,
             notes: list | None = None) -> tuple[dict, list[CellError]]:
    """Step 2 of reading a table: read and check one row. ``texts`` maps each column's key to its cell's text (a
    merged cell already filled in; a missing key reads as empty); ``formulas`` names the columns whose cell is a live
    formula; ``numbers_seen`` holds the 序号 of the rows above (a number may not repeat; this row's is added).

    Returns the row's values by entry field (序号 None when empty) and its errors, each naming the row, the column and
    the entry field concerned; the values mean nothing when there are errors. The admin's entry form and
    ``services.entry_save`` read an entry as such a row (``entry_check``): one set of rules for every way in.
    ``notes`` receives what was read as something other than written (信息公示栏 → 公示栏, both modes ticked …), for
    the import's preview to show."""
    texts = {column.key: _text(texts.get(column.key)) for column in COLUMNS}
    errors = []

    def error(column, message, concerns=""):
        errors.append(CellError(row, column.header, str(message), concerns or _error_field(column)))

    def note(column, message):
        if notes is not None:
            notes.append(CellError(row, column.header, str(message), _error_field(column)))

    for column in COLUMNS:
        if column.key in formulas or looks_like_formula(texts[column.key]):
            error(column, _("A formula or a text starting with “=”, “+”, “-” or “@” is not accepted: write the "
                            "text itself."))
    for column in COLUMNS:
        if column.required and not texts[column.key]:
            error(column, _("This column is required."))
    for column in COLUMNS:
        limit = _max_length(column)
        if limit is not None and len(texts[column.key]) > limit:
            error(column, _("At most %(max)d characters.") % {"max": limit})

    values = {}
    groups = choice_groups()
    for column in COLUMNS:
        text = texts[column.key]
        if column.kind == Kind.NUMBER:
            number = None
            if text:
                try:
                    number = int(text)
                except ValueError:
                    error(column, _("“%(value)s” is not a number.") % {"value": text})
                else:
                    if number < 1:  # 序号 counts from 1 (and the database keeps it positive)
                        error(column, _("The number must be 1 or more."))
                        number = None
            if number is not None and numbers_seen is not None:
                if number in numbers_seen:
                    error(column, _("Number %(value)s appears twice.") % {"value": number})
                numbers_seen.add(number)
            values[column.field] = number
        elif column.kind == Kind.CHANNELS:
            codes, other = [], ""
            if text:
                codes, others, read_notes = channels_read(text)
                other = "、".join(others)
                for message in read_notes:
                    note(column, message)
                limit = Entry._meta.get_field(column.text_field).max_length
                if "other" in codes and not other:
                    error(column, _("Name the other channel."), column.text_field)
                elif len(other) > limit:
                    error(column, _("At most %(max)d characters.") % {"max": limit}, column.text_field)
            values[column.field] = ",".join(codes)
            values[column.text_field] = other
        elif column.kind in (Kind.TICK, Kind.NAMED):
            if column.field not in values:  # read once, with the first column of its pair
                values.update(_choice_read(groups[column.field], texts, error, note))
        else:
            if column.kind == Kind.PHONE and text:
                try:
                    validate_enquiry_phone(text)
                except ValidationError as invalid:
                    error(column, " ".join(invalid.messages))
            values[column.field] = text

    affairs_group = ""
    if village and texts["category_l1"]:
        affairs_group = AFFAIRS_GROUP_ALIASES.get(texts["category_l1"], "")
        if not affairs_group:
            error(COLUMN_BY_KEY["category_l1"], _("In a village catalogue 一级事项 is one of 党务公开, 村(居)务公开, 财务公开, "
                                                  "服务公开, 事务公开."))
    values[AFFAIRS_GROUP_FIELD] = affairs_group
    return values, errors


def _tick_read(column, text: str) -> tuple[bool, str] | None:
    """One cell of a tick column as people fill it: (ticked, the name written in it) — √ and the other tick marks,
    the column's own header (主动, 主动公开, 特定群体), under 特定群体 a group's name with or without a tick
    (“√（低保对象）”); empty, ×, 否 or / for not ticked. None when the cell says something else."""
    text = text.strip()
    if not text or text in UNTICKED_MARKS:
        return False, ""
    headers = {column.sub, f"{column.sub}公开", f"{column.sub}对象"}
    if text in TICK_MARKS or text in headers:
        return True, ""
    if column.kind == Kind.NAMED:
        name = text.lstrip("".join(TICK_MARKS)).strip().strip("()（）:：").strip()
        return True, ("" if name in headers else name)
    return None


def _choice_read(columns, texts, error, note) -> dict:
    """One choice made by ticking a pair of columns: 全社会 or 特定群体 (with the group's name, or only ticked);
    主动, 依申请, or both (``COMBINED_CHOICES``)."""
    choice_field = columns[0].field
    (both_key, both), (none_key, none) = _CHOICE_ERRORS[choice_field]
    read = {}
    for column in columns:
        cell = _tick_read(column, texts[column.key])
        if cell is None:
            error(column, _("“%(value)s” is not a tick: write √ in the column that applies and leave the other "
                            "empty.") % {"value": texts[column.key]})
        else:
            read[column.key] = cell
    filled = [column for column in columns if read.get(column.key, (False, ""))[0]]
    value, names = columns[0].choice, {}
    if len(filled) > 1 and choice_field in COMBINED_CHOICES:
        value = COMBINED_CHOICES[choice_field]
        note(filled[0], _("Both 主动 and 依申请 are ticked: read as disclosed proactively and on request."))
    elif len(filled) > 1:
        error(COLUMN_BY_KEY[both_key], both)
    elif not filled:
        if len(read) == len(columns):  # a cell that is not a tick has its own error already
            error(COLUMN_BY_KEY[none_key], none)
    else:
        chosen = filled[0]
        value = chosen.choice
        if chosen.text_field:
            names[chosen.text_field] = read[chosen.key][1]
            if not names[chosen.text_field]:
                note(chosen, _("%(column)s is ticked without naming the group: read as a specific group.")
                     % {"column": chosen.sub})
    values = {choice_field: value}
    for column in columns:
        if column.text_field:
            values[column.text_field] = names.get(column.text_field, "")
    return values


def row_normalise(row: dict) -> dict:
    """Step 3 of reading a table: a row (or some of an entry's fields) as entry data — only the fields a caller may
    write, text never None, 序号 left out when empty (numbered on saving), the time limit also read as its kind and numbers,
    a group's name only for a specific group, another channel's name only with 其他."""
    data = {k: ("" if v is None and k != "position" else v) for k, v in row.items() if k in ENTRY_FIELDS}
    if data.get("position") is None:
        data.pop("position", None)
    if "time_limit" in data:
        data.update(time_limit_parse(data["time_limit"]).fields())
    if "audience" in data and data["audience"] != Audience.SPECIFIC_GROUP:
        data["audience_group"] = ""
    if "channels" in data and "other" not in (data["channels"] or "").split(","):
        data["channels_other"] = ""
    return data


def entry_check(*, entry=None, data: dict, village: bool) -> tuple[dict, list[CellError]]:
    """An entry as it would be with ``data`` (some of its fields; a new entry when ``entry`` is None), checked as a
    row of the official table: its cells as an export writes them (``entry_cells``), read back by ``row_read`` and
    normalised. Returns the entry's data and the errors (without a row number). The admin's entry form shows the
    errors beside its fields; ``services.entry_save`` refuses an entry with any."""
    candidate = Entry(**{name: getattr(entry, name) for name in ENTRY_FIELDS}) if entry is not None else Entry()
    for name, value in row_normalise(data).items():
        setattr(candidate, name, value)
    texts = {column.key: cell for column, cell in zip(COLUMNS, entry_cells(candidate))}
    values, errors = row_read(texts, village=village)
    return row_normalise(values), errors


def table_read(fileobj, *, size: int, domain_name: str, village: bool) -> ParsedTable:
    """Read an uploaded workbook laid out as 附件3, in three steps: the header (``header_read``), each row
    (``row_read``), the rows as entry data (``row_normalise``). ``domain_name`` is the catalogue's domain: a title that
    names another domain is an error, as is a domain that does not exist. Rows without a number are numbered after
    the numbered ones; every error comes with its row and column."""
    from openpyxl.utils.exceptions import InvalidFileException

    from apps.attachments.validators import archive_check

    max_bytes, max_rows = settings.DISCLOSURE_IMPORT_MAX_BYTES, settings.DISCLOSURE_IMPORT_MAX_ROWS
    table = ParsedTable()
    if size > max_bytes:
        table.errors.append(CellError(0, _("file"), _("The file is %(size).1f MB; at most %(max)d MB may be imported.")
                                      % {"size": size / 1024 / 1024, "max": max_bytes // 1024 // 1024}))
        return table
    not_xlsx = CellError(0, _("file"), _("This is not an xlsx workbook. Save the table as “Excel workbook (.xlsx)” "
                                         "and upload it again."))
    too_many = CellError(0, _("file"), _("At most %(max)d rows may be imported at once.") % {"max": max_rows})
    try:
        # What the workbook expands to, from the archive's directory, before anything is decompressed.
        with zipfile.ZipFile(fileobj) as archive:
            archive_check(archive, name=os.path.basename(getattr(fileobj, "name", None) or "") or _("the workbook"),
                          compressed_size=size)
            # openpyxl keeps every shared string in memory even read-only: the table of strings is bounded apart
            # (a 10 MB workbook whose strings expand to 91 MB took 50 s and 500 MB before).
            strings = next((e for e in archive.infolist() if e.filename.lower() == "xl/sharedstrings.xml"), None)
            if strings is not None and strings.file_size > settings.DISCLOSURE_IMPORT_MAX_STRINGS_BYTES:
                raise ValidationError(_("The workbook holds more text than a catalogue does (%(size)s of cell text). "
                                        "Split the table and import it in parts.")
                                      % {"size": filesizeformat(strings.file_size)})
        fileobj.seek(0)
        # The header is within the first 12 rows and takes two: no row past 13 + the limit can be imported.
        sheet = sheet_stream(fileobj, max_row=13 + max_rows)
    except ValidationError as error:
        table.errors.append(CellError(0, _("file"), " ".join(error.messages)))
        return table
    except TooManyRows:
        table.errors.append(too_many)
        return table
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, IndexError,
            SyntaxError):  # ElementTree's ParseError is a SyntaxError
        table.errors.append(not_xlsx)
        return table

    header, errors = header_read(sheet, domain_name=domain_name, village=village)
    table.errors.extend(errors)
    if header is None:
        return table
    table.title = header.title
    if not header.complete:
        return table

    first = header.row + 2
    if sheet.max_row + 1 - first > max_rows:
        too_many.row = first
        table.errors.append(too_many)
        return table
    numbers_seen = set()
    read = []
    for row in range(first, sheet.max_row + 1):
        cells = {key: sheet.cell(row, col) for key, col in header.columns.items()}
        texts = {key: _cell_text(cell) for key, cell in cells.items()}
        l1_col, l2_col = header.columns["category_l1"], header.columns["category_l2"]
        source = sheet.merged_from(row, l2_col)
        if source is not None and source[1] == l1_col:
            # 一级事项 written across both 公开事项 columns: an item without a 二级事项.
            texts["category_l2"] = ""
            notes_row = [CellError(row, COLUMN_BY_KEY["category_l2"].header,
                                   _("Merged with 一级事项: read as no 二级事项."), "category_l2")]
        else:
            notes_row = []
        if texts["position"].startswith("填报说明"):
            break
        if (not any(sheet.own_text(row, col) for col in header.columns.values())
                or texts["position"] in ("……", "...", "…")):
            continue
        values, errors = row_read(texts, village=village, row=row, numbers_seen=numbers_seen, notes=notes_row,
                                  formulas={key for key, cell in cells.items() if cell.data_type == "f"})
        table.notes.extend(notes_row)
        if errors:
            table.errors.extend(errors)
        else:
            read.append((row, values))
    if not read and not table.errors:
        table.errors.append(CellError(first, "序号", _("The table has no entries.")))
    # Rows without a number keep their place after the numbered ones.
    next_position = max(numbers_seen, default=0) + 1
    for row, values in read:
        if values["position"] is None:
            values["position"] = next_position
            next_position += 1
        table.rows.append({"row": row, **row_normalise(values)})
    return table


# ---- writing -----------------------------------------------------------------------------------------------------

def safe_cell(text) -> str:
    """Text for CSV (and any sheet written as values): a leading =, +, -, @ is neutralised with an apostrophe
    (OWASP CSV injection)."""
    text = "" if text is None else str(text)
    return "'" + text if looks_like_formula(text) else text


def _cell(entry, column):
    if column.kind == Kind.CHANNELS:
        return channels_text(entry.channel_codes, getattr(entry, column.text_field))
    if column.kind == Kind.TICK:
        return TICK if column.ticked_for(getattr(entry, column.field)) else ""
    if column.kind == Kind.NAMED:
        # Chosen without a name (which no check lets through), it shows as a bare tick, as a table would.
        return (getattr(entry, column.text_field) or TICK) if getattr(entry, column.field) == column.choice else ""
    return getattr(entry, column.field)


def entry_cells(entry) -> list:
    """One entry as the fourteen cells of the official table."""
    return [_cell(entry, column) for column in COLUMNS]


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
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
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
    count = len(COLUMNS)
    sheet.append([cell(title, style_border=False, align=centre, font=Font(bold=True, size=14))])
    sheet.merged_cells.add(f"A1:{get_column_letter(count)}1")
    sheet.append([cell(column.top, align=centre, font=bold) for column in COLUMNS])
    sheet.append([cell(column.sub or None, align=centre, font=bold) for column in COLUMNS])
    # Header merges: single-row headers span both rows, the paired ones span two columns.
    for index, span, _top in header_groups():
        letter = get_column_letter(index + 1)
        if span == 1:
            sheet.merged_cells.add(f"{letter}2:{letter}3")
        else:
            sheet.merged_cells.add(f"{letter}2:{get_column_letter(index + span)}2")

    row_number, group_start, group_value = 3, None, None
    kinds = ["centre" if column.centred else "wrap" for column in COLUMNS]
    l1, l1_letter = L1_INDEX, get_column_letter(L1_INDEX + 1)

    def close_group(last_row):
        if group_start is not None and last_row > group_start:
            # Straight into the set: MultiCellRange.add compares with every range already there (quadratic).
            sheet.merged_cells.ranges.add(CellRange(f"{l1_letter}{group_start}:{l1_letter}{last_row}"))

    for entry in entries:
        row_number += 1
        cells = entry_cells(entry)
        if cells[l1] != group_value:
            close_group(row_number - 1)
            group_start, group_value = row_number, cells[l1]
            sheet.append([body(v, kinds[i]) for i, v in enumerate(cells)])
        else:
            # The merged 一级事项: only the first cell of the range holds the text.
            sheet.append([body(None if i == l1 else v, kinds[i]) for i, v in enumerate(cells)])
    close_group(row_number)

    notes = workbook.create_sheet("填报说明")
    notes.column_dimensions["A"].width = 110
    notes.append([cell("填报说明", style_border=False, font=bold)])
    for line in FILL_IN_NOTES:
        notes.append([cell(line, style_border=False)])
    workbook.save(out)


def _choice_label(entry, *, name, labels):
    return labels.get(getattr(entry, name), "")


def _csv_columns() -> list[tuple]:
    """One CSV column per field: a pair of tick columns is one column holding the ticked one's header (公开对象:
    全社会 or 特定群体), followed by the group's name; the other columns as in the official table."""
    columns, groups = [], choice_groups()
    for column in COLUMNS:
        if column.kind in (Kind.TICK, Kind.NAMED):
            if column is groups[column.field][0]:
                labels = {c.choice: c.header for c in groups[column.field]}
                if column.field in COMBINED_CHOICES:
                    labels[COMBINED_CHOICES[column.field]] = "、".join(c.header for c in groups[column.field])
                columns.append((FIELD_TITLES[column.field], partial(_choice_label, name=column.field, labels=labels)))
            if column.kind == Kind.NAMED:
                columns.append((column.header, attrgetter(column.text_field)))
        else:
            columns.append((column.header, partial(_cell, column=column)))
    return columns


CSV_COLUMNS = _csv_columns()
CSV_HEADER = [title for title, _value in CSV_COLUMNS]


def csv_write(*, entries, out) -> None:
    """CSV, UTF-8 with BOM (so that spreadsheets read the Chinese), one header row, formulas neutralised."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow([safe_cell(value(entry)) for _title, value in CSV_COLUMNS])


def entry_json(entry) -> dict:
    """An entry's fields in the JSON export (channels as a list of codes)."""
    data = {name: getattr(entry, name) for name in DATA_FIELDS}
    data["channels"] = entry.channel_codes
    return data


def xlsx_bytes(*, title: str, entries) -> bytes:
    out = io.BytesIO()
    xlsx_write(title=title, entries=entries, out=out)
    return out.getvalue()


def grouped_rows(entries, *, cells: bool = False) -> list[dict]:
    """Entries with the row span of their 一级事项 cell, as the official table merges it: the first entry of a run
    of equal 一级事项 gets the run's length, the others 0 (their cell is covered). With ``cells``, each row also has
    its fourteen cells (value, centred, row span: 0 for a covered cell), as the xlsx writes them."""
    rows = [{"entry": e, "l1_span": 1, "channels": channels_text(e.channel_codes, e.channels_other)} for e in entries]
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index]["entry"].category_l1 != rows[start]["entry"].category_l1:
            rows[start]["l1_span"] = index - start
            for covered in rows[start + 1:index]:
                covered["l1_span"] = 0
            start = index
    if cells:
        for row in rows:
            row["cells"] = [
                {"value": value, "centred": column.centred, "rowspan": row["l1_span"] if i == L1_INDEX else 1}
                for i, (column, value) in enumerate(zip(COLUMNS, entry_cells(row["entry"])))]
    return rows


def header_rows() -> list[list[dict]]:
    """The two header rows of the official table as HTML cells (text, colspan, rowspan), for the PDF."""
    top = [{"text": text, "colspan": span, "rowspan": 2 if span == 1 else 1} for _i, span, text in header_groups()]
    sub = [{"text": column.sub, "colspan": 1, "rowspan": 1} for column in COLUMNS if column.sub]
    return [top, sub]
