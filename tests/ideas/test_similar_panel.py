"""Issue 9.12: the similar panel lists each innovation once (its best score), under the heading of
where it comes from (this program's ideas, this pemda's innovations, other regions'), each entry a
link the viewer may follow, or no link where no page exists."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from labinov.core.textsim import normalize
from labinov.ideas.models import Idea
from labinov.innovations.models import Innovation
from labinov.innovations.similarity import catalogue_index_rebuild

TEXT = "Surat pengantar RT RW secara online tanpa antre di kelurahan"
QUERY = {"title": "Surat pengantar online", "problem": "Warga antre lama di kelurahan untuk surat pengantar RT RW",
         "proposed_change": "Surat pengantar diajukan secara online tanpa antre"}


@pytest.fixture
def panel_world(ideas_world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    w = ideas_world
    # Five ideas of this program merged into one innovation of the own pemda, also published.
    w.merged = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name="SIPENTOL Kalicacing",
                                         published_at=timezone.now(), search_text=normalize(TEXT))
    for i, words in enumerate(["", " RT", " RW", " warga", " cepat"]):
        Idea.objects.create(pemda=w.own, program=w.program, unit=w.kel if i % 2 else w.sd, status="merged",
                            innovation=w.merged, title=f"Surat pengantar online{words}", problem="Warga antre lama",
                            proposed_change="Online", search_text=normalize(TEXT + words),
                            form="pelayanan_publik", initiator="perangkat_daerah")
    # Another innovation of the own pemda, from an older program: only in the catalogue.
    w.own_old = Innovation.objects.create(pemda=w.own, unit=w.sd, name="Pengantar Daring Sidorejo",
                                          published_at=timezone.now(), search_text=normalize(TEXT + " sidorejo"))
    # A published innovation of another pemda.
    w.foreign = Innovation.objects.create(pemda=w.other, unit=w.other_unit, name="Surat Pengantar Online Cilegon",
                                          published_at=timezone.now(), search_text=normalize(TEXT + " cilegon"))
    assert catalogue_index_rebuild() == 3
    return w


def _panel(client, w):
    r = client.get(reverse("idea_similar", args=[w.own.slug, w.program.pk]), QUERY)
    assert r.status_code == 200
    return r, r.content.decode()


def _section(html, section_id):
    m = re.search(rf'<ul id="{section_id}">(.*?)</ul>', html, re.S)
    return m.group(1) if m else ""


def test_one_entry_per_innovation_under_this_pemdas_heading(panel_world, login):
    w = panel_world
    r, html = _panel(login(w.users["organiser"]), w)
    own = r.context["result"]["own"]
    assert [row["innovation"] for row in own].count(w.merged) == 1
    assert {row["innovation"] for row in own} == {w.merged, w.own_old}
    assert [row["innovation"] for row in r.context["result"]["other"]] == [w.foreign]
    assert html.count("SIPENTOL Kalicacing") == 1
    # the merged ideas are not listed again as ideas
    assert not any(row["idea"].innovation_id for row in r.context["result"]["ideas"])
    assert "Pengantar Daring Sidorejo" in _section(html, "similar-own-innovations")
    assert "Pengantar Daring Sidorejo" not in _section(html, "similar-innovations")


def test_best_score_is_kept(panel_world, login):
    w = panel_world
    r, _html = _panel(login(w.users["organiser"]), w)
    from labinov.ideas.selectors import similar_ideas

    raw = similar_ideas(actor=w.users["organiser"], program=w.program, text=" ".join(QUERY.values()), k=15)
    best = max([row["score"] for row in raw["ideas"] if row["idea"].innovation_id == w.merged.pk]
               + [row["score"] for row in raw["innovations"] if row["innovation"] == w.merged])
    [row] = [row for row in r.context["result"]["own"] if row["innovation"] == w.merged]
    assert row["score"] == best


@pytest.mark.parametrize("lang, own, other", [("id", "Inovasi pemda ini", "Inovasi daerah lain"),
                                               ("en", "Innovations of this pemda", "Published innovations of other regions")])
def test_headings_say_where_they_come_from(panel_world, login, lang, own, other):
    w = panel_world
    client = login(w.users["organiser"])
    client.cookies["django_language"] = lang
    _r, html = _panel(client, w)
    assert html.index(own) < html.index('id="similar-own-innovations"') < html.index(other) < html.index('id="similar-innovations"')


def test_entries_link_to_pages_the_viewer_may_open(panel_world, login):
    w = panel_world
    _r, html = _panel(login(w.users["organiser"]), w)
    own = _section(html, "similar-own-innovations")
    for innovation in (w.merged, w.own_old):
        assert f'href="{reverse("innovation_detail", args=[w.own.slug, innovation.pk])}"' in own
    other = _section(html, "similar-innovations")
    assert "<a " not in other and "Kota Cilegon" in other  # no public page yet: the pemda's name, no dead link
    client = login(w.users["organiser"])
    assert client.get(reverse("innovation_detail", args=[w.own.slug, w.merged.pk])).status_code == 200


def test_no_link_where_the_viewer_may_not_open_the_innovation(panel_world, login):
    """The innovator does not see screening decisions before they are published: the merged ideas
    show as ideas (linked to their idea pages) and innovations they may not open carry no link."""
    w = panel_world
    innovator = w.users["innovator"]
    r, html = _panel(login(innovator), w)
    for row in r.context["result"]["own"]:
        allowed = innovator.has_perm("innovations.view_innovation", row["innovation"])
        url = reverse("innovation_detail", args=[w.own.slug, row["innovation"].pk])
        assert (f'href="{url}"' in html) == allowed
        assert bool(row["url"]) == allowed
    for row in r.context["result"]["ideas"]:
        assert f'href="{reverse("idea_detail", args=[w.own.slug, w.program.pk, row["idea"].pk])}"' in html
