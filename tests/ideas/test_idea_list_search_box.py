"""The ideas list's text filter says what it searches (issue 9 walkthrough: on a phone it was an empty
box with no visible label), in the user's language."""

from __future__ import annotations


def test_the_text_filter_has_an_indonesian_placeholder(ideas_world, login):
    w = ideas_world
    client = login(w.users["organiser"])
    response = client.get(f"/pemda/{w.own.slug}/programs/{w.program.pk}/ideas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="search"' in html
    assert 'placeholder="Cari judul dan isi ide"' in html
