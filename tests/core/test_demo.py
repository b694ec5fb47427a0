"""The demo tells the seed articles' story: the numbers a visitor is promised must be there.

The demo is loaded once for the module (it takes several seconds) inside a transaction that is
rolled back at the end; each test reads it inside its own savepoint.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    data = tmp_path_factory.mktemp("demo-data")
    with override_settings(DEBUG=True, DATA_DIR=data, MEDIA_ROOT=data / "files", LANGUAGE_CODE="id",
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                           TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        with django_db_blocker.unblock():
            with transaction.atomic():
                call_command("load_demo", quiet_accounts=True)
                yield
                transaction.set_rollback(True)


def _counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label.startswith(("regions", "people", "programs",
            "ideas", "innovations", "delivery", "core"))}


@pytest.mark.django_db
def test_demo_loads_the_seed_funnels(demo):
    from labinov.ideas.models import Idea
    from labinov.innovations.models import ActionPlan, Innovation
    from labinov.programs.models import Program
    from labinov.regions.models import Unit

    yk = Program.objects.get(name="Laboratorium Inovasi Kota Yogyakarta 2015")
    sl = Program.objects.get(name="Lab INAGARA 2019")
    assert yk.units.count() == 92 and sl.units.count() == 140
    assert Idea.objects.filter(program=yk).count() == 120 and Innovation.objects.filter(program=yk).count() == 87
    assert Idea.objects.filter(program=sl).count() == 365 and Innovation.objects.filter(program=sl).count() == 140
    assert ActionPlan.objects.filter(innovation__program=yk, status="approved").count() == 87
    assert ActionPlan.objects.filter(innovation__program=sl).values("status").distinct().count() >= 4
    titles = set(Idea.objects.filter(program=yk).values_list("title", flat=True))
    assert {"Layanan Tiket Online", "Swara Warga", "Palayang Masyarakat"} <= titles
    assert Unit.objects.filter(pemda__region_code="33.73", kind="kelurahan").count() == 23


@pytest.mark.django_db
def test_a_second_load_changes_nothing(demo):
    before = _counts()
    call_command("load_demo", quiet_accounts=True)
    assert _counts() == before


@pytest.mark.django_db
def test_banjar_2017_has_its_268_ideas_104_innovations_launched_in_2018(demo):
    """Seed 003: "ada sebanyak 268 ide inovasi ... tersaring menjadi 104 inovasi dan telah di launching di
    tahun 2018", from SKPD, Kecamatan, Kelurahan, RSU Ratu Zaleha and UPT Puskesmas; MoU 16 March 2017."""
    from labinov.core.stages import ORDER
    from labinov.delivery.models import Launch
    from labinov.ideas.models import Idea
    from labinov.innovations.models import ActionPlan, Innovation

    from labinov.programs.models import Program

    bj = Program.objects.get(name="Laboratorium Inovasi Kabupaten Banjar 2017")
    assert bj.mou_date == datetime.date(2017, 3, 16)
    assert ORDER.index(bj.stage) > ORDER.index("deliver_launching")
    ideas = Idea.objects.filter(program=bj)
    assert ideas.count() == 268
    assert Innovation.objects.filter(program=bj).count() == 104
    # every idea was submitted and decided, and the decisions are published
    assert set(ideas.values_list("status", flat=True)) == {"selected", "merged", "rejected"}
    assert bj.screening.published_at is not None
    kept = ideas.filter(status__in=["selected", "merged"])
    assert kept.values("innovation").distinct().count() == 104
    assert ideas.filter(status="merged").count() == 2 * bj.consolidations.count() > 0
    # from the kinds of units the seed names, each with ideas
    kinds = set(ideas.values_list("unit__kind", flat=True))
    assert {"dinas", "badan", "kecamatan", "kelurahan", "rsud", "puskesmas"} <= kinds
    assert ideas.filter(unit__name="RSU Ratu Zaleha").exists()
    # realistic variety: no title and no sentence is repeated, and many urusan are covered
    for field in ("title", "problem", "root_cause", "proposed_change", "expected_benefit"):
        values = list(ideas.values_list(field, flat=True))
        assert all(values) and len(set(values)) == len(values), field
    assert len({u for urusan in ideas.values_list("urusan", flat=True) for u in urusan}) >= 15
    # launched in 2018: one launching with date and place, every innovation, each with an approved plan
    launch = Launch.objects.get(program=bj)
    assert launch.held_on.year == 2018 and launch.place
    assert launch.items.count() == 104
    assert set(Innovation.objects.filter(program=bj).values_list("status", flat=True)) == {"launched"}
    assert ActionPlan.objects.filter(innovation__program=bj, status="approved").count() == 104


@pytest.mark.django_db
def test_yogyakarta_has_the_launching_of_22_may_2015(demo):
    """Seed 000: "Launching Laboratorium Inovasi pada hari Jumat (22/5), bertempat di Ruang Rapat Bima"."""
    from labinov.delivery.models import Launch
    from labinov.programs.models import Program

    yk = Program.objects.get(name="Laboratorium Inovasi Kota Yogyakarta 2015")
    launch = Launch.objects.get(program=yk)
    assert launch.held_on == datetime.date(2015, 5, 22) and launch.held_on.strftime("%A") == "Friday"
    assert "Ruang Rapat Bima" in launch.place
    assert launch.items.count() == yk.innovations.count() == 87
    assert "Layanan Tiket Online" in set(launch.items.values_list("innovation__name", flat=True))


@pytest.mark.django_db
def test_salatiga_revisions_are_what_the_docs_say(demo):
    """The README and docs/demo-data.md promise N revised plans (version 2) in given states; the
    data must hold exactly that (it once had 28 where the docs said 30)."""
    from django.db.models import Count

    from labinov.innovations.models import ActionPlan

    readme = (ROOT / "README.md").read_text()
    guide = (ROOT / "docs" / "demo-data.md").read_text()
    m = re.search(r"(\d+) revised during Deliver \(version 2: (\d+) approved by the coach, (\d+) in review, "
                  r"(\d+) with changes requested, (\d+) drafts\)", readme)
    assert m, "the README's demo table no longer states the revisions"
    total, coach_approved, in_review, changes, drafts = map(int, m.groups())
    stated = re.search(r"\((\d+)\) has a \*\*version 2\*\*", guide)
    assert stated and int(stated.group(1)) == total
    v2 = ActionPlan.objects.filter(innovation__program__name="Lab INAGARA 2019", version=2)
    assert v2.count() == total == coach_approved + in_review + changes + drafts
    by_status = dict(v2.values_list("status").annotate(n=Count("pk")))
    assert by_status == {"coach_approved": coach_approved, "in_review": in_review, "changes_requested": changes, "draft": drafts}


@pytest.mark.django_db
def test_every_demo_sekda_has_a_valid_nip(demo):
    from labinov.people.nip import parse_nip
    from labinov.regions.models import Pemda

    with_sekda = Pemda.objects.exclude(sekda_name="")
    assert with_sekda.filter(region_code="33.73").exists()
    for pemda in with_sekda:
        assert len(pemda.sekda_nip) == 18, pemda.name
        parse_nip(pemda.sekda_nip)  # raises on an invalid NIP


def test_plans_loader_refuses_states_that_do_not_match_the_innovations():
    """zip() used to drop what did not fit silently: 30 states for 28 innovations made 28 revisions."""
    from labinov.core.demo.plans_loader import load_plans

    with pytest.raises(ValueError, match="30 plan states for 28 innovations"):
        load_plans(None, datetime.date(2019, 7, 1), ["draft"] * 30, {}, None, innovations=[object()] * 28)


@pytest.mark.django_db
def test_the_commitment_documents_of_banjar_and_yogyakarta(demo):
    """Seed 003: the Komitmen Kesepakatan Berinovasi of the Bupati (the sekda representing him) with the
    heads of SKPD, kecamatan, kelurahan and puskesmas, at the workshop of 10 September 2019. Seed 000:
    the kontrak kerja inovasi signed at the launching by the representatives of the units it names."""
    from labinov.delivery.models import Commitment
    from labinov.people.nip import parse_nip

    banjar = Commitment.objects.filter(program__name="Laboratorium Inovasi Kabupaten Banjar 2017")
    assert banjar.count() == 48 and set(banjar.values_list("status", flat=True)) == {"active"}
    assert set(banjar.values_list("program__commitment_template__title", flat=True)) == {"Komitmen Kesepakatan Berinovasi"}
    assert set(banjar.values_list("countersigned_on", flat=True)) == {datetime.date(2019, 9, 10)}
    assert set(banjar.values_list("countersigned_by", flat=True)) == {"H.M. Hilman"}
    assert all(c.signed_file for c in banjar)
    sample = banjar.select_related("program__pemda").first()
    assert sample.program.pemda.sekda_nip in sample.frozen_section  # the sekda's NIP on what was signed
    parse_nip(sample.unit_head_nip)

    yogya = Commitment.objects.filter(program__name="Laboratorium Inovasi Kota Yogyakarta 2015")
    signed = yogya.filter(status="active")
    assert set(signed.values_list("unit__name", flat=True)) == {
        "Dinas Perizinan", "Kantor Pengelolaan Taman Pintar", "Bagian Teknologi Informasi dan Telematika Setda",
        "Kecamatan Danurejan", "Kelurahan Giwangan"}
    assert set(signed.values_list("countersigned_on", flat=True)) == {datetime.date(2015, 5, 22)}
    assert set(signed.values_list("countersigned_by", flat=True)) == {"Haryadi Suyuti"}
    assert set(yogya.exclude(pk__in=signed).values_list("status", flat=True)) == {"drafted"}
    assert yogya.first().program.commitment_template.title == "Kontrak Kerja Inovasi"
