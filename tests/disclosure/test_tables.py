"""The official table in and out: round trip, every import error kind, formula safety."""
import csv
import io

import pytest
from openpyxl import load_workbook

from apps.disclosure import services
from apps.disclosure.columns import COLUMN_FIELDS, COLUMNS, DATA_FIELDS, FIELD_TITLES
from apps.disclosure.models import Entry, PublishedEntry
from apps.disclosure.selectors import version_entries
from apps.disclosure.tables import CSV_HEADER, csv_write, row_normalise, row_read, table_read, xlsx_bytes
from tests.disclosure.factories import (catalogue_with_entries, entry_data, load_world, published, row,
                                       submit_and_publish, upload, workbook)

pytestmark = pytest.mark.django_db

FIELDS = ["position", "category_l1", "category_l2", "content_elements", "basis", "time_limit", "publisher",
          "responsible_section", "channels", "channels_other", "audience", "audience_group", "mode", "enquiry_phone"]


def read(content, domain="义务教育", village=False):
    return table_read(io.BytesIO(content), size=len(content), domain_name=domain, village=village)


def errors_of(content, **kw):
    return [(e.row, e.column, e.message) for e in read(content, **kw).errors]


def test_round_trip_export_then_import_gives_the_same_entries(roles):
    world = load_world()
    catalogue = published(world, 3)
    # one entry for a specific group, on request, with an "other" channel — every kind of cell
    services.entry_save(actor=world["officer"], catalogue=catalogue, data={
        "category_l1": "学生资助", "category_l2": "资助名单", "content_elements": "受资助学生名单", "basis": "《学生资助资金管理办法》",
        "time_limit": "评定结束后5个工作日内", "publisher": "盘锦市教育局", "responsible_section": "学生资助管理中心",
        "channels": "notice_board,other", "channels_other": "学校公示栏", "audience": "specific_group",
        "audience_group": "受资助学生及家长", "mode": "on_request", "enquiry_phone": "0427-2826109、12345"})
    catalogue = submit_and_publish(world, catalogue)
    original = list(version_entries(version=catalogue.current_version))
    content = xlsx_bytes(title=catalogue.title, entries=original)

    table = read(content)
    assert table.errors == []
    assert [[r[f] for f in FIELDS] for r in table.rows] == [[getattr(e, f) for f in FIELDS] for e in original]
    assert table.rows[-1]["time_limit_days"] == 5 and table.rows[-1]["time_limit_unit"] == "working_days"

    # …and through the import service: nothing changes, every entry keeps its identity.
    keys = set(Entry.objects.filter(catalogue=catalogue).values_list("key", flat=True))
    record, table = services.catalogue_import_preview(actor=world["officer"], catalogue=catalogue,
                                                      upload=upload(content))
    summary = services.catalogue_import_apply(actor=world["officer"], record=record)
    assert summary == {"added": 0, "updated": 0, "retired": 0}
    assert set(Entry.objects.filter(catalogue=catalogue, retired_at__isnull=True).values_list("key", flat=True)) == keys


def test_export_has_the_official_header_merges_and_notes_sheet(roles):
    world = load_world()
    catalogue = published(world, 3)
    wb = load_workbook(io.BytesIO(xlsx_bytes(title=catalogue.title,
                                             entries=version_entries(version=catalogue.current_version))))
    sheet = wb.worksheets[0]
    assert sheet["A1"].value == "盘锦市义务教育领域政务公开事项标准目录"
    assert [sheet.cell(2, c).value for c in range(1, 15)] == [
        "序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "责任科室(单位)", "公开渠道和载体", "公开对象",
        None, "公开方式", None, "咨询电话"]
    assert [sheet.cell(3, c).value for c in (2, 3, 10, 11, 12, 13)] == ["一级事项", "二级事项", "全社会", "特定群体", "主动", "依申请"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"B2:C2", "J2:K2", "L2:M2", "A2:A3", "B4:B6"} <= merged  # the three 招生入学 entries share one 一级事项 cell
    assert sheet["B4"].value == "招生入学" and sheet["B5"].value is None
    assert wb.sheetnames[1] == "填报说明"
    assert "公开渠道和载体" in wb.worksheets[1]["A8"].value


def test_merged_cells_of_any_column_fill_their_rows():
    content = workbook([row(1, publisher="盘锦市教育局"), row(2, l1=None, publisher=None, phone=None),
                        row(3, l1="学生资助", l2="资助政策")], merges=["B4:B5", "G4:G5", "N4:N5"])
    table = read(content)
    assert table.errors == []
    assert [r["category_l1"] for r in table.rows] == ["招生入学", "招生入学", "学生资助"]
    assert table.rows[1]["publisher"] == "盘锦市教育局" and table.rows[1]["enquiry_phone"] == "0427-2826109"


@pytest.mark.parametrize("cells, column, message", [
    (row(1, content=None), "公开内容(要素)", "此列为必填项"),
    (row(1, l1=None), "一级事项", "此列为必填项"),
    (row(1, phone="电话待定"), "咨询电话", "不是有效的电话号码"),
    (row(1, phone="0427-282"), "咨询电话", "不是有效的电话号码"),
    (row(1, public=None, group=None), "全社会", "请勾选全社会"),
    (row(1, group="低保对象"), "特定群体", "只能选择其一"),
    (row(1, proactive=None, on_request=None), "主动", "主动和依申请须勾选且只能勾选其一"),
    (row(1, proactive="视情况"), "主动", "“视情况”不是勾选"),
    (row(1, public="全体"), "全社会", "“全体”不是勾选"),
    (row(1, position="一"), "序号", "“一”不是数字"),
    (row(1, basis="=HYPERLINK(\"http://evil.example\",\"点击\")"), "公开依据", "不接受公式"),
    (row(1, section="@SUM(1+1)"), "责任科室(单位)", "不接受公式"),
])
def test_each_bad_cell_is_named_by_row_and_column(cells, column, message, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    errors = errors_of(workbook([row(1, l2="第一行"), cells]))
    # the second data row is spreadsheet row 5 (title, two header rows, first entry)
    assert any(r == 5 and c == column and message in m for r, c, m in errors), errors


def test_duplicate_numbers_and_a_real_formula_cell(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    content = workbook([row(1), row(1, l2="另一项")], formula_cells=[("D4", "=HYPERLINK(\"http://x\",\"y\")")])
    errors = errors_of(content)
    assert (5, "序号", "序号1重复。") in errors
    assert any(r == 4 and c == "公开内容(要素)" and "不接受公式" in m for r, c, m in errors)


def test_missing_column_is_named(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    top = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "责任科室(单位)", "公开渠道和载体",
           "公开对象", None, "公开方式", None, "备注"]
    sub = [None, "一级事项", "二级事项", None, None, None, None, None, None, "全社会", "特定群体", "主动", "依申请", None]
    errors = errors_of(workbook([row(1)], headers=(top, sub)))
    assert errors == [(2, "咨询电话", "缺少标准目录模板中的这一列。")]


def test_unknown_domain_and_another_domain_in_the_title(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    load_world()
    assert errors_of(workbook([row(1)], title="盘锦市外太空领域政务公开事项标准目录")) == [
        (1, "标题", "“盘锦市外太空”不是政务公开试点领域。")]
    assert errors_of(workbook([row(1)], title="盘锦市社会救助领域政务公开事项标准目录")) == [
        (1, "标题", "该表格属于“社会救助”领域，本目录为“义务教育”领域。")]


def test_not_an_xlsx_and_too_large(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert "不是xlsx表格" in errors_of(b"%PDF-1.4 not a workbook")[0][2]
    assert "不是xlsx表格" in errors_of(b"PK\x03\x04 broken zip")[0][2]
    big = b"x" * (30 * 1024 * 1024)
    table = table_read(io.BytesIO(big), size=len(big), domain_name="义务教育", village=False)
    assert "30.0 MB" in table.errors[0].message and "10 MB" in table.errors[0].message


def test_village_catalogue_first_level_is_one_of_the_five_affairs(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    good = read(workbook([row(1, l1="财务公开", l2="收支情况")], title="兴隆社区村(居)务公开目录"), village=True)
    assert good.errors == [] and good.rows[0]["affairs_group"] == "finance"
    bad = errors_of(workbook([row(1, l1="招生入学")], title="兴隆社区村(居)务公开目录"), village=True)
    assert bad and bad[0][1] == "一级事项" and "党务公开" in bad[0][2]


def test_exports_never_carry_a_live_formula(roles):
    world = load_world()
    catalogue = published(world, 1)
    entries = list(version_entries(version=catalogue.current_version))
    entries[0].content_elements = "=HYPERLINK(\"http://evil.example\",\"点击\")"  # as if it had slipped in
    sheet = load_workbook(io.BytesIO(xlsx_bytes(title="t", entries=entries))).worksheets[0]
    assert sheet["D4"].data_type == "s" and sheet["D4"].value.startswith("=HYPERLINK")
    out = io.StringIO()
    csv_write(entries=entries, out=out)
    cells = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert cells[1][3] == "'=HYPERLINK(\"http://evil.example\",\"点击\")"


# ---- the declared columns and the three reading steps -------------------------------------------------------------

def test_the_declared_columns_are_the_official_ones_and_the_models_fields():
    assert [(c.top, c.sub) for c in COLUMNS] == [
        ("序号", ""), ("公开事项", "一级事项"), ("公开事项", "二级事项"), ("公开内容(要素)", ""), ("公开依据", ""),
        ("公开时限", ""), ("公开主体", ""), ("责任科室(单位)", ""), ("公开渠道和载体", ""), ("公开对象", "全社会"),
        ("公开对象", "特定群体"), ("公开方式", "主动"), ("公开方式", "依申请"), ("咨询电话", "")]
    for model in (Entry, PublishedEntry):
        assert set(DATA_FIELDS) <= {f.name for f in model._meta.get_fields()}
    assert set(FIELD_TITLES) == set(COLUMN_FIELDS)
    assert CSV_HEADER == ["序号", "一级事项", "二级事项", "公开内容(要素)", "公开依据", "公开时限", "公开主体", "责任科室(单位)",
                          "公开渠道和载体", "公开对象", "特定群体", "公开方式", "咨询电话"]


def cells(**overrides):
    """One row's texts by column key, as the header step maps them."""
    texts = dict(zip([c.key for c in COLUMNS], [str(v or "") for v in row(3)]))
    texts.update(overrides)
    return texts


def test_row_read_reads_one_row_into_the_entry_fields():
    values, errors = row_read(cells(channels="公示栏、其他：村民微信群", audience_public="", audience_group="低保对象",
                                    mode_proactive="", mode_on_request="√"), village=False)
    assert errors == []
    assert values == {
        "position": 3, "category_l1": "招生入学", "category_l2": "划片范围3", "content_elements": "各公办学校划片招生范围",
        "basis": "《中华人民共和国义务教育法》", "time_limit": "招生工作开始前", "publisher": "盘锦市教育局",
        "responsible_section": "基础教育科", "channels": "notice_board,other", "channels_other": "村民微信群",
        "audience": "specific_group", "audience_group": "低保对象", "mode": "on_request", "enquiry_phone": "0427-2826109",
        "affairs_group": ""}


def test_row_read_names_the_row_column_and_field_of_each_error(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    seen = {3}
    _values, errors = row_read(cells(audience_public="", audience_group="√", channels="政府网站、其他", basis="",
                                     enquiry_phone="电话"), village=True, row=7, numbers_seen=seen)
    assert [(e.row, e.column, e.field, e.message) for e in errors] == [
        (7, "公开依据", "basis", "此列为必填项。"),
        (7, "序号", "position", "序号3重复。"),
        (7, "公开渠道和载体", "channels_other", "请写明其他渠道。"),
        (7, "咨询电话", "enquiry_phone", "“电话”不是有效的电话号码（例如 0427-2826109 或 12345）。"),
        (7, "一级事项", "category_l1", "村(居)务公开目录的一级事项须为党务公开、村(居)务公开、财务公开、服务公开、事务公开之一。")]


def test_row_normalise_turns_a_row_or_some_fields_into_entry_data():
    row_values, _errors = row_read(cells(position="", time_limit="信息形成之日起10个工作日内"), village=False)
    data = row_normalise({**row_values, "row": 9})
    assert "position" not in data and "row" not in data  # numbered when saved; the sheet's row is not the entry's
    assert (data["time_limit_days"], data["time_limit_unit"]) == (10, "working_days")
    assert row_normalise({"audience": "public", "audience_group": "低保对象", "channels": "website",
                          "channels_other": "公众号", "category_l2": None}) == {
        "audience": "public", "audience_group": "", "channels": "website", "channels_other": "", "category_l2": ""}
    assert row_normalise({"basis": "改"}) == {"basis": "改"}  # a change of one field touches no other


def test_the_header_is_found_by_its_names_in_any_column_order():
    top = ["序号", "公开事项", None, "公开内容(要素)", "咨询电话", "公开时限", "公开主体", "责任科室(单位)", "公开渠道和载体",
           "公开对象", None, "公开方式", None, "公开依据"]
    sub = [None, "一级事项", "二级事项", None, None, None, None, None, None, "全社会", "特定群体", "主动", "依申请", None]
    swapped = row(1)
    swapped[4], swapped[13] = swapped[13], swapped[4]
    table = read(workbook([swapped], headers=(top, sub)))
    assert table.errors == []
    assert (table.rows[0]["basis"], table.rows[0]["enquiry_phone"]) == ("《中华人民共和国义务教育法》", "0427-2826109")


@pytest.mark.parametrize("cells_, column, message", [
    (row(1, channels="政府网站、其他"), "公开渠道和载体", "请写明其他渠道。"),
    (row(1, channels="其他：" + "群" * 201), "公开渠道和载体", "最多200个字。"),
    (row(1, public=None, group="群" * 201), "特定群体", "最多200个字。"),
])
def test_the_import_refuses_what_an_entry_may_not_hold(cells_, column, message, settings):
    """The rules the entry form always had, and the model's lengths, hold for an imported row too."""
    settings.LANGUAGE_CODE = "zh-hans"
    assert errors_of(workbook([cells_])) == [(4, column, message)]


@pytest.mark.parametrize("text", ["0", "-1"])
def test_row_read_refuses_a_number_below_one(settings, text):
    settings.LANGUAGE_CODE = "zh-hans"
    values, errors = row_read(cells(position=text), village=False, row=4)
    assert values["position"] is None
    assert [(e.row, e.column, e.message) for e in errors] == [(4, "序号", "序号须为1或更大的整数。")]


@pytest.mark.parametrize("text,expected", [
    ("每年3月31日前", {"kind": "yearly", "month": 3, "day": 31, "days": None}),
    ("每年度1月31日之前公开上年度报告", {"kind": "yearly", "month": 1, "day": 31, "days": None}),
    ("每月10日前", {"kind": "monthly", "day": 10, "month": None, "days": None}),
    ("会议召开5个工作日前", {"kind": "lead", "days": 5, "unit": "working_days"}),
    ("信息形成或变更之日起20个工作日内", {"kind": "from_event", "days": 20, "unit": "working_days"}),
    ("20个工作日内", {"kind": "duration", "days": 20, "unit": "working_days"}),
    ("7日内", {"kind": "duration", "days": 7, "unit": "calendar_days"}),
    ("招生工作开始前", {"kind": "text", "days": None, "month": None, "day": None}),
    ("实时", {"kind": "text", "days": None}),
])
def test_a_time_limit_is_read_as_what_it_says(text, expected):
    from apps.disclosure.validators import time_limit_parse

    parsed = time_limit_parse(text)
    assert {key: getattr(parsed, key) for key in expected} == expected


def test_the_json_export_gives_the_kind_of_each_time_limit(client, roles):
    from django.urls import reverse

    world = load_world()
    catalogue = catalogue_with_entries(world, 1)
    services.entry_save(actor=world["officer"], catalogue=catalogue, data={**entry_data(2), "time_limit": "每年3月31日前"})
    catalogue = submit_and_publish(world, catalogue)
    data = client.get(reverse("disclosure:export", args=[catalogue.pk, "json"])).json()
    yearly = next(e for e in data["entries"] if e["time_limit"] == "每年3月31日前")
    assert yearly["time_limit_kind"] == "yearly" and (yearly["time_limit_month"], yearly["time_limit_day"]) == (3, 31)
    assert yearly["time_limit_days"] is None  # never “31 days”


def seed_style_workbook():
    """A township's 社会救助 table filled the way 附件3 and its 填报说明 allow, as the seed's template lays it out: the
    title, 序号 and the single-row headers merged over both header rows, header text broken over lines (公开渠道 / 和载体),
    一级事项 merged down its rows, 公开主体, 责任科室 and 咨询电话 merged down the whole table, an item without a 二级事项
    written across both 公开事项 columns, ticks as people type them (√, ✓, 主动公开), both 主动 and 依申请 ticked,
    特定群体 ticked without a name and with one, the channels the seed names (村民微信群, 益农信息社, 触摸屏, 信息公示栏),
    the template's “……” row and the 填报说明 under the table."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["社会救助领域政务公开事项标准目录"])
    ws.append(["序号", "公开事项", None, "公开内容\n(要素)", "公开依据", "公开时限", "公开主体", "责任科室\n(单位)",
               "公开渠道\n和载体", "公开对象", None, "公开方式", None, "咨询电话"])
    ws.append([None, "一级事项", "二级事项", None, None, None, None, None, None, "全社会", "特定群体", "主动", "依申请", None])
    body = [
        [1, "最低生活保障", "办事指南", "申请条件、办理流程、申请材料", "《社会救助暂行办法》", "信息形成或变更之日起20个工作日内",
         "某某镇人民政府", "社会事务办", "政府网站、信息公示栏、村民微信群", "√", None, "√", None, "0427-2826109"],
        [2, None, "低保对象名单", "姓名、保障人数、保障金额", "《社会救助暂行办法》", "每月10日前", None, None,
         "公示栏、益农信息社", None, "√", "✓", "√", None],
        [3, None, "救助资金发放", "发放对象、金额", "《社会救助暂行办法》", "每年3月31日前", None, None,
         "公示栏、触摸屏、其他：村民代表会议", None, "低保对象、特困人员", "主动公开", None, None],
        [4, "临时救助", None, "救助标准、申请方式", "《社会救助暂行办法》", "及时", None, None, "政务服务中心", "√", None, None,
         "√", None],
        ["……", None, None, None, None, None, None, None, None, None, None, None, None, None],
        ["填报说明：1.公开事项：应公开事项的名称，按类别区分一级事项和二级事项。"],
    ]
    for cells_ in body:
        ws.append(cells_)
    for ref in ("A1:N1", "A2:A3", "B2:C2", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "I2:I3", "J2:K2", "L2:M2",
                "N2:N3", "B4:B6", "B7:C7", "G4:G7", "H4:H7", "N4:N7", "A9:N9"):
        ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_table_filled_as_the_seed_allows_imports_and_says_what_was_read(settings):
    """附件3's 填报说明 as a township fills it: nothing a person would dispute is refused, and each cell read as other
    than written is named by row and column."""
    settings.LANGUAGE_CODE = "zh-hans"
    table = read(seed_style_workbook(), domain="社会救助")
    assert table.errors == []
    rows = {r["position"]: r for r in table.rows}
    assert sorted(rows) == [1, 2, 3, 4]
    assert [rows[n]["category_l1"] for n in (1, 2, 3, 4)] == ["最低生活保障"] * 3 + ["临时救助"]
    assert rows[4]["category_l2"] == ""  # written across both 公开事项 columns
    assert {rows[n]["publisher"] for n in rows} == {"某某镇人民政府"}
    assert {rows[n]["enquiry_phone"] for n in rows} == {"0427-2826109"}
    assert (rows[1]["channels"], rows[1]["channels_other"]) == ("website,notice_board,other", "村民微信群")
    assert (rows[2]["channels"], rows[2]["channels_other"]) == ("notice_board,other", "益农信息社")
    assert (rows[3]["channels"], rows[3]["channels_other"]) == ("notice_board,other", "触摸屏、村民代表会议")
    assert (rows[2]["audience"], rows[2]["audience_group"]) == ("specific_group", "")
    assert (rows[3]["audience"], rows[3]["audience_group"]) == ("specific_group", "低保对象、特困人员")
    assert [rows[n]["mode"] for n in (1, 2, 3, 4)] == ["proactive", "both", "proactive", "on_request"]
    assert rows[2]["time_limit_kind"] == "monthly" and rows[3]["time_limit_kind"] == "yearly"
    notes = {(n.row, n.column, n.message) for n in table.notes}
    assert notes == {
        (4, "公开渠道和载体", "“信息公示栏”读作“公示栏”。"),
        (4, "公开渠道和载体", "“村民微信群”读作“其他：村民微信群”。"),
        (5, "公开渠道和载体", "“益农信息社”读作“其他：益农信息社”。"),
        (5, "特定群体", "特定群体已勾选但未写明群体名称：读作特定群体。"),
        (5, "主动", "主动和依申请均已勾选：读作既主动公开又依申请公开。"),
        (6, "公开渠道和载体", "“触摸屏”读作“其他：触摸屏”。"),
        (7, "二级事项", "与一级事项合并：读作无二级事项。"),
    }, notes


def test_a_seed_style_table_round_trips_through_the_export():
    """What was read is what an export writes back: both modes ticked, the group ticked without a name, others last."""
    table = read(seed_style_workbook(), domain="社会救助")
    entries = [Entry(**{k: v for k, v in r.items() if k != "row"}) for r in table.rows]
    again = read(xlsx_bytes(title="社会救助领域政务公开事项标准目录", entries=entries), domain="社会救助")
    assert again.errors == []
    strip = [{k: v for k, v in r.items() if k != "row"} for r in table.rows]
    assert [{k: v for k, v in r.items() if k != "row"} for r in again.rows] == strip
