"""A tiny case type wired to every shared building block — the model the services copy.

submitted → accepted → completed; submitted → refused (reasons, PDF); submitted/accepted → withdrawn (applicant).
Acceptance must happen within 5 working days of submission (行政许可法 art. 32).
"""
from django.conf import settings
from django.db import models



class ExampleStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    COMPLETED = "completed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class ExampleCase(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("organizations.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ExampleStatus.choices, default=ExampleStatus.SUBMITTED)
    submitted_at = models.DateTimeField()

    def __str__(self):
        return f"{self.reference} {self.title}"
