"""Open data downloads of the catalogue: CSV and JSON, the same filters and search as the page, streamed,
public fields only, CSV cells neutralised against formula injection."""

from __future__ import annotations

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import make_innovation, publish
from .test_catalogue import _published_rows


def read_csv(response):
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_json(response):
    assert response.streaming and response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def test_csv_has_the_published_innovations_with_public_fields(catalog_world, client):
    response = client.get("/katalog/data.csv")
    assert response.status_code == 200 and 'filename="katalog-inovasi.csv"' in response["Content-Disposition"]
    rows = {r["name"]: r for r in read_csv(response)}
    assert set(rows) == {"Layanan izin usaha daring", "Nomor antrean puskesmas", "Pelajar punya kartu tanda penduduk"}
    izin = rows["Layanan izin usaha daring"]
    assert izin["pemda"] == "Kota Salatiga" and izin["region_code"] == "33.73" and izin["province_code"] == "33"
    assert izin["unit"] == "Kelurahan Kalicacing" and izin["urusan"] == "penanaman_modal" and izin["stage"] == "penerapan"
    assert izin["digital"] == "ya" and izin["year"] == "2019" and izin["problem"] == "Warga menunggu perizinan berhari-hari"
    assert izin["url"].startswith("http://testserver/katalog/3373-kota-salatiga/")
    assert not any(k.startswith("contact") or k in ("budget", "nip", "phone") for k in izin)


def test_downloads_follow_the_filters_and_the_search(catalog_world, client):
    assert [r["name"] for r in read_csv(client.get("/katalog/data.csv", {"q": "antrian"}))] == ["Nomor antrean puskesmas"]
    assert [r["name"] for r in read_csv(client.get("/katalog/data.csv", {"province": "33", "stage": "inisiatif"}))] == [
        "Pelajar punya kartu tanda penduduk"]
    data = read_json(client.get("/katalog/data.json", {"q": "perizinan", "digital": "yes"}))
    assert [i["name"] for i in data["items"]] == ["Layanan izin usaha daring"]
    assert data["items"][0]["digital"] is True and data["items"][0]["year"] == 2019
    assert data["meta"]["query"] == "perizinan" and data["meta"]["filters"] == {"digital": "yes"}
    assert read_json(client.get("/katalog/data.json", {"q": "qwzx"}))["items"] == []


def test_csv_cells_cannot_run_as_formulas(catalog_world, client):
    w = catalog_world
    evil = make_innovation(w.own, w.kel, "=HYPERLINK(\"http://x.test\",\"klik\")", description="+1+2", problem="@SUM(A1)")
    publish(evil)
    row = next(r for r in read_csv(client.get("/katalog/data.csv")) if "HYPERLINK" in r["name"])
    assert row["name"].startswith("'=") and row["description"] == "'+1+2" and row["problem"] == "'@SUM(A1)"
    # JSON keeps the text as it is
    item = next(i for i in read_json(client.get("/katalog/data.json"))["items"] if "HYPERLINK" in i["name"])
    assert item["name"].startswith("=HYPERLINK")


def test_downloads_never_hold_unpublished_innovations(catalog_world, client):
    body = b"".join(client.get("/katalog/data.csv").streaming_content) + b"".join(client.get("/katalog/data.json").streaming_content)
    assert b"rahasia" not in body.lower()


def test_download_query_count_does_not_grow(catalog_world, client):
    for url in ("/katalog/data.csv", "/katalog/data.json"):
        b"".join(client.get(url).streaming_content)
    _published_rows(catalog_world, 5, 0)
    counts = {}
    for size, extra in (("small", 0), ("large", 35)):
        if extra:
            _published_rows(catalog_world, extra, 5)
        for url in ("/katalog/data.csv", "/katalog/data.json?q=layanan"):
            with CaptureQueriesContext(connection) as queries:
                body = b"".join(client.get(url).streaming_content)
            assert body.count(b"Inovasi layanan uji") == (5 if size == "small" else 40)
            counts[(size, url)] = len(queries)
    assert counts[("small", "/katalog/data.csv")] == counts[("large", "/katalog/data.csv")] <= 4
    assert counts[("small", "/katalog/data.json?q=layanan")] == counts[("large", "/katalog/data.json?q=layanan")] <= 4
