"""The buttons a page shows follow the same permissions as the URLs they lead to."""

import pytest
from django.urls import reverse

CASES = [
    # (page, link that must appear for the organiser and not for the innovator)
    ("unit_list", "unit_create"),
    ("unit_list", "unit_import"),
    ("person_list", "person_create"),
    ("program_list", "program_create"),
    ("event_list", "event_create"),
    ("pemda_detail", "pemda_edit"),
    ("pemda_detail", "member_list"),
    ("pemda_detail", "audit_list"),
]


@pytest.mark.parametrize("page,link", CASES)
def test_organiser_sees_the_action_and_others_do_not(page, link, world, client):
    slug = world.own.slug
    url, target = reverse(page, args=[slug]), reverse(link, args=[slug])
    client.force_login(world.users["organiser"])
    assert f'href="{target}' in client.get(url).content.decode(), f"organiser should see {target} on {url}"
    client.force_login(world.users["coach"])
    r = client.get(url)
    if r.status_code == 200:
        assert f'href="{target}' not in r.content.decode(), f"coach should not see {target} on {url}"


def test_program_page_offers_advance_only_to_organisers(world, client):
    url = reverse("program_detail", args=[world.own.slug, world.program.pk])
    client.force_login(world.users["organiser"])
    assert 'id="advance-form"' in client.get(url).content.decode()
    client.force_login(world.users["leader"])
    assert 'id="advance-form"' not in client.get(url).content.decode()
