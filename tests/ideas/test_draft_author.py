"""Whoever writes a draft keeps seeing it, even an organiser writing for a unit."""

from django.urls import reverse

from labinov.ideas.models import Idea


def test_organiser_saving_a_draft_for_a_unit_can_open_it_again(ideas_world, client):
    world = ideas_world
    client.force_login(world.users["organiser"])
    data = {"unit": world.sd.pk, "title": "Kantin sehat sekolah", "problem": "Jajanan tidak sehat di sekitar sekolah",
            "proposed_change": "Kantin dengan menu bergizi yang diawasi guru", "form": "pelayanan_publik",
            "initiator": "perangkat_daerah", "action": "draft"}
    r = client.post(reverse("idea_create", args=[world.own.slug, world.program.pk]), data)
    idea = Idea.objects.get(title="Kantin sehat sekolah")
    assert idea.status == "draft"
    assert client.get(r["Location"]).status_code == 200
    client.force_login(world.users["coach"])
    assert client.get(reverse("idea_detail", args=[world.own.slug, world.program.pk, idea.pk])).status_code == 404
