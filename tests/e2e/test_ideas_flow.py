"""Issue 3 in a real browser: an innovator writes an idea and is shown a similar one while typing;
an organiser merges two near-duplicate ideas into one innovation and the funnel changes.

As in test_organiser_flow.py, elements are found by id, name, value, URL or stable class, never by
visible text (the Indonesian catalogue is still being completed). The only text asserted on is
data the test created: titles, names of units and pemda.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed").expect

from django.utils import timezone

from labinov.core.models import AuditRecord
from labinov.core.roles import Role
from labinov.core.textsim import normalize
from labinov.ideas import selectors as idea_selectors
from labinov.ideas import services as idea_services
from labinov.ideas.models import Consolidation, Idea
from labinov.innovations.models import Innovation
from labinov.innovations.similarity import catalogue_index_rebuild
from labinov.programs.models import Participation, Program
from labinov.regions.models import Pemda, Unit
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e]

SLUG = "3373"

# The idea another unit (Tegalrejo) already submitted.
EXISTING = dict(
    title="Layanan Surat Pengantar Online",
    problem="Warga antre lama untuk mengurus surat pengantar di kantor kelurahan",
    proposed_change="Surat pengantar diajukan lewat WhatsApp dan diambil sudah jadi",
)
# What the innovator of Kalicacing types: a paraphrase of it (≈0.56 cosine similarity after
# stemming, above the consolidation view's default threshold of 0.45).
TYPED = dict(
    title="Pengajuan surat pengantar RT lewat WhatsApp",
    problem="Warga harus antre lama di kantor kelurahan hanya untuk mengurus surat pengantar",
    proposed_change="Surat pengantar diajukan lewat WhatsApp, warga tinggal mengambil surat yang sudah jadi",
)
# A published innovation of another pemda, in the ATM catalogue.
CATALOGUE_NAME = "Surat Pengantar Kelurahan lewat WhatsApp"
CATALOGUE_DESCRIPTION = "Warga mengajukan surat pengantar kelurahan melalui WhatsApp tanpa antre"
MERGED_TITLE = "Surat Pengantar Kelurahan via WhatsApp (Kalicacing dan Tegalrejo)"


# --- helpers -------------------------------------------------------------------------------------

def log_in(page, live_server, email):
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")


def url(live_server, path: str) -> re.Pattern:
    return re.compile("^" + re.escape(live_server.url) + path + "$")


def number(text: str) -> float:
    """A number as the Indonesian locale shows it ("1.234,5" or "50,0%")."""
    return float(text.strip().rstrip("%").replace(".", "").replace(",", "."))


# Order of the figures in #funnel-stats (the template gives only two of them an id: ideas-per-unit
# and conversion; the others are read by position and cross-checked against selectors.funnel).
STAT_KEYS = ("units", "units_with_idea", "ideas", "ideas_per_unit", "selected", "merged", "rejected", "innovations", "conversion")
# Order of the bars in #funnel-bars for someone who sees decisions (views.funnel).
BAR_KEYS = ("units", "units_with_idea", "ideas", "selected", "merged", "rejected", "innovations")
# Numeric columns of the by-unit-type table #funnel-by-kind for someone who sees decisions.
KIND_KEYS = ("participating", "units", "ideas", "selected", "merged", "rejected")


def read_funnel(page) -> dict:
    stats = [number(t) for t in page.locator("#funnel-stats .stat b").all_inner_texts()]
    assert len(stats) == len(STAT_KEYS), f"funnel figures changed: {stats}"
    figures = dict(zip(STAT_KEYS, stats))
    assert figures["ideas_per_unit"] == number(page.locator("#ideas-per-unit").inner_text())
    assert figures["conversion"] == number(page.locator("#conversion").inner_text())
    bars = [int(number(t)) for t in page.locator("#funnel-bars .bar").all_inner_texts()]
    assert bars == [figures[k] for k in BAR_KEYS], f"bars {bars} do not match the figures {figures}"
    rows = page.locator("#funnel-by-kind tbody tr")
    expect(rows).to_have_count(1)  # both units are kelurahan
    kind = [int(number(t)) for t in rows.first.locator("td.num").all_inner_texts()]
    figures["kelurahan"] = dict(zip(KIND_KEYS, kind))
    return figures


# --- the flow ------------------------------------------------------------------------------------

def test_innovator_sees_similar_innovation_and_organiser_merges_duplicates(page, shot, live_server, make_user):
    # 1. Kota Salatiga, a program in Diagnose with two kelurahan, an innovator and an organiser.
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota", head_name="Yuliyanto")
    assert pemda.slug == SLUG
    kalicacing = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    tegalrejo = Unit.objects.create(pemda=pemda, name="Kelurahan Tegalrejo", kind="kelurahan")
    program = Program.objects.create(pemda=pemda, name="Lab Inovasi Salatiga 2026", year=2026, stage="diagnose")
    Participation.objects.create(program=program, unit=kalicacing)
    Participation.objects.create(program=program, unit=tegalrejo)
    innovator = make_user("inovator@kalicacing.test", Role.INNOVATOR, pemda, kalicacing, full_name="Sri Lestari")
    organiser = make_user("organiser@salatiga.test", Role.ORGANISER, pemda, full_name="Dewi Kartika")
    existing = idea_services.idea_create(
        actor=organiser, program=program, unit=tegalrejo, submit=True, form="pelayanan_publik", initiator="perangkat_daerah",
        **EXISTING,
    )

    # What "shown a similar one" can mean for this innovator: Tegalrejo's idea is another unit's and the
    # decisions are not published, so the visibility rule (ideas/visibility.py) hides it from Kalicacing,
    # also in the similar panel (asserted below). What the panel must show instead is the ATM catalogue:
    # a published innovation of another pemda, found through the stored catalogue index, the real path of
    # innovations.selectors.published_similar. The index lives under settings.DATA_DIR, a tmp folder of
    # this test (tests/conftest.py), and the live server runs in this process, so it reads the same file.
    yogya = Pemda.objects.create(region_code="34.71", name="Kota Yogyakarta", head_title="Walikota")
    kotabaru = Unit.objects.create(pemda=yogya, name="Kelurahan Kotabaru", kind="kelurahan")
    Innovation.objects.create(
        pemda=yogya, unit=kotabaru, name=CATALOGUE_NAME, description=CATALOGUE_DESCRIPTION, form="pelayanan_publik",
        is_digital=True, published_at=timezone.now(), search_text=normalize(f"{CATALOGUE_NAME} {CATALOGUE_DESCRIPTION}"),
    )
    # An unpublished innovation with the same words must never be suggested (it is not in the index).
    Innovation.objects.create(
        pemda=yogya, unit=kotabaru, name="Surat Pengantar WhatsApp (belum terbit)", description=CATALOGUE_DESCRIPTION,
        search_text=normalize(f"{CATALOGUE_NAME} {CATALOGUE_DESCRIPTION}"),
    )
    assert catalogue_index_rebuild() == 1

    # 2. The innovator writes an idea; the similar panel (htmx) suggests the published innovation.
    log_in(page, live_server, innovator.email)
    form_path = f"/pemda/{SLUG}/programs/{program.pk}/ideas/new/"
    similar_path = f"/pemda/{SLUG}/programs/{program.pk}/ideas/similar/"
    page.goto(form_path)
    expect(page).to_have_url(f"{live_server.url}{form_path}")
    expect(page.locator("#id_unit option:checked")).to_have_attribute("value", str(kalicacing.pk))  # their only unit
    expect(page.locator("#id_unit option")).to_have_count(1)
    panel = page.locator("#similar-panel")
    expect(panel.locator("#similar-innovations")).to_have_count(0)

    # Typed key by key (htmx listens to keyup, with a 600 ms pause): the title alone already finds it.
    with page.expect_response(lambda r: r.url.startswith(f"{live_server.url}{similar_path}")
                              and parse_qs(urlparse(r.url).query).get("title") == [TYPED["title"]]) as first:
        page.locator("#id_title").press_sequentially(TYPED["title"])
    assert first.value.status == 200
    expect(panel.locator("#similar-innovations li")).to_have_count(1)
    expect(panel.locator("#similar-innovations li strong")).to_have_text(CATALOGUE_NAME)

    def complete(r):  # the request sent once the whole idea is typed
        q = parse_qs(urlparse(r.url).query)
        return r.url.startswith(f"{live_server.url}{similar_path}") and q.get("proposed_change") == [TYPED["proposed_change"]] \
            and q.get("problem") == [TYPED["problem"]]

    page.locator("#id_problem").press_sequentially(TYPED["problem"])
    with page.expect_response(complete) as last:
        page.locator("#id_proposed_change").press_sequentially(TYPED["proposed_change"])
    body = last.value.text()
    assert CATALOGUE_NAME in body and "belum terbit" not in body
    assert f"/ideas/{existing.pk}/" not in body  # Tegalrejo's unpublished idea is not shown to Kalicacing
    expect(panel.locator("#similar-innovations li")).to_have_count(1)
    expect(panel.locator("#similar-innovations li strong")).to_have_text(CATALOGUE_NAME)
    expect(panel.locator("#similar-innovations li")).to_contain_text("Kota Yogyakarta")
    expect(panel.locator("#similar-innovations li")).to_contain_text("Kelurahan Kotabaru")
    expect(panel.locator(f"a[href='/pemda/{SLUG}/programs/{program.pk}/ideas/{existing.pk}/']")).to_have_count(0)
    expect(panel.locator("#similar-ideas")).to_have_count(0)  # Kalicacing has no other idea yet
    page.select_option("#id_form", "pelayanan_publik")
    page.check("#id_is_digital")
    page.select_option("#id_initiator", "asn")
    # The panel is position: sticky; scrolled to the top it is drawn beside the title, not mid-page.
    page.evaluate("window.scrollTo(0, 0)")
    shot("01-idea-form-similar")
    shot("02-idea-form-phone", phone=True)

    page.click("#idea-form button[type=submit][name=action][value=submit]")
    expect(page).to_have_url(url(live_server, rf"/pemda/{SLUG}/programs/{program.pk}/ideas/\d+/"))
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    mine = Idea.objects.get(program=program, title=TYPED["title"])
    assert page.url == f"{live_server.url}/pemda/{SLUG}/programs/{program.pk}/ideas/{mine.pk}/"
    assert (mine.unit_id, mine.status, mine.created_by_id) == (kalicacing.pk, "submitted", innovator.pk)
    assert mine.submitted_at is not None
    assert (mine.problem, mine.proposed_change, mine.form, mine.is_digital, mine.initiator) == (
        TYPED["problem"], TYPED["proposed_change"], "pelayanan_publik", True, "asn")
    expect(page.locator("h1")).to_have_text(TYPED["title"])
    shot("03-idea-submitted")

    # 3. Diagnose closes; the organiser opens the funnel, then the consolidation view.
    Program.objects.filter(pk=program.pk).update(stage="design")
    page.context.clear_cookies()  # log the innovator out
    log_in(page, live_server, organiser.email)
    funnel_path = f"/pemda/{SLUG}/programs/{program.pk}/funnel/"
    page.goto(funnel_path)
    expect(page).to_have_url(f"{live_server.url}{funnel_path}")
    before = read_funnel(page)
    assert {k: before[k] for k in ("units", "units_with_idea", "ideas", "selected", "merged", "rejected", "innovations")} == {
        "units": 2, "units_with_idea": 2, "ideas": 2, "selected": 0, "merged": 0, "rejected": 0, "innovations": 0}
    assert (before["ideas_per_unit"], before["conversion"]) == (1, 0)
    assert before["kelurahan"] == {"participating": 2, "units": 2, "ideas": 2, "selected": 0, "merged": 0, "rejected": 0}
    shot("04-funnel-before")

    consolidation_path = f"/pemda/{SLUG}/programs/{program.pk}/consolidation/"
    page.goto(consolidation_path)
    expect(page).to_have_url(f"{live_server.url}{consolidation_path}")
    cluster = page.locator(f"section.cluster:has(input[name=ideas][value='{existing.pk}'])"
                           f":has(input[name=ideas][value='{mine.pk}'])")
    expect(cluster).to_have_count(1)
    expect(cluster.locator("input[name=ideas]")).to_have_count(2)
    for idea in (existing, mine):
        expect(cluster.locator(f"input[name=ideas][value='{idea.pk}']")).to_be_checked()
    title = cluster.locator("input[name=title]")
    expect(title).to_have_value(re.compile(f"^({re.escape(EXISTING['title'])}|{re.escape(TYPED['title'])})$"))
    title.fill(MERGED_TITLE)
    cluster.locator("select[name=unit]").select_option(str(kalicacing.pk))
    expect(page.locator("#history ~ .table-wrap")).to_have_count(0)  # no merge yet
    shot("05-consolidation-before")
    cluster.locator("button[type=submit][value=merge]").click()

    expect(page).to_have_url(url(live_server, re.escape(consolidation_path) + r"\?level=[a-z]+"))
    expect(page.locator(".messages li.msg-success")).to_have_count(1)
    expect(page.locator(".messages li.msg-success")).to_contain_text(MERGED_TITLE)
    expect(page.locator("section.cluster")).to_have_count(0)  # both ideas are decided: no group left
    history = page.locator("#history ~ .table-wrap table tbody tr")
    expect(history).to_have_count(1)
    expect(history.locator("td").first).to_have_text(MERGED_TITLE)
    expect(history.locator("td").nth(1).locator("li")).to_have_count(2)
    expect(history.locator("td").nth(1)).to_contain_text(EXISTING["title"])
    expect(history.locator("td").nth(1)).to_contain_text(TYPED["title"])

    merge = Consolidation.objects.get(program=program)
    expect(history.locator(f"form[action='{consolidation_path}{merge.pk}/undo/']")).to_have_count(1)
    innovation = Innovation.objects.get(program=program)
    assert (merge.innovation_id, merge.title, merge.created_by_id, merge.undone_at) == (innovation.pk, MERGED_TITLE, organiser.pk, None)
    assert sorted(merge.idea_ids) == sorted([existing.pk, mine.pk])
    assert (innovation.name, innovation.unit_id, innovation.pemda_id, innovation.published_at) == (
        MERGED_TITLE, kalicacing.pk, pemda.pk, None)
    assert innovation.is_digital  # any merged idea digital → the innovation is
    for idea in (existing, mine):
        idea.refresh_from_db()
        assert (idea.status, idea.innovation_id, idea.decided_by_id) == ("merged", innovation.pk, organiser.pk)
    assert set(innovation.source_ideas.values_list("pk", flat=True)) == {existing.pk, mine.pk}
    assert AuditRecord.objects.filter(pemda=pemda, actor=organiser, action="idea.merge").count() == 1
    shot("06-consolidation-after")

    # The funnel: same ideas and units, two merged ideas, one innovation.
    page.goto(funnel_path)
    after = read_funnel(page)
    assert {k: after[k] for k in ("units", "units_with_idea", "ideas", "selected", "merged", "rejected", "innovations")} == {
        "units": 2, "units_with_idea": 2, "ideas": 2, "selected": 0, "merged": 2, "rejected": 0, "innovations": 1}
    assert (after["merged"] - before["merged"], after["innovations"] - before["innovations"]) == (2, 1)
    assert after["conversion"] == 50
    assert after["kelurahan"]["merged"] == 2
    assert (before["innovations"], after["innovations"]) == (0, 1)
    # The same numbers as the selector behind the page.
    f = idea_selectors.funnel(program=Program.objects.get(pk=program.pk))
    assert {k: f[k] for k in BAR_KEYS} == {k: after[k] for k in BAR_KEYS}
    shot("07-funnel-after")
    shot("08-funnel-phone", phone=True)

    assert page.js_errors == []
