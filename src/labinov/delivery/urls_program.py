"""Deliver pages of a program (relative to /pemda/<pemda>/programs/<program>/): commitment documents,
the progress dashboard and the launchings."""

from django.urls import path

from . import commitment_views as c
from . import launch_views as launch
from . import monitoring_views as m

urlpatterns = [
    path("commitments/", c.commitment_list, name="commitment_list"),
    path("commitments/template/", c.commitment_settings, name="commitment_settings"),
    path("commitments/prepare/", c.commitment_prepare, name="commitment_prepare"),
    path("commitments/generate/", c.commitment_generate, name="commitment_generate"),
    path("commitments/sign/", c.commitment_sign_many, name="commitment_sign_many"),
    path("commitments/nip/", c.commitment_nip, name="commitment_nip"),
    path("commitments/batches/<id:batch>/", c.commitment_batch, name="commitment_batch"),
    path("commitments/batches/<id:batch>/documents.zip", c.commitment_batch_zip, name="commitment_batch_zip"),
    path("commitments/batches/<id:batch>/documents.pdf", c.commitment_batch_pdf, name="commitment_batch_pdf"),
    path("commitments/<id:commitment>/", c.commitment_detail, name="commitment_detail"),
    path("commitments/<id:commitment>/preview/", c.commitment_preview, name="commitment_preview"),
    path("commitments/<id:commitment>/document.pdf", c.commitment_pdf, name="commitment_pdf"),
    path("commitments/<id:commitment>/make-pdf/", c.commitment_make_pdf, name="commitment_make_pdf"),
    path("commitments/<id:commitment>/party/", c.commitment_party, name="commitment_party"),
    path("commitments/<id:commitment>/sign/", c.commitment_sign, name="commitment_sign"),
    path("commitments/<id:commitment>/upload/", c.commitment_upload, name="commitment_upload"),
    path("commitments/<id:commitment>/signed-file/", c.commitment_signed_file, name="commitment_signed_file"),
    path("commitments/<id:commitment>/activate/", c.commitment_activate, name="commitment_activate"),
    path("commitments/<id:commitment>/close/", c.commitment_close, name="commitment_close"),
    path("progress/", m.progress_dashboard, name="progress_dashboard"),
    path("progress/units/<id:unit>/", m.progress_unit, name="progress_unit"),
    path("launches/", launch.launch_list, name="launch_list"),
    path("launches/new/", launch.launch_create, name="launch_create"),
    path("launches/<id:launch>/", launch.launch_detail, name="launch_detail"),
]
