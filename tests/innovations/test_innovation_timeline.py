"""The innovation page shows its own plan's timeline to the unit that carries it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from labinov.ideas.models import Screening
from labinov.innovations import plans
from labinov.innovations.models import Innovation


def test_innovator_sees_the_timeline_of_their_plan(world, client):
    world.program.stage = "design"
    world.program.save(update_fields=["stage"])
    Screening.objects.create(program=world.program, published_at=timezone.now())
    innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name="Surat pengantar online")
    plan = plans.plan_start(actor=world.users["innovator"], innovation=innovation)
    plans.plan_save(actor=world.users["innovator"], plan=plan, objective="Lebih cepat", milestones=[
        {"activity": "Sosialisasi", "starts_on": datetime.date(2019, 7, 1), "ends_on": datetime.date(2019, 7, 20), "pic": "Lurah", "quick_win": True},
    ])
    client.force_login(world.users["innovator"])
    html = client.get(reverse("innovation_detail", args=[world.own.slug, innovation.pk])).content.decode()
    assert 'id="timeline"' in html and "gantt-bar" in html and "quick-win" in html
