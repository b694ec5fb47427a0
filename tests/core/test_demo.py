"""The demo tells the seed articles' story: the numbers a visitor is promised must be there."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_demo_loads_the_seed_funnels(settings, tmp_path):
    from labinov.ideas.models import Idea
    from labinov.innovations.models import ActionPlan, Innovation
    from labinov.programs.models import Program
    from labinov.regions.models import Unit

    settings.DEBUG = True
    call_command("load_demo", quiet_accounts=True)
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
    call_command("load_demo", quiet_accounts=True)  # a second run changes nothing
    assert Idea.objects.filter(program=sl).count() == 365
