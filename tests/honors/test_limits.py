"""An honor application's files are bounded (issue 14): a material uploaded again in a draft replaces the earlier
file, a removed product or honor takes its files with it, and a file shared with the published version is kept."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.attachments.models import Attachment
from apps.attachments.selectors import attachments_for_case
from apps.honors import services
from apps.honors.constants import Purpose

from .factories import PDF, fill, load_world, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return load_world()


def edit(client, application, data):
    return client.post(reverse("honors:edit", args=[application.pk]), data)


def test_a_material_uploaded_again_replaces_the_earlier_file(client, world, settings,
                                                             django_capture_on_commit_callbacks):
    application = fill(world)
    purpose = Purpose.MATERIALS[0]
    first = attachments_for_case(obj=application).get(purpose=purpose)
    first_path = settings.PRIVATE_MEDIA_ROOT / first.file.name
    client.force_login(world["enterprise"])
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, application, {"part": "material", "material-purpose": purpose,
                                              "material-upload": SimpleUploadedFile("新版.pdf", PDF + b"% v2\n")})
    assert response.status_code == 302
    assert [a.original_name for a in attachments_for_case(obj=application).filter(purpose=purpose)] == ["新版.pdf"]
    assert not first_path.exists()


def test_a_removed_product_takes_its_images_with_it(client, world, settings, django_capture_on_commit_callbacks):
    application = fill(world)
    product = application.products.get()
    images = list(attachments_for_case(obj=application).filter(purpose=f"{Purpose.PRODUCT_IMAGE}:{product.pk}"))
    assert images
    client.force_login(world["enterprise"])
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, application, {"part": "remove_product", "id": str(product.pk)})
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk__in=[a.pk for a in images]).exists()
    assert not any((settings.PRIVATE_MEDIA_ROOT / a.file.name).exists() for a in images)


def test_an_update_draft_replacing_a_copied_file_keeps_the_published_one(client, world, settings,
                                                                        django_capture_on_commit_callbacks):
    application = published(world)
    update = services.honor_application_start(applicant=world["enterprise"])
    purpose = Purpose.MATERIALS[0]
    copied = attachments_for_case(obj=update).get(purpose=purpose)
    original = attachments_for_case(obj=application).get(purpose=purpose)
    assert copied.file.name == original.file.name
    client.force_login(world["enterprise"])
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, update, {"part": "material", "material-purpose": purpose,
                              "material-upload": SimpleUploadedFile("更新.pdf", PDF + b"% v3\n")})
    assert not Attachment.objects.filter(pk=copied.pk).exists()
    assert (settings.PRIVATE_MEDIA_ROOT / original.file.name).exists()  # the published version's file stays
