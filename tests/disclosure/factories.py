import io
import json

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from apps.disclosure import services
from apps.disclosure.models import Catalogue, Domain
from apps.organizations.constants import Role
from apps.organizations.models import AdminUnit, Department
from apps.workflow.services import transition_perform
from tests.accounts.factories import StaffFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def entry_data(n=1, **overrides):
    data = {
        "category_l1": "招生入学", "category_l2": f"招生政策{n}", "content_elements": "义务教育招生入学政策、招生范围、招生程序",
        "basis": "《中华人民共和国义务教育法》", "time_limit": "信息形成或者变更之日起20个工作日内",
        "publisher": "盘锦市教育局", "responsible_section": "基础教育科", "channels": "website,notice_board",
        "channels_other": "", "audience": "public", "audience_group": "", "mode": "proactive",
        "enquiry_phone": "0427-2826109",
    }
    data.update(overrides)
    return data


def load_world():
    """Reference data (units, departments, the 26 domains), and the people of two agencies and their office."""
    call_command("load_demo", "--reference-only", verbosity=0)
    education = Department.objects.get(code="city-education")
    civil = Department.objects.get(code="city-civil-affairs")
    office = Department.objects.get(code="city-government-office")
    county_office = Department.objects.get(code="xinglongtai-government-office")
    return {
        "city": AdminUnit.objects.get(code="211100"),
        "education": education,
        "civil": civil,
        "officer": StaffFactory(department=education, roles=[Role.DISCLOSURE_OFFICER], email="o@example.gov.cn"),
        "other_officer": StaffFactory(department=civil, roles=[Role.DISCLOSURE_OFFICER]),
        "reviewer": StaffFactory(department=office, roles=[Role.DISCLOSURE_REVIEWER], email="r@example.gov.cn"),
        "county_reviewer": StaffFactory(department=county_office, roles=[Role.DISCLOSURE_REVIEWER]),
        "clerk": StaffFactory(department=education, roles=[Role.CLERK]),
        "domain": Domain.objects.get(code="compulsory-education"),
        "other_domain": Domain.objects.get(code="social-assistance"),
    }


def catalogue_with_entries(world, n=3, *, domain=None, department=None, officer=None) -> Catalogue:
    officer = officer or world["officer"]
    catalogue = services.catalogue_create(actor=officer, admin_unit=world["city"], domain=domain or world["domain"],
                                          department=department or world["education"])
    for i in range(1, n + 1):
        services.entry_save(actor=officer, catalogue=catalogue, data=entry_data(i))
    return catalogue


def submit(*, actor, catalogue, comment="") -> Catalogue:
    """提交审核 through the one door (what the admin button runs)."""
    return transition_perform(actor=actor, obj=catalogue, name="submit", comment=comment)


def publish(*, actor, catalogue, comment="") -> Catalogue:
    """发布 through the one door (what the admin button runs)."""
    return transition_perform(actor=actor, obj=catalogue, name="publish", comment=comment)


def return_(*, actor, catalogue, reason) -> Catalogue:
    """退回修改 through the one door: the reasons are the comment the officer is told, as the admin form sends them."""
    return transition_perform(actor=actor, obj=catalogue, name="return", comment=reason)


def submit_and_publish(world, catalogue, *, officer=None) -> Catalogue:
    submit(actor=officer or world["officer"], catalogue=catalogue)
    return publish(actor=world["reviewer"], catalogue=catalogue)


def published(world, n=3, **kwargs) -> Catalogue:
    catalogue = catalogue_with_entries(world, n, **kwargs)
    return submit_and_publish(world, catalogue, officer=kwargs.get("officer"))


def workbook(rows, *, title="义务教育领域政务公开事项标准目录", headers=None, merges=(), formula_cells=()):
    """An xlsx laid out as 附件3: title row, two header rows, then ``rows`` (lists of 14 cells)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([title])
    top = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "责任科室(单位)", "公开渠道\n和载体",
           "公开对象", None, "公开方式", None, "咨询电话"]
    sub = [None, "一级事项", "二级事项", None, None, None, None, None, None, "全社会", "特定群体", "主动", "依申请", None]
    if headers is not None:
        top, sub = headers
    ws.append(top)
    ws.append(sub)
    for cells in ("B2:C2", "J2:K2", "L2:M2", "A2:A3", "D2:D3", "N2:N3"):
        ws.merge_cells(cells)
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    for ref, formula in formula_cells:
        ws[ref] = formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(n=1, **kw):
    cells = {
        "position": n, "l1": "招生入学", "l2": f"划片范围{n}", "content": "各公办学校划片招生范围", "basis": "《中华人民共和国义务教育法》",
        "limit": "招生工作开始前", "publisher": "盘锦市教育局", "section": "基础教育科", "channels": "政府网站、公示栏",
        "public": "√", "group": None, "proactive": "√", "on_request": None, "phone": "0427-2826109",
    }
    cells.update(kw)
    return list(cells.values())


def upload(content, name="目录.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def demo_data():
    return json.loads((settings.BASE_DIR / "fixtures/demo/disclosure.json").read_text(encoding="utf-8"))
