"""What a page shows is in the user's language (issue 9.8): the empty choice of a select, rubric
criteria by their label, and dates in one format per kind of place."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

SRC = Path(__file__).resolve().parents[2] / "src" / "labinov"


def test_the_empty_choice_of_a_select_is_in_the_users_language(world, login):
    client = login(world.users["organiser"])
    url = reverse("person_create", args=[world.own.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<option value="" selected>- Pilih salah satu -</option>' in page
    assert "Select an option" not in page
    client.cookies.load({"django_language": "en"})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="" selected>- Select an option -</option>' in page


def test_the_rubric_shows_criteria_by_their_label_not_their_key(ideas_world, login):
    from labinov.ideas.models import Criterion, Screening
    from labinov.ideas.services import rubric_get_or_create

    w = ideas_world
    w.program.stage = "design"
    w.program.save(update_fields=["stage"])
    criteria = rubric_get_or_create(program=w.program)
    Screening.objects.update_or_create(program=w.program, defaults={"started_at": datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC)})
    page = login(w.users["organiser"]).get(reverse("rubric_edit", args=[w.own.slug, w.program.pk])).content.decode()
    keys = {c.key for c in criteria}
    assert "renewal" in keys and "no_burden" in keys
    for c in Criterion.objects.filter(program=w.program):
        assert f">{c.label}<" in page
    shown = set(re.findall(r">\s*([a-z_]+)\s*<", page))
    assert not shown & keys, f"criterion keys shown on the rubric page: {shown & keys}"


def test_short_dates_read_like_long_dates():
    day = datetime.date(2019, 8, 7)
    with translation.override("id"):
        assert date_format(day) == "7 Agustus 2019"
        assert date_format(day, "SHORT_DATE_FORMAT") == "7 Agu 2019"
        assert date_format(datetime.datetime(2019, 8, 7, 9, 5), "SHORT_DATETIME_FORMAT") == "7 Agu 2019 09.05"
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "7 Aug 2019"


#: Format characters of numeric or machine dates (month as a number, ISO, RFC, epoch): a page shows the
#: locale's named formats (DATE_FORMAT, SHORT_DATE_FORMAT...) or words ("l, j F Y"), never "07/08/2019".
NUMERIC = set("mncUrIoW")
OPEN_ATTR = re.compile(r"<[a-zA-Z][^<>]*\s([-\w:.@]+)\s*=\s*([\"'])[^\"'<>]*$")


#: In a table cell, dates are short: the layout needs it, and a column reads the same down the table.
SHORT = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT", "M Y"}
DATE_FILTER = re.compile(r"\|date(?::(\"[^\"]*\"|'[^']*'))?(?![:\w])")


def _in_list_table_cell(html: str) -> bool:
    """Inside a cell of a list table (one with a header row); a table of label/value rows is a
    detail layout, where dates are written in full."""
    low = html.lower()
    table = low.rfind("<table")
    if table < 0 or low.rfind("</table") > table or "<thead" not in low[table:]:
        return False
    opened = max(low.rfind("<td"), low.rfind("<th "), low.rfind("<th>"))
    closed = max(low.rfind("</td"), low.rfind("</th"), low.rfind("<tr"))
    return opened > closed and opened > low.rfind("</thead")


def date_format_problems(source: str) -> list[str]:
    problems, html = [], ""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            html += token.contents
            continue
        html += "X"
        if token.token_type not in (TokenType.VAR, TokenType.BLOCK):
            continue
        for match in DATE_FILTER.finditer(token.contents):
            fmt = match.group(1)[1:-1] if match.group(1) else "DATE_FORMAT"
            attr = OPEN_ATTR.search(html[-300:]) if token.token_type == TokenType.VAR else None
            if attr and attr.group(1).lower() in ("datetime", "value", "data-date"):
                continue  # read by a machine: ISO is right there
            if set(re.sub(r"\\.", "", fmt)) & NUMERIC and not re.fullmatch(r"[A-Z_]+_FORMAT", fmt):  # \x: a literal x
                problems.append(f"line {token.lineno}: |date:{fmt!r} shows a numeric date")
            elif token.token_type == TokenType.VAR and _in_list_table_cell(html) and fmt not in SHORT:
                problems.append(f"line {token.lineno}: |date:{fmt!r} in a table cell (use SHORT_DATE_FORMAT)")
    return problems


def test_the_scan_finds_dates_in_house_formats():
    assert date_format_problems('<td>{{ d|date:"d/m/Y" }}</td>')
    assert date_format_problems("<td>{{ d|date:'Y-m-d' }}</td>")
    assert date_format_problems('{% blocktranslate with s=d|date:"d-m-Y" %}{{ s }}{% endblocktranslate %}')
    assert not date_format_problems("<time datetime=\"{{ d|date:'c' }}\">{{ d|date:\"SHORT_DATE_FORMAT\" }}</time>")
    assert not date_format_problems('<input type="date" value="{{ d|date:\'Y-m-d\' }}">')
    head = "<table><thead><tr><th>Tanggal</th></tr></thead><tbody><tr>"
    assert date_format_problems(head + '<td data-label="x">{{ d|date }}</td></tr>')
    assert date_format_problems(head + '<td>{{ d|date:"DATE_FORMAT" }} – {{ e|date:"DATE_FORMAT" }}</td>')
    assert not date_format_problems('<table><tr><th scope="row">Aktif</th><td>{{ d|date:"DATE_FORMAT" }}</td></tr></table>')
    assert not date_format_problems(head + '<td>{{ d|date:"SHORT_DATE_FORMAT" }}</td></tr></tbody></table><p>{{ d|date }}</p>')
    assert not date_format_problems('<dl><dt>Dates</dt><dd>{{ d|date }}</dd></dl>' + head + '<td>{{ d|date:"M Y" }}</td>')


#: Printed documents write every date in full; the audit trail's page belongs to its own work (ADR 0013).
NOT_SCANNED = {"templates/innovations/booklet.html", "templates/delivery/commitment_document.html", "templates/core/audit_list.html"}


@pytest.mark.parametrize("path", sorted(p.relative_to(SRC) for p in SRC.rglob("templates/**/*.html")
                                        if str(p.relative_to(SRC)) not in NOT_SCANNED), ids=str)
def test_templates_show_dates_in_the_house_formats(path):
    assert not date_format_problems((SRC / path).read_text()), "use DATE_FORMAT (prose, details) or SHORT_DATE_FORMAT (tables)"
