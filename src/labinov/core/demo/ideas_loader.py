"""Demo ideas, screening and innovations: the funnels of the seed articles.

- Kota Salatiga, Lab INAGARA 2019: 365 ideas from 140 units consolidated to 140 innovations.
- Kota Yogyakarta 2015: 120 ideas from 92 units, 87 innovations (the seed's 87 action plans),
  including the seed's example ideas; published in the Display of November 2015.
- Kabupaten Banjar 2017: 268 ideas from 48 units, 104 innovations (seed 003), texts composed by
  `banjar_ideas`; launched in 2018 (see deliver_loader).
- Kota Cilegon 2022: 50 ideas from the executive lab, still in Diagnose.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from labinov.ideas.models import Consolidation, Idea, IdeaStatus, Review, Screening
from labinov.ideas.services import rubric_get_or_create, search_text_for, weighted_score
from labinov.innovations.models import Innovation

from . import banjar_ideas, ideas_data

REJECT_REASONS = [
    "Belum layak dilaksanakan dalam tahun anggaran berjalan; dapat diusulkan kembali tahun depan.",
    "Tumpang tindih dengan program yang sudah berjalan di unit lain.",
    "Dirampingkan agar unit fokus pada satu inovasi unggulan.",
]


def _aware(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _idea(program, unit, theme, variant: int, status: str, created: datetime.date) -> Idea:
    title, alt, problem, change, urusan, form, digital = theme
    t = title if variant == 0 else alt
    return Idea(
        pemda_id=program.pemda_id, program=program, unit=unit, title=t, problem=problem, proposed_change=change,
        beneficiaries="Warga" if unit.kind in ("kelurahan", "kecamatan") else "Siswa dan orang tua" if unit.kind in ("sd", "smp") else "Masyarakat",
        expected_benefit="Layanan lebih cepat, mudah dan murah.", form=form, is_digital=digital, urusan=urusan,
        initiator="perangkat_daerah" if unit.kind not in ("sd", "smp") else "asn", status=status,
        search_text=search_text_for(t, problem, change), submitted_at=_aware(created),
    )


def _pool(unit):
    if unit.kind == "kelurahan":
        return ideas_data.KELURAHAN
    if unit.kind in ("sd", "smp", "sma"):
        return ideas_data.SCHOOL
    return ideas_data.OPD


def _innovation(program, unit, idea, admin) -> Innovation:
    return Innovation(pemda_id=program.pemda_id, program=program, unit=unit, name=idea.title, description=idea.proposed_change,
                      form=idea.form, is_digital=idea.is_digital, urusan=idea.urusan, initiator=idea.initiator,
                      search_text=idea.search_text, created_by=admin)


def _decide(program, plans, rng, decided_on, admin, coaches, publish=True):
    """plans: [(unit, [ideas], action)] where each plan's ideas are saved; applies merge/select/reject.
    An action ("funnel", keep, twice) makes `keep` innovations of the unit: the first two ideas merged
    when `twice` (one idea written twice), the next ones selected; the rest is rejected."""
    decided_at = _aware(decided_on)
    innovations, updates, consolidations = [], [], []
    for unit, ideas, action in plans:
        if isinstance(action, tuple) and action[0] == "funnel":
            _funnel, keep, twice = action
            groups = [ideas[:2]] + [[i] for i in ideas[2:keep + 1]] if twice else [[i] for i in ideas[:keep]]
            for group in groups:
                innovations.append((_innovation(program, unit, group[0], admin), group, "merged" if len(group) > 1 else "selected"))
            for other in ideas[sum(len(g) for g in groups):]:
                other.status, other.decision_reason = IdeaStatus.REJECTED, rng.choice(REJECT_REASONS)
                updates.append(other)
        elif action == "merge2_reject1":
            a, b, c = ideas
            inn = Innovation(pemda_id=program.pemda_id, program=program, unit=unit, name=a.title, description=a.proposed_change,
                             form=a.form, is_digital=a.is_digital, urusan=a.urusan, initiator=a.initiator,
                             search_text=a.search_text, created_by=admin)
            innovations.append((inn, [a, b], "merged"))
            c.status, c.decision_reason = IdeaStatus.REJECTED, rng.choice(REJECT_REASONS)
            updates.append(c)
        elif action in ("select1_reject1", "select1"):
            a = ideas[0]
            inn = Innovation(pemda_id=program.pemda_id, program=program, unit=unit, name=a.title, description=a.proposed_change,
                             form=a.form, is_digital=a.is_digital, urusan=a.urusan, initiator=a.initiator,
                             search_text=a.search_text, created_by=admin)
            innovations.append((inn, [a], "selected"))
            for other in ideas[1:]:
                other.status, other.decision_reason = IdeaStatus.REJECTED, rng.choice(REJECT_REASONS)
                updates.append(other)
        elif action == "reject_all":
            for other in ideas:
                other.status, other.decision_reason = IdeaStatus.REJECTED, rng.choice(REJECT_REASONS)
                updates.append(other)
    Innovation.objects.bulk_create([i for i, _ideas, _k in innovations])
    for inn, ideas, kind in innovations:
        for idea in ideas:
            idea.status = IdeaStatus.MERGED if kind == "merged" else IdeaStatus.SELECTED
            idea.innovation = inn
            updates.append(idea)
        if kind == "merged":
            consolidations.append(Consolidation(program=program, innovation=inn, title=inn.name, idea_ids=[i.pk for i in ideas], created_by=admin))
    for idea in updates:
        idea.decided_by, idea.decided_at = admin, decided_at
    Idea.objects.bulk_update(updates, ["status", "decision_reason", "innovation", "decided_by", "decided_at"], batch_size=500)
    Consolidation.objects.bulk_create(consolidations)
    Consolidation.objects.filter(program=program).update(created_at=decided_at)
    # one review per idea from the unit's coach, so the ranked list has numbers
    criteria = rubric_get_or_create(program=program)
    reviews = []
    for _unit, ideas, _action in plans:
        for idea in ideas:
            good = idea.status in (IdeaStatus.SELECTED, IdeaStatus.MERGED)
            scores = {str(c.pk): rng.randint(3, 5) if good else rng.randint(1, 3) for c in criteria}
            reviews.append(Review(idea=idea, reviewer=coaches.get(idea.unit_id, admin), scores=scores, score=weighted_score(criteria, scores)))
    Review.objects.bulk_create(reviews, batch_size=500)
    from labinov.ideas.services import review_aggregates_refresh

    review_aggregates_refresh(idea_ids=[r.idea_id for r in reviews])
    Screening.objects.update_or_create(program=program, defaults={
        "started_at": decided_at, "published_at": decided_at if publish else None, "published_by": admin if publish else None})
    return [i for i, _ideas, _k in innovations]


def _coaches(program) -> dict:
    return {a.unit_id: a.coach for a in program.coach_assignments.select_related("coach")}


def load_salatiga(program, admin, rng) -> None:
    units = list(program.units.order_by("name"))  # 140
    rng.shuffle(units)
    plans = []
    for i, unit in enumerate(units):
        themes = rng.sample(_pool(unit), 2)
        if i < 85:  # 85 units × 3 ideas: two close variants merged, one rejected
            ideas = [_idea(program, unit, themes[0], 0, "submitted", datetime.date(2019, 3, 15)),
                     _idea(program, unit, themes[0], 1, "submitted", datetime.date(2019, 3, 15)),
                     _idea(program, unit, themes[1], 0, "submitted", datetime.date(2019, 3, 15))]
            plans.append((unit, ideas, "merge2_reject1"))
        else:  # 55 units × 2 ideas: one selected, one rejected
            ideas = [_idea(program, unit, themes[0], rng.randint(0, 1), "submitted", datetime.date(2019, 3, 15)),
                     _idea(program, unit, themes[1], 0, "submitted", datetime.date(2019, 3, 15))]
            plans.append((unit, ideas, "select1_reject1"))
    Idea.objects.bulk_create([i for _u, ideas, _a in plans for i in ideas], batch_size=500)
    _decide(program, plans, rng, datetime.date(2019, 6, 20), admin, _coaches(program))


def load_yogyakarta(program, admin, rng, seed_ideas) -> None:
    units = {u.name: u for u in program.units.all()}
    plans, used = [], set()
    seed_by_unit: dict[str, list] = {}
    for title, unit_name in seed_ideas:
        seed_by_unit.setdefault(unit_name, []).append(title)
    for unit_name, titles in seed_by_unit.items():
        unit = units[unit_name]
        ideas = []
        for t in titles:
            theme = (t, t, f"Masalah layanan yang ingin diselesaikan oleh {unit_name}.",
                     f"{t}: cara kerja baru yang lebih cepat dan mudah bagi masyarakat.", ["kominfo"], "pelayanan_publik", True)
            ideas.append(_idea(program, unit, theme, 0, "submitted", datetime.date(2015, 2, 11)))
        plans.extend((unit, [idea], "select1") for idea in ideas)
        used.add(unit.pk)
    rest = [u for u in sorted(units.values(), key=lambda u: u.name) if u.pk not in used]  # 88 units
    rng.shuffle(rest)
    # 120 ideas in all: the 7 seed ideas (5 units) + 14 units × 3 + 66 units × 1 + 5 units × 1 rejected;
    # 2 units wrote none. Decisions give 87 innovations: 7 seed + 14 merges of two ideas + 66 selections.
    for i, unit in enumerate(rest):
        themes = rng.sample(_pool(unit), 2)
        if i < 14:  # merge two close variants
            ideas = [_idea(program, unit, themes[0], 0, "submitted", datetime.date(2015, 2, 11)),
                     _idea(program, unit, themes[0], 1, "submitted", datetime.date(2015, 2, 11))]
            plans.append((unit, ideas + [_idea(program, unit, themes[1], 0, "submitted", datetime.date(2015, 2, 11))], "merge2_reject1"))
        elif i < 80:  # one idea selected
            plans.append((unit, [_idea(program, unit, themes[0], 0, "submitted", datetime.date(2015, 2, 11))], "select1"))
        elif i < 85:  # rejected
            plans.append((unit, [_idea(program, unit, themes[0], 0, "submitted", datetime.date(2015, 2, 11))], "reject_all"))
    Idea.objects.bulk_create([i for _u, ideas, _a in plans for i in ideas], batch_size=500)
    innovations = _decide(program, plans, rng, datetime.date(2015, 3, 20), admin, _coaches(program))
    # Display, November 2015: the innovations are published in the catalogue (ATM).
    Innovation.objects.filter(pk__in=[i.pk for i in innovations]).update(published_at=_aware(datetime.date(2015, 11, 2)))


def load_cilegon(program, admin, rng) -> None:
    units = list(program.units.order_by("name"))  # 22 kepala OPD
    ideas = []
    for i in range(50):
        unit = units[i % len(units)]
        theme = ideas_data.OPD[i % len(ideas_data.OPD)]
        variant = 1 if i >= len(ideas_data.OPD) * 2 and i % 3 == 0 else 0
        ideas.append(_idea(program, unit, theme, variant, "submitted", datetime.date(2022, 11, 4)))
    # make the titles unique per unit, as an OPD would not write the same idea twice
    seen = set()
    for idea in ideas:
        key = (idea.unit_id, idea.title)
        if key in seen:
            idea.title = f"{idea.title} ({idea.unit.name.split()[-1]})"
        seen.add((idea.unit_id, idea.title))
    Idea.objects.bulk_create(ideas)


def load_banjar(program, admin, rng) -> list[Innovation]:
    """Kabupaten Banjar 2017 (seed 003): 268 ideas from the 48 participating units, 104 innovations.

    Each OPD and the RSU write 8 ideas and keep 3, each UPT Puskesmas 6 and 3, each kecamatan 5 and 2,
    the 13 kelurahan 4 or 5 and 1 or 2; every second unit (in a shuffled order) wrote one idea twice,
    in two wordings, and the two are merged. The rest is rejected."""
    units = list(program.units.order_by("name"))
    rng.shuffle(units)
    kelurahan = [u for u in units if u.kind == "kelurahan"]
    spec = []
    for i, unit in enumerate(units):
        if unit.kind == "kecamatan":
            count, keep = 5, 2
        elif unit.kind == "puskesmas":
            count, keep = 6, 3
        elif unit.kind == "kelurahan":
            j = kelurahan.index(unit)
            count, keep = (5 if j < 4 else 4), (2 if 2 <= j < 8 else 1)
        else:  # the OPD and RSU Ratu Zaleha
            count, keep = 8, 3
        spec.append((unit, count, keep, i % 2 == 0))
    texts = banjar_ideas.ideas_for([(u, count, twice) for u, count, _keep, twice in spec], rng)
    plans = []
    for unit, _count, keep, twice in spec:
        day = datetime.date(2017, 4, 12) + datetime.timedelta(days=rng.randint(0, 60))  # during Diagnose
        ideas = [Idea(pemda_id=program.pemda_id, program=program, unit=unit, title=t["title"], problem=t["problem"],
                      root_cause=t["root_cause"], proposed_change=t["proposed_change"], beneficiaries=t["beneficiaries"],
                      expected_benefit=t["expected_benefit"], form=t["form"], is_digital=t["is_digital"], urusan=t["urusan"],
                      initiator="perangkat_daerah", status="submitted", submitted_at=_aware(day),
                      search_text=search_text_for(t["title"], t["problem"], t["proposed_change"]))
                 for t in texts[unit.pk]]
        plans.append((unit, ideas, ("funnel", keep, twice)))
    Idea.objects.bulk_create([i for _u, ideas, _a in plans for i in ideas], batch_size=500)
    innovations = _decide(program, plans, rng, datetime.date(2017, 8, 10), admin, _coaches(program))
    if (sum(len(ideas) for _u, ideas, _a in plans), len(innovations)) != (program.target_ideas, program.target_innovations):
        raise ValueError("Banjar's funnel no longer gives the seed's 268 ideas and 104 innovations")
    return innovations
