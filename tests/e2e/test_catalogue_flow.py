"""A visitor without an account finds an innovation in the public catalogue, on a desktop and a phone,
with and without JavaScript: searches "perizinan", sees "izin" marked, filters by province, opens the
innovation's page, shares it on WhatsApp, and reaches the pemda's page."""

from __future__ import annotations

import datetime

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from tests.catalog.conftest import make_innovation, publish
from tests.e2e.conftest import CHROMIUM_ARGS, DESKTOP  # noqa: F401

pytestmark = [pytest.mark.e2e]


def _catalogue(world):
    w = world
    izin = make_innovation(w.own, w.kel, "Layanan izin usaha daring", description="Pengajuan izin usaha mikro lewat aplikasi",
                           urusan="penanaman_modal", digital=True, implemented=datetime.date(2019, 11, 14),
                           problem="Warga menunggu perizinan berhari-hari", results="Izin terbit dalam satu hari",
                           contact_name="Kontak Pribadi", contact_phone="081234567890")
    antrean = make_innovation(w.other, w.other_unit, "Nomor antrean puskesmas", description="Antrean pasien diatur dari rumah",
                              stage="uji_coba", urusan="kesehatan", implemented=datetime.date(2022, 5, 2))
    publish(izin, antrean)
    return izin


def test_visitor_finds_and_shares_an_innovation(page, shot, live_server, world):
    izin = _catalogue(world)
    page.goto("/login/")
    page.get_by_role("link", name="Katalog inovasi").click()
    expect(page.locator("h1")).to_have_text("Katalog inovasi")
    expect(page.get_by_role("status")).to_contain_text("2 inovasi dipublikasikan.")
    shot("01-catalogue")

    page.get_by_label("Cari", exact=True).fill("perizinan")
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_role("status")).to_contain_text("1 inovasi ditemukan untuk “perizinan”.")
    expect(page.locator(".catalogue-results mark").first).to_have_text("izin")
    shot("02-search-perizinan")

    page.get_by_role("link", name="Hapus filter").click()
    page.get_by_label("Provinsi").select_option("36")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator(".catalogue-title")).to_have_text(["Nomor antrean puskesmas"])
    page.get_by_role("link", name="Hapus filter").click()
    expect(page.locator(".catalogue-title")).to_have_count(2)
    shot("03-catalogue-phone", phone=True)

    page.get_by_role("link", name="Layanan izin usaha daring").click()
    expect(page).to_have_url(f"{live_server.url}/katalog/3373-kota-salatiga/{izin.pk}-layanan-izin-usaha-daring/")
    expect(page.locator("h1")).to_have_text("Layanan izin usaha daring")
    expect(page.locator("body")).to_contain_text("Izin terbit dalam satu hari")
    expect(page.locator("body")).not_to_contain_text("Kontak Pribadi")
    expect(page.locator("body")).not_to_contain_text("081234567890")
    share = page.get_by_role("link", name="Bagikan lewat WhatsApp")
    assert share.get_attribute("href").startswith("https://wa.me/?text=Layanan%20izin%20usaha%20daring")
    assert page.locator('meta[property="og:title"]').get_attribute("content") == "Layanan izin usaha daring · Kota Salatiga"
    shot("04-innovation")
    shot("05-innovation-phone", phone=True)

    page.get_by_role("link", name="Inovasi lain Kota Salatiga").click()
    expect(page.locator("h1")).to_have_text("Inovasi Kota Salatiga")
    shot("06-pemda")
    assert page.js_errors == []


def test_catalogue_works_without_javascript(browser, live_server, world, artifacts):
    _catalogue(world)
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="id-ID", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/katalog/")
        page.get_by_label("Cari", exact=True).fill("antrian")
        page.get_by_role("button", name="Cari").click()
        expect(page.locator(".catalogue-title")).to_have_text(["Nomor antrean puskesmas"])
        page.get_by_role("link", name="Nomor antrean puskesmas").click()
        expect(page.locator("h1")).to_have_text("Nomor antrean puskesmas")
        page.screenshot(path=str(artifacts / "catalogue_no_javascript.png"), full_page=True)
    finally:
        context.close()
