"""The pemda logo: judged by decoding, stored under our own name, served as an image only."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image


def _png(size=(8, 8)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 20, 20)).save(out, "PNG")
    return out.getvalue()


def _post(client, world, content, name):
    data = {"name": world.own.name, "head_title": "Walikota", "logo": SimpleUploadedFile(name, content)}
    return client.post(reverse("pemda_edit", args=[world.own.slug]), data)


def test_a_real_png_is_stored_under_our_name_and_served_as_png(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["organiser"])
    assert _post(client, world, _png(), "evil.html").status_code == 302
    world.own.refresh_from_db()
    assert world.own.logo.name.startswith("logos/3373-") and world.own.logo.name.endswith(".png")
    r = client.get(reverse("pemda_logo", args=[world.own.slug]))
    assert r["Content-Type"] == "image/png" and "evil" not in r.get("Content-Disposition", "")


def test_an_image_header_followed_by_html_is_refused(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["organiser"])
    r = _post(client, world, b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "logo.png")
    assert r.status_code == 200 and 'id="id_logo_error"' in r.content.decode()
    world.own.refresh_from_db()
    assert not world.own.logo


def test_an_svg_is_refused(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["organiser"])
    r = _post(client, world, b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg")
    assert r.status_code == 200
    world.own.refresh_from_db()
    assert not world.own.logo
