"""随手拍 photos are bounded like every image (issue 14): a photo of too many pixels is refused from its header, the
report is not kept, and at most MAX_PHOTOS photos are taken."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.attachments.models import Attachment
from apps.grid.constants import MAX_PHOTOS
from apps.grid.models import GridCase
from tests.applications.test_limits import png_header_only_big

from .factories import load_people, load_world, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_people(load_world())


def test_a_photo_of_144_megapixels_is_refused_and_nothing_is_kept(client, world):
    client.force_login(world["citizen"])
    huge = SimpleUploadedFile("现场.png", png_header_only_big(), content_type="image/png")
    response = client.post(reverse("grid:report"), {"description": "人行道井盖丢失", "lat": "41.105", "lng": "122.005",
                                                    "photos": [png(), huge]})
    assert response.status_code == 400
    assert "“现场.png”的像素远超上限" in response.content.decode()
    assert not GridCase.objects.exists() and not Attachment.objects.exists()


def test_more_photos_than_allowed_are_refused(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("grid:report"), {"description": "垃圾", "lat": "41.105", "lng": "122.005",
                                                    "photos": [png() for _ in range(MAX_PHOTOS + 1)]})
    assert response.status_code == 400 and f"最多{MAX_PHOTOS}张" in response.content.decode()
    assert not GridCase.objects.exists() and not Attachment.objects.exists()
