import datetime
import subprocess
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from apps.documents.models import Document
from apps.documents.services import document_html
from apps.organizations.models import Department


class Command(BaseCommand):
    help = "Render a document template with sample Chinese content to PDF (and PNG with --png), without the database."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the PDF file to write")
        parser.add_argument("--template", default="documents/notice.html")
        parser.add_argument("--png", action="store_true", help="also write page PNGs with pdftoppm (poppler-utils)")

    def handle(self, *args, out, template, png, **options):
        from weasyprint import HTML

        department = Department(name="市政务服务中心", full_name="盘锦市政务服务中心")
        document = Document(
            kind="preview", title="受理通知书", year=2026, seq=123, number="盘政服受字〔2026〕123号",
            verification_code="ABCD2345EFGH", issued_on=datetime.date(2026, 11, 22), issuing_department=department,
            context={
                "recipient": "张三",
                "paragraphs": [
                    "你（单位）于2026年11月20日提出的“食品经营许可（新办）”申请，申请材料齐全、符合法定形式，根据"
                    "《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。",
                    "我机关将自受理之日起二十个工作日内作出行政许可决定。",
                ],
                "items": [{"name": "营业执照", "note": "复印件1份"}, {"name": "法定代表人身份证明", "note": "原件核验"}],
            },
        )
        started = time.monotonic()
        pdf = HTML(string=document_html(document, template=template), base_url=".").write_pdf()
        Path(out).write_bytes(pdf)
        self.stdout.write(f"{out}: {len(pdf)} bytes in {time.monotonic() - started:.2f} s")
        if png:
            subprocess.run(["pdftoppm", "-r", "80", "-png", out, str(Path(out).with_suffix(""))], check=True)
            self.stdout.write(f"PNG pages: {Path(out).with_suffix('')}-*.png")
