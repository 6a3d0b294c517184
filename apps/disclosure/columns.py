"""The fourteen columns of the official table (本政办发〔2020〕28号 附件3), declared once.

Everything that names, writes or reads a column derives from ``COLUMNS``: the entry fields a caller may write
(``ENTRY_FIELDS``) and those an export carries (``DATA_FIELDS``), the names the diff between versions gives them
(``FIELD_TITLES``), the xlsx, PDF, CSV and JSON headers, and the checks of one row (``tables.row_read``), which the
import and the admin's entry form share. The fields themselves, with their lengths, are the model's
(``models.EntryFields``); tests keep the two in line.
"""
from dataclasses import dataclass
from enum import StrEnum

from .constants import Audience, Mode


class Kind(StrEnum):
    """How a column's cell is read and written."""

    NUMBER = "number"  # 序号: a whole number, or empty (numbered after the others)
    TEXT = "text"
    CHANNELS = "channels"  # the template's labels separated by 、 (其他：<name>) ↔ channel codes
    PHONE = "phone"  # one or more telephone numbers
    TICK = "tick"  # √ when the entry's ``field`` has the column's ``choice``
    NAMED = "named"  # a tick that holds a name instead of √ (特定群体: the group)


@dataclass(frozen=True)
class Column:
    key: str  # the column's name in code (its error, its cell)
    top: str  # first header row
    sub: str = ""  # second header row, under a first-row header that spans two columns
    kind: Kind = Kind.TEXT
    field: str = ""  # the entry field the column fills (defaults to ``key``)
    choice: str = ""  # TICK, NAMED: the value of ``field`` the column stands for
    also: tuple[str, ...] = ()  # TICK: other values of ``field`` it is ticked for too (主动 for 主动 + 依申请)
    text_field: str = ""  # NAMED: the field its text fills; CHANNELS: the other channel's name
    text_title: str = ""  # how the diff names ``text_field`` (defaults to the column's header)
    derived: tuple[str, ...] = ()  # fields read from the column's text (公开时限 → days and unit)
    required: bool = False
    width: int = 16  # xlsx column width (characters)

    def __post_init__(self):
        if not self.field:
            object.__setattr__(self, "field", self.key)

    @property
    def header(self) -> str:
        """The column's own header, as errors and the CSV name it: 一级事项, not 公开事项."""
        return self.sub or self.top

    def ticked_for(self, value) -> bool:
        """TICK, NAMED: whether the column is ticked for ``value`` of its field."""
        return value == self.choice or value in self.also

    @property
    def centred(self) -> bool:
        return self.kind in (Kind.NUMBER, Kind.TICK, Kind.NAMED)


COLUMNS = (
    Column("position", "序号", kind=Kind.NUMBER, width=6),
    Column("category_l1", "公开事项", "一级事项", required=True, width=16),
    Column("category_l2", "公开事项", "二级事项", width=18),
    Column("content_elements", "公开内容(要素)", required=True, width=36),
    Column("basis", "公开依据", required=True, width=36),
    Column("time_limit", "公开时限", required=True, width=22, derived=("time_limit_kind", "time_limit_days", "time_limit_unit",
                                                                  "time_limit_month", "time_limit_day")),
    Column("publisher", "公开主体", required=True, width=16),
    Column("responsible_section", "责任科室(单位)", required=True, width=16),
    Column("channels", "公开渠道和载体", kind=Kind.CHANNELS, required=True, width=20, text_field="channels_other",
           text_title="其他渠道"),
    Column("audience_public", "公开对象", "全社会", kind=Kind.TICK, field="audience", choice=Audience.PUBLIC, width=7),
    Column("audience_group", "公开对象", "特定群体", kind=Kind.NAMED, field="audience", choice=Audience.SPECIFIC_GROUP,
           text_field="audience_group", width=12),
    Column("mode_proactive", "公开方式", "主动", kind=Kind.TICK, field="mode", choice=Mode.PROACTIVE, width=6,
           also=(Mode.BOTH,)),
    Column("mode_on_request", "公开方式", "依申请", kind=Kind.TICK, field="mode", choice=Mode.ON_REQUEST, width=7,
           also=(Mode.BOTH,)),
    Column("enquiry_phone", "咨询电话", kind=Kind.PHONE, required=True, width=16),
)

COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# A choice field whose columns may all be ticked at once, and the value it then takes (填报说明 item 9: an item
# disclosed 主动 and also 依申请). The other pairs (公开对象) take one column.
COMBINED_CHOICES = {"mode": Mode.BOTH}

# The entry's fields filled from the columns, left to right: what the admin form edits and the diff compares.
COLUMN_FIELDS = tuple(dict.fromkeys(f for c in COLUMNS for f in (c.field, c.text_field) if f))
# 五务 of a village catalogue (村(居)务公开), read from its 一级事项 (tables.row_read).
AFFAIRS_GROUP_FIELD = "affairs_group"
# What a caller may write into an entry.
ENTRY_FIELDS = (*COLUMN_FIELDS, AFFAIRS_GROUP_FIELD)
# What an entry carries, in the order of the JSON export and the API: the columns' fields with what is read from them.
DATA_FIELDS = (*dict.fromkeys(f for c in COLUMNS for f in (c.field, *c.derived, c.text_field) if f),
               AFFAIRS_GROUP_FIELD)
# Read from other fields, never typed: left out of the changes an edit records.
DERIVED_FIELDS = (*(f for c in COLUMNS for f in c.derived), AFFAIRS_GROUP_FIELD)


def _field_titles() -> dict[str, str]:
    titles = {}
    for column in COLUMNS:
        # A pair of tick columns is one field named by the header over both (公开对象, 公开方式).
        titles.setdefault(column.field, column.top if column.kind in (Kind.TICK, Kind.NAMED) else column.header)
        if column.text_field:
            titles.setdefault(column.text_field, column.text_title or column.header)
    return titles


# How the diff between versions (and the CSV header) names each field.
FIELD_TITLES = _field_titles()


def choice_groups() -> dict[str, list[Column]]:
    """The tick columns of each choice field, left to right: audience → [全社会, 特定群体], mode → [主动, 依申请]."""
    groups: dict[str, list[Column]] = {}
    for column in COLUMNS:
        if column.kind in (Kind.TICK, Kind.NAMED):
            groups.setdefault(column.field, []).append(column)
    return groups


def header_groups() -> list[tuple[int, int, str]]:
    """The first header row as (index of its first column, columns spanned, text): a column alone spans both header
    rows; 公开事项, 公开对象 and 公开方式 span the two columns named in the second row."""
    groups, index = [], 0
    while index < len(COLUMNS):
        span = 1
        while index + span < len(COLUMNS) and COLUMNS[index + span].top == COLUMNS[index].top:
            span += 1
        groups.append((index, span, COLUMNS[index].top))
        index += span
    return groups
