"""Units learn the screening decisions only when the organiser publishes them."""

from django.utils import timezone

from labinov.ideas.models import Screening
from labinov.ideas.services import ideas_reject, ideas_select


def _decide(world):
    world.program.stage = "design"
    world.program.save(update_fields=["stage"])
    ideas_select(actor=world.users["organiser"], program=world.program, ideas=[world.idea])
    ideas_reject(actor=world.users["organiser"], program=world.program, ideas=[world.sd_idea], reason="Belum layak tahun ini")


def test_innovator_sees_own_idea_as_submitted_until_published(ideas_world, client):
    world = ideas_world
    _decide(world)
    client.force_login(world.users["innovator"])
    base = f"/api/v1/pemda/{world.own.slug}/programs/{world.program.pk}"
    own = client.get(f"{base}/ideas/{world.idea.pk}").json()
    assert own["status"] == "submitted" and not own.get("innovation_id")
    assert client.get(f"{base}/ideas?status=selected").json()["count"] == 0
    assert client.get(f"{base}/innovations").json()["count"] == 0 or all(
        i["unit_id"] == world.kel.pk for i in client.get(f"{base}/innovations").json()["items"])
    Screening.objects.update_or_create(program=world.program, defaults={"published_at": timezone.now()})
    own = client.get(f"{base}/ideas/{world.idea.pk}").json()
    assert own["status"] == "selected"
    other = client.get(f"{base}/ideas/{world.sd_idea.pk}").json()
    # another unit's decision is published, its reason is not (issue 9.14); the SD school's own people read it
    assert other["status"] == "rejected" and other["decision_reason"] == ""


def test_organiser_sees_decisions_at_once(ideas_world, client):
    world = ideas_world
    _decide(world)
    client.force_login(world.users["organiser"])
    base = f"/api/v1/pemda/{world.own.slug}/programs/{world.program.pk}"
    assert client.get(f"{base}/ideas/{world.sd_idea.pk}").json()["status"] == "rejected"
