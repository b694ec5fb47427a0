"""The public catalogue: anonymous access, stemmed full-text search with variants, filters and facets,
highlighting, the innovation's public page (canonical URL, Open Graph, WhatsApp, caching, 404s) and the pemda page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from labinov.catalog import selectors
from labinov.catalog.search import highlight, parse

from .conftest import make_innovation, publish

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = "/katalog/"


def names(response) -> list[str]:
    return [row["innovation"].name for row in response.context["rows"]]


def search(client, **params):
    response = client.get(LIST, params, **EN)
    assert response.status_code == 200
    return response


def test_catalogue_url_and_anonymous_access(catalog_world, client):
    assert reverse("catalog_list") == LIST
    response = search(client)
    assert sorted(names(response)) == ["Layanan izin usaha daring", "Nomor antrean puskesmas", "Pelajar punya kartu tanda penduduk"]
    assert "Izin rahasia" not in response.content.decode()
    indonesian = client.get(LIST, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<h1>Katalog inovasi</h1>" in indonesian and "3 inovasi dipublikasikan." in indonesian


@pytest.mark.parametrize("query, expected", [
    ("perizinan", ["Layanan izin usaha daring"]),  # stemmed: perizinan -> izin
    ("online", ["Layanan izin usaha daring"]),  # loan word: online -> daring
    ("antrian", ["Nomor antrean puskesmas"]),  # spelling variant
    ("KTP", ["Pelajar punya kartu tanda penduduk"]),  # abbreviation -> its words
    ("kartu tanda penduduk", ["Pelajar punya kartu tanda penduduk"]),
    ("antrean panjang di puskesmas", ["Nomor antrean puskesmas"]),  # a problem statement, profile text searched
    ("Perizinan", ["Layanan izin usaha daring"]),
])
def test_search_finds_by_stem_and_variant(catalog_world, client, query, expected):
    assert names(search(client, q=query)) == expected


def test_search_never_finds_unpublished(catalog_world, client):
    response = search(client, q="rahasia")
    assert names(response) == []
    assert "Nothing in the catalogue matches" in response.content.decode()


def test_nothing_matches_gives_an_empty_result_and_help(catalog_world, client):
    response = search(client, q="qwzx kapal selam")
    body = response.content.decode()
    assert names(response) == [] and response.context["total"] == 0
    assert "Nothing in the catalogue matches “qwzx kapal selam”" in body
    assert "Check the spelling" in body
    # a query of function words only searches for nothing (not everything)
    assert names(search(client, q="dan yang di")) == []


def test_all_words_first_then_any_word_ranked(catalog_world, client):
    response = search(client, q="izin puskesmas")  # no innovation has both
    assert response.context["results"].any_term
    assert set(names(response)) == {"Layanan izin usaha daring", "Nomor antrean puskesmas"}
    assert "contain some of them" in response.content.decode()
    assert not search(client, q="izin usaha").context["results"].any_term


def test_ranking_puts_the_better_match_first(catalog_world, client):
    w = catalog_world
    weak = make_innovation(w.own, w.kel, "Pojok baca warga", description="Buku tentang izin ada di rak")
    strong = make_innovation(w.own, w.kel, "Izin reklame kilat", description="Izin reklame dan izin keramaian diurus sekali datang",
                             problem="Izin reklame lama")
    publish(weak, strong)
    found = names(search(client, q="izin"))
    assert found.index("Izin reklame kilat") < found.index("Pojok baca warga")


def test_matches_are_highlighted_and_escaped(catalog_world, client):
    w = catalog_world
    evil = make_innovation(w.own, w.kel, "Izin <script>alert(1)</script> cepat", description="Perizinan & <b>tebal</b>")
    publish(evil)
    body = search(client, q="izin").content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>tebal</b>" not in body
    assert "<mark>Izin</mark> &lt;script&gt;alert(1)&lt;/script&gt; cepat" in body
    assert "<mark>Perizinan</mark> &amp; &lt;b&gt;tebal&lt;/b&gt;" in body
    assert str(highlight("Antrian <i>", parse("antrean").stems)) == "<mark>Antrian</mark> &lt;i&gt;"


@pytest.mark.parametrize("params, expected", [
    ({"province": "33"}, {"Layanan izin usaha daring", "Pelajar punya kartu tanda penduduk"}),
    ({"province": "36"}, {"Nomor antrean puskesmas"}),
    ({"region": "3672"}, {"Nomor antrean puskesmas"}),
    ({"urusan": "adminduk"}, {"Pelajar punya kartu tanda penduduk"}),
    ({"form": "tata_kelola"}, {"Nomor antrean puskesmas"}),
    ({"stage": "uji_coba"}, {"Nomor antrean puskesmas"}),
    ({"unit_kind": "sd"}, {"Pelajar punya kartu tanda penduduk"}),
    ({"digital": "yes"}, {"Layanan izin usaha daring"}),
    ({"digital": "no"}, {"Nomor antrean puskesmas", "Pelajar punya kartu tanda penduduk"}),
    ({"year": "2021"}, {"Pelajar punya kartu tanda penduduk"}),
    ({"province": "33", "q": "kartu"}, {"Pelajar punya kartu tanda penduduk"}),
    ({"province": "36", "q": "izin"}, set()),
])
def test_filters(catalog_world, client, params, expected):
    assert set(names(search(client, **params))) == expected


def test_facet_counts(catalog_world, client):
    facets = search(client).context["facets"]
    counts = {name: {o.value: o.count for o in options} for name, options in facets.items()}
    assert counts["province"] == {"33": 2, "36": 1}
    assert counts["region"] == {"3373": 2, "3672": 1}
    assert counts["urusan"] == {"penanaman_modal": 1, "kesehatan": 1, "adminduk": 1}
    assert counts["stage"] == {"penerapan": 1, "uji_coba": 1, "inisiatif": 1}
    assert counts["unit_kind"] == {"kelurahan": 1, "sd": 1, "dinas": 1}
    assert counts["digital"] == {"yes": 1, "no": 2}
    assert counts["year"] == {"2019": 1, "2021": 1, "2022": 1}
    # the facets follow the search and the filters
    narrowed = search(client, q="izin").context["facets"]
    assert {o.value: o.count for o in narrowed["province"]} == {"33": 1}
    body = search(client, province="33").content.decode()
    assert re.search(r'<option value="33" selected>[^<]*Jawa Tengah[^<]*\(2\)</option>', body, re.I)
    # a chosen value keeps the other values of its filter on offer; the other filters follow it
    chosen = search(client, province="33", digital="no").context["facets"]
    assert {o.value: o.count for o in chosen["province"]} == {"33": 1, "36": 1}
    assert {o.value: o.count for o in chosen["digital"]} == {"yes": 1, "no": 1}
    assert {o.value: o.count for o in chosen["region"]} == {"3373": 1}
    assert {o.value: o.count for o in chosen["stage"]} == {"inisiatif": 1}
    assert search(client, q="dan yang").context["facets"]["province"] == []


def test_bad_filter_values_get_a_message_and_are_ignored(catalog_world, client):
    response = search(client, urusan="bukan-urusan", year="99999999999999999999", province="3'3")
    assert response.context["form"].errors.keys() == {"urusan", "year", "province"}
    assert len(names(response)) == 3
    assert "were not understood" in response.content.decode()


def test_pagination(catalog_world, client):
    w = catalog_world
    extra = [make_innovation(w.own, w.kel, f"Inovasi layanan nomor {i:02d}") for i in range(25)]
    publish(*extra)
    first, second = search(client, q="layan"), search(client, q="layan", page=2)
    assert len(names(first)) == selectors.PER_PAGE and first.context["total"] == 26
    assert len(names(second)) == 6 and not set(names(first)) & set(names(second))
    assert "q=layan&amp;page=2" in first.content.decode() or "q=layan&page=2" in first.content.decode()


def _published_rows(world, n, start):
    from labinov.regions.models import Unit

    units = Unit.objects.bulk_create([Unit(pemda=world.own if i % 2 else world.other, name=f"Unit Katalog {i:02d}", kind="dinas")
                                      for i in range(start, start + n)])
    innovations = [make_innovation(u.pemda, u, f"Inovasi layanan uji {i:02d}", urusan="kesehatan", implemented=datetime.date(2020, 1, 1))
                   for i, u in zip(range(start, start + n), units)]
    publish(*innovations)


@pytest.mark.parametrize("params", [{}, {"q": "layanan"}, {"q": "layanan", "province": "33", "year": "2020"}])
def test_catalogue_list_query_count_does_not_grow(catalog_world, client, params):
    _published_rows(catalog_world, 5, 0)
    client.get(LIST, params)  # warm-up (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST, params).status_code == 200
    _published_rows(catalog_world, 35, 5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST, params)
    assert len(response.context["rows"]) == selectors.PER_PAGE
    assert len(large) == len(small) <= 14, [q["sql"] for q in large.captured_queries]


def test_pemda_page_query_count_does_not_grow(catalog_world, client):
    _published_rows(catalog_world, 5, 0)
    url = reverse("catalog_pemda", kwargs={"place": "3373-kota-salatiga"})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _published_rows(catalog_world, 35, 5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 10


# ----------------------------------------------------------------------------------------------
# The innovation's public page


def page_url(innovation):
    from labinov.catalog.views import innovation_url

    return innovation_url(innovation)


def test_innovation_page_has_a_clean_shareable_url(catalog_world, client):
    w = catalog_world
    url = page_url(w.izin)
    assert url == f"/katalog/3373-kota-salatiga/{w.izin.pk}-layanan-izin-usaha-daring/"
    response = client.get(url, **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Layanan izin usaha daring</h1>" in body
    assert "Kelurahan Kalicacing" in body and "Kota Salatiga" in body
    assert "Warga menunggu perizinan berhari-hari" in body and "Izin terbit dalam satu hari" in body
    # a wrong or missing name, or another region, lands on the canonical address
    for other in (f"/katalog/3373/{w.izin.pk}/", f"/katalog/3672-x/{w.izin.pk}-nama-lama/"):
        moved = client.get(other)
        assert moved.status_code == 301 and moved["Location"] == url


def test_innovation_page_open_graph_and_whatsapp(catalog_world, client):
    w = catalog_world
    body = client.get(page_url(w.izin), **EN).content.decode()
    absolute = f"http://testserver{page_url(w.izin)}"
    assert f'<meta property="og:url" content="{absolute}">' in body
    assert '<meta property="og:title" content="Layanan izin usaha daring · Kota Salatiga">' in body
    assert '<meta property="og:description" content="Pengajuan izin usaha mikro lewat aplikasi">' in body
    assert 'href="https://wa.me/?text=Layanan%20izin%20usaha%20daring%20%28Kota%20Salatiga%29%20http%3A%2F%2Ftestserver%2Fkatalog%2F' in body
    assert "<script>" not in body.split("</head>")[1]  # works without JavaScript: no inline script in the page


def test_innovation_page_shows_no_private_fields(catalog_world, client):
    from labinov.innovations.models import InnovationProfile, TeamMember

    w = catalog_world
    InnovationProfile.objects.filter(innovation=w.izin).update(
        contact_name="Kontak Rahasia", contact_nip="198010242006042009", contact_phone="081234567890", contact_position="Jabatan Rahasia",
        budget=987654321, budget_note="Sumber Dana Rahasia")
    TeamMember.objects.create(innovation=w.izin, role="manager", name="Anggota Tim Rahasia", organisation="Organisasi Rahasia")
    body = client.get(page_url(w.izin)).content.decode()
    for secret in ("Kontak Rahasia", "198010242006042009", "081234567890", "Jabatan Rahasia", "987654321", "987.654.321",
                   "Sumber Dana Rahasia", "Anggota Tim Rahasia", "Organisasi Rahasia"):
        assert secret not in body


def test_innovation_page_404_for_unpublished_unknown_and_inactive(catalog_world, client):
    w = catalog_world
    assert client.get(f"/katalog/3373-kota-salatiga/{w.hidden.pk}-izin-rahasia-belum-terbit/").status_code == 404
    assert client.get("/katalog/3373-kota-salatiga/999999-tidak-ada/").status_code == 404
    assert client.get("/katalog/3373-kota-salatiga/99999999999999999999999-x/").status_code == 404
    assert client.get("/katalog/kota-salatiga/x/").status_code == 404
    w.other.is_active = False
    w.other.save()
    assert client.get(page_url(w.antrean)).status_code == 404
    assert "Nomor antrean" not in search(client).content.decode()


def test_innovation_page_is_cacheable_and_answers_304(catalog_world, client):
    w = catalog_world
    url = page_url(w.izin)
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    # a logged-in visitor's page carries their name: never stored by a cache
    client.force_login(w.users["organiser"])
    private = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert private.status_code == 200 and "no-store" in private["Cache-Control"] and "public" not in private["Cache-Control"]
    assert "public" in search(client.__class__()).get("Cache-Control", "")  # the list is public too, for anonymous visitors


def test_page_changes_when_the_profile_changes(catalog_world, client):
    from labinov.innovations.services import profile_update

    w = catalog_world
    before = client.get(page_url(w.izin))["ETag"]
    profile_update(actor=w.users["organiser"], innovation=w.izin, results="Retribusi naik dua kali lipat")
    assert client.get(page_url(w.izin))["ETag"] != before
    # and the search follows the new text at once
    assert names(search(client, q="retribusi")) == ["Layanan izin usaha daring"]


def test_pemda_page(catalog_world, client):
    w = catalog_world
    url = reverse("catalog_pemda", kwargs={"place": "3373-kota-salatiga"})
    response = client.get(url, **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Innovations of Kota Salatiga" in body
    assert sorted(names(response)) == ["Layanan izin usaha daring", "Pelajar punya kartu tanda penduduk"]
    assert response.context["by_stage"] == [("Initiative (inisiatif)", 1), ("Implementation (penerapan)", 1)]
    assert dict(response.context["by_urusan"]) == {"Penanaman modal": 1, "Administrasi kependudukan dan pencatatan sipil": 1}
    assert "Izin rahasia" not in body
    assert client.get("/katalog/3373/").status_code == 301
    assert client.get("/katalog/9999-tidak-ada/").status_code == 404
    w.ktp.published_at = w.izin.published_at = None
    from labinov.innovations.models import Innovation

    Innovation.objects.filter(pemda=w.own).update(published_at=None)
    assert client.get(url).status_code == 404  # no published innovation: no public page


def test_launching_publishes_into_the_search(world, client):
    from labinov.delivery.launching import launch_record
    from labinov.ideas.models import Screening
    from tests.delivery.conftest import make_plan

    w = world
    w.program.stage = "deliver_launching"
    w.program.save(update_fields=["stage"])
    Screening.objects.create(program=w.program, published_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC))
    inno = make_innovation(w.own, w.kel, "Surat pengantar lewat WhatsApp", stage="uji_coba")
    inno.program = w.program
    inno.save()
    make_plan(inno)
    assert names(search(client, q="whatsapp")) == []
    launch_record(actor=w.users["organiser"], program=w.program, held_on=datetime.date(2019, 11, 14), place="Salatiga",
                  launched_by="Wali Kota", innovation_ids=[inno.pk], decree_type="sk_kdh", decree_number="100/2019")
    assert names(search(client, q="whatsapp")) == ["Surat pengantar lewat WhatsApp"]
    body = client.get(page_url(inno), **EN).content.decode()
    assert "14 November 2019 in Salatiga, by Wali Kota" in body


def test_rebuild_recomputes_and_drops(catalog_world, client):
    from labinov.catalog.models import CatalogEntry
    from labinov.catalog.services import catalogue_rebuild

    w = catalog_world
    CatalogEntry.objects.filter(pk=w.izin.pk).update(text="usang")
    CatalogEntry.objects.create(innovation=w.hidden, text="rahasia")  # should never be there
    assert catalogue_rebuild() == 3
    assert set(CatalogEntry.objects.values_list("pk", flat=True)) == {w.izin.pk, w.antrean.pk, w.ktp.pk}
    assert names(search(client, q="perizinan")) == ["Layanan izin usaha daring"]
    assert names(search(client, q="rahasia")) == []


def test_every_page_links_to_the_catalogue(catalog_world, client):
    link = '<a href="/katalog/">Katalog inovasi</a>'
    assert link in client.get("/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()  # anonymous visitors
    client.force_login(catalog_world.users["innovator"])
    assert link in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    body = client.get(LIST, {"q": "izin"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'href="/katalog/data.csv?q=izin"' in body and 'href="/katalog/data.json?q=izin"' in body


@pytest.mark.parametrize("query", ['"izin" OR NEAR(', "izin*", "izin AND -usaha", "^izin:", "izin' --", "ízín", "IZIN!!!"])
def test_search_syntax_is_never_passed_through(catalog_world, client, query):
    # FTS5 / tsquery operators typed by a visitor are plain words: no error, the word still found
    assert names(search(client, q=query)) == ["Layanan izin usaha daring"]


def test_innovation_without_a_profile(catalog_world, client):
    from labinov.innovations.models import Innovation

    w = catalog_world
    bare = Innovation.objects.create(pemda=w.own, unit=w.kel, name="Pojok literasi warga", form="lainnya")
    publish(bare)
    assert names(search(client, q="literasi")) == ["Pojok literasi warga"]
    assert client.get(page_url(bare)).status_code == 200
    assert b"Pojok literasi warga" in b"".join(client.get("/katalog/data.csv", {"q": "literasi"}).streaming_content)


def test_the_innovation_page_inside_labinov_links_to_its_public_page(catalog_world, client):
    w = catalog_world
    client.force_login(w.users["organiser"])
    inside = reverse("innovation_detail", kwargs={"pemda": w.own.slug, "innovation": w.izin.pk})
    body = client.get(inside, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f'id="catalogue-link" href="{page_url(w.izin)}">Lihat di katalog publik</a>' in body
    hidden = reverse("innovation_detail", kwargs={"pemda": w.own.slug, "innovation": w.hidden.pk})
    assert 'id="catalogue-link"' not in client.get(hidden).content.decode()
