"""The launching: innovations move to penerapan with their decree and are announced."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from labinov.core.models import AuditRecord
from labinov.delivery import launching
from labinov.delivery.models import Launch
from labinov.innovations.models import Innovation, InnovationProfile

pytestmark = pytest.mark.django_db

DAY = datetime.date(2019, 11, 14)


def _launch(w, ids, **kw):
    args = dict(actor=w.users["organiser"], program=w.program, held_on=DAY, place="Lapangan Pancasila, Salatiga",
                launched_by="Walikota Salatiga, Yuliyanto", innovation_ids=ids, decree_type="sk_kdh",
                decree_number="050/357/2019", decree_date=DAY)
    return launching.launch_record(**{**args, **kw})


def test_launch_moves_innovations_to_penerapan_and_announces_them(deliver_world, django_capture_on_commit_callbacks):
    w = deliver_world
    InnovationProfile.objects.create(innovation=w.inno2, decree_type="sk_kpd", decree_number="188/12/2019", decree_date=DAY)
    with django_capture_on_commit_callbacks(execute=True):
        launch = _launch(w, [w.inno.pk, w.inno2.pk])
    assert [i.innovation.name for i in launching.launch_items(launch=launch)] == ["Posyandu digital", "Surat pengantar online"]
    for innovation in Innovation.objects.filter(pk__in=[w.inno.pk, w.inno2.pk]):
        assert innovation.status == "launched" and innovation.published_at is not None
        assert (innovation.profile.iid_stage, innovation.profile.implementation_date) == ("penerapan", DAY)
    # an innovation keeps its own decree; the one without gets the launching's
    assert InnovationProfile.objects.get(innovation=w.inno2).decree_number == "188/12/2019"
    assert InnovationProfile.objects.get(innovation=w.inno).decree_number == "050/357/2019"
    assert list(launching.launchable(program=w.program)) == []  # the SD's plan is not approved
    assert AuditRecord.objects.filter(action="launch.record").count() == 1


def test_launch_refusals_change_nothing(deliver_world):
    w = deliver_world
    for kw, field in [({"innovation_ids": [w.sd_inno.pk]}, "innovations"), ({"innovation_ids": []}, "innovations"),
                      ({"place": " "}, "place"), ({"held_on": datetime.date(2999, 1, 1)}, "held_on"),
                      ({"decree_number": "", "decree_type": ""}, "decree_number")]:
        ids = kw.pop("innovation_ids", [w.inno.pk])
        with pytest.raises(ValidationError) as e:
            _launch(w, ids, **kw)
        assert field in e.value.message_dict, (kw, e.value)
    assert not Launch.objects.exists()
    assert Innovation.objects.get(pk=w.inno.pk).status == "selected"


def test_an_innovation_is_launched_once(deliver_world):
    w = deliver_world
    _launch(w, [w.inno.pk])
    with pytest.raises(ValidationError):
        _launch(w, [w.inno.pk])


def test_launch_pages(deliver_world, login):
    w = deliver_world
    client = login(w.users["organiser"])
    r = client.post(reverse("launch_create", args=[w.own.slug, w.program.pk]), {
        "held_on": "2019-11-14", "place": "Salatiga", "launched_by": "Walikota Salatiga", "innovations": [str(w.inno.pk)],
        "decree_type": "sk_kdh", "decree_number": "050/357/2019", "announce": "on"})
    assert r.status_code == 302
    page = login(w.users["innovator"]).get(r["Location"]).content.decode()
    assert "Surat pengantar online" in page and "050/357/2019" in page
