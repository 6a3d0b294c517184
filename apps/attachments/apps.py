from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "apps.attachments"
    verbose_name = _("Attachments")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own bound for every image this process opens (PDF rendering, demo data, uploads): a warning above
        # it, an error above twice it. Uploads are refused earlier, from their header (validators.image_check).
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
