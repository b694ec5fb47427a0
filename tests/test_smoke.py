import pytest


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default(client):
    r = client.get("/login/")
    assert r.status_code == 200
    assert 'lang="id"' in r.content.decode()


def test_pages_render_for_organiser(world, login):
    c = login(world.users["organiser"])
    slug = world.own.slug
    for url in ["/", f"/pemda/{slug}/", f"/pemda/{slug}/units/", f"/pemda/{slug}/programs/",
                f"/pemda/{slug}/programs/{world.program.pk}/", f"/pemda/{slug}/events/{world.event.pk}/",
                f"/pemda/{slug}/events/{world.event.pk}/attendance/", f"/pemda/{slug}/people/",
                f"/pemda/{slug}/members/", f"/pemda/{slug}/audit/", "/regions/?q=salatiga",
                f"/pemda/{slug}/programs/{world.program.pk}/units/", f"/pemda/{slug}/events/new/?program={world.program.pk}"]:
        assert c.get(url).status_code == 200, url
