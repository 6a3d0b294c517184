"""The coverage report (检查验收) as a workbook: units × domains, the figures per unit (绩效考核), villages × 五务."""
import io

from django.utils.translation import gettext as _


def _state_text(cell) -> str:
    if cell["state"] == "missing":
        return _("missing")
    if cell["state"] == "unpublished":
        return _("not published (%(status)s)") % {"status": cell["status"]}
    text = f"v{cell['version']} {cell['published_on']:%Y-%m-%d}（{cell['entries']}）"
    overdue = _("overdue for review")
    return text if cell["state"] == "published" else f"{text} {overdue}"


def coverage_xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    bold = Font(bold=True)
    fills = {"missing": PatternFill("solid", fgColor="FDE7E7"), "unpublished": PatternFill("solid", fgColor="FFF4D6"),
             "stale": PatternFill("solid", fgColor="FFF4D6")}

    figures = workbook.active
    figures.title = _("Figures")
    header = [_("Unit"), _("Level"), _("Domains"), _("Published and current"), _("Older than the period"),
              _("Not yet published"), _("Missing"), _("Entries"), _("Coverage (%)")]
    figures.append(header)
    for row in report["rows"]:
        figures.append([row["unit"].name, row["unit"].get_level_display(), len(report["domains"]), row["published"],
                        row["stale"], row["unpublished"], row["missing"], row["entries"], row["rate"]])
    for cell in figures[1]:
        cell.font = bold
    figures.column_dimensions["A"].width = 18

    matrix = workbook.create_sheet(_("Units × domains"))
    matrix.append([_("Unit")] + [d.name for d in report["domains"]])
    for cell in matrix[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in report["rows"]:
        matrix.append([row["unit"].name] + [_state_text(c) for c in row["cells"]])
        for cell, state in zip(matrix[matrix.max_row][1:], row["cells"]):
            if state["state"] in fills:
                cell.fill = fills[state["state"]]
    matrix.column_dimensions["A"].width = 18

    villages = workbook.create_sheet(_("Villages × five affairs"))
    villages.append([_("Village / community"), _("Township / street"), _("Catalogue")]
                    + [str(g.label) for g in report["groups"]] + [_("Groups without entries")])
    for cell in villages[1]:
        cell.font = bold
    for row in report["villages"]:
        villages.append([row["unit"].name, row["unit"].parent.name if row["unit"].parent_id else "",
                         _state_text(row["cell"])] + row["groups"] + ["、".join(str(g) for g in row["missing_groups"])])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
