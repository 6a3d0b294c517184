from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import detect_and_validate


class AttachmentField(forms.FileField):
    """A file field that checks the upload's content and size and says why it refuses, in the user's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("PDF, JPEG, PNG or OFD."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            detect_and_validate(upload)
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a product's pictures, a report's photos); cleans to a list, empty when none."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []

