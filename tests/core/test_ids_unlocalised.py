"""Ids are rendered unlocalised wherever a machine reads them (issue 9.1).

In Indonesian, Django renders the number 1026 as "1.026". A milestone's "Laporkan" link built as
`?milestone={{ m.pk }}` then preselected milestone 1 instead of 1026. Two tests keep this true:

- a static scan of every template: an id-like variable (`x.pk`, `x.id`, `x.unit_id`, page
  numbers) inside an attribute (href, action, src, value, name, id, for, data-*, hx-*, aria-*...)
  or inside a `<script>` must go through `|unlocalize` (or `stringformat`, `urlencode`...), or sit
  inside `{% localize off %}`;
- a crawl of the demo in Indonesian with every id above 1,000, as the demo's organiser, coach, unit
  head and innovator of Salatiga and a national admin, that fails on an id with a thousands
  separator in any URL-ish attribute or inline script, and checks that it reached every named page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.template.base import Lexer, TokenType

SRC = Path(__file__).resolve().parents[2] / "src" / "labinov"

# --------------------------------------------------------------------------------------- the scan

#: Attributes whose value a browser, a form submission or a script reads as data.
MACHINE_ATTRS = re.compile(r"^(href|action|src|srcset|value|name|id|for|form|list|min|max|step|formaction|"
                           r"data-[-\w]+|hx-[-\w]+|aria-(labelledby|describedby|controls|owns|activedescendant))$")
#: Variables that hold an id or another integer a machine reads back.
ID_LIKE = re.compile(r"(^|\.)(pk|id|[a-z0-9]+(_[a-z0-9]+)*_(id|pk)|previous_page_number|next_page_number|page_number)$")
NOT_IDS = {"auto_id"}  # a form field's HTML id, a string
#: Filters whose output is a plain (unlocalised) string.
SAFE_FILTERS = {"unlocalize", "stringformat", "urlencode", "escapejs", "iriencode", "slugify", "json_script"}
OPEN_ATTR = re.compile(r"<[a-zA-Z][^<>]*\s([-\w:.@]+)\s*=\s*([\"'])[^\"'<>]*$")


def unlocalised_id_problems(source: str) -> list[str]:
    """The `{{ ... }}` of `source` that would render an id localised where a machine reads it."""
    problems, html, localize_off, in_script = [], "", 0, False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            html += token.contents
            low = token.contents.lower()
            if "<script" in low:
                in_script = low.rfind("<script") > low.rfind("</script")
            elif "</script" in low:
                in_script = False
            continue
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            if bits[:2] == ["localize", "off"]:
                localize_off += 1
            elif bits[:1] == ["endlocalize"] and localize_off:
                localize_off -= 1
            html += "X"
            continue
        if token.token_type != TokenType.VAR:
            continue
        html += "X"
        expression, *filters = [part.strip() for part in token.contents.split("|")]
        filter_names = {f.split(":")[0].strip() for f in filters}
        name = expression.rsplit(".", 1)[-1]
        if localize_off or name in NOT_IDS or not ID_LIKE.search(expression) or filter_names & SAFE_FILTERS:
            continue
        if filter_names & {"localize"}:
            problems.append(f"line {token.lineno}: {{{{ {token.contents} }}}} is localised on purpose")
            continue
        tail = html[-400:]
        attr = OPEN_ATTR.search(tail)
        if attr and MACHINE_ATTRS.match(attr.group(1).lower()):
            problems.append(f"line {token.lineno}: {{{{ {token.contents} }}}} in {attr.group(1)}=")
        elif in_script:
            problems.append(f"line {token.lineno}: {{{{ {token.contents} }}}} in <script>")
    return problems


def _templates():
    return sorted(p for p in SRC.rglob("*") if p.suffix in {".html", ".txt", ".xml", ".js"} and "templates" in p.parts)


def test_the_scan_finds_localised_ids():
    """The scan itself: it must fail on each way an id used to slip through, and pass the fixes."""
    bad = [
        '<a href="?milestone={{ m.pk }}#report-form">',
        '<input type="checkbox" name="ideas" value="{{ row.idea.pk }}" id="c-{{ row.idea.pk }}">',
        '<tr data-unit="{{ u.unit_id }}">',
        '<a href="?page={{ page.next_page_number }}">',
        "<script>var id = {{ innovation.pk }};</script>",
        '<select name="mode_{{ r.person.pk }}">',
        '<a href="{% url "x" %}?program={{ program.id|default:0 }}">',
    ]
    for snippet in bad:
        assert unlocalised_id_problems(snippet), snippet
    good = [
        '{% load l10n %}<a href="?milestone={{ m.pk|unlocalize }}#report-form">',
        '{% localize off %}<tr data-unit="{{ u.unit_id }}">{% endlocalize %}',
        '<p>{{ program.pk }} ideas</p>',  # text, not read back by a machine
        '<label for="{{ field.auto_id }}">',
        '<p id="milestone-{{ m.order|stringformat:"d" }}">',
        '<option value="x"{% if a == "b" %} selected{% endif %}>{{ unit.pk }}</option>',
    ]
    for snippet in good:
        assert not unlocalised_id_problems(snippet), snippet


def test_no_template_renders_an_id_localised():
    templates = _templates()
    assert len(templates) > 50
    problems = [f"{path.relative_to(SRC)} {p}" for path in templates for p in unlocalised_id_problems(path.read_text())]
    assert not problems, "Render ids with |unlocalize ({% load l10n %}):\n" + "\n".join(problems)


# -------------------------------------------------------------------------------------- the crawl

#: A number with Indonesian thousands separators: 1.026, 12.345.678 (not 33.73 or 33.73.01.1001).
SEPARATED = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])")
URL_ATTRS = re.compile(r"^(href|action|src|formaction|data-[-\w]+|hx-[-\w]+)$")
#: Inputs whose value is sent back as is, so it must be a plain number when it is one.
MACHINE_INPUTS = {"hidden", "checkbox", "radio"}

CRAWLERS = ["organiser@salatiga.demo", "coach@salatiga.demo", "lurah@salatiga.demo", "inovator@salatiga.demo",
            "admin@labinov.demo"]
#: Named pages not reached by following links, and why.
NOT_CRAWLED = {
    "logout": "POST only",
    "set_language": "POST only",
    "password_reset": "for anonymous visitors; has no ids",
    "password_reset_done": "for anonymous visitors; has no ids",
    "password_reset_confirm": "needs a token from an e-mail",
    "password_reset_complete": "for anonymous visitors; has no ids",
    "invitation_accept": "needs a token from an e-mail",
    "login": "redirects a signed-in user",
    "pemda_logo": "an image; no demo pemda has a logo",
    "commitment_batch": "no PDF batch in the demo (\"Make the PDFs\" starts one); the static scan covers its template",
    "idea_import_status": "no import in the demo; the static scan covers its template",
    "idea_review": "reviews are open in Design only, and no demo program is in Design",
    "profile_edit": "profiles are edited in Design only, and no demo program is in Design",
}
#: How many URLs of one page (name and query keys) to fetch per account.
PER_PAGE = 2
#: Downloads that are slow to make and carry no HTML.
SKIP_FETCH = re.compile(r"(\.xlsx|\.zip|\.pdf|/pdf/|/booklet/)")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.problems, self._script = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._script = tag == "script"
        for name, value in attrs.items():
            if not value:
                continue
            machine = URL_ATTRS.match(name) or (
                name == "value" and (tag == "option" or (tag == "input" and (attrs.get("type") or "").lower() in MACHINE_INPUTS))
            )
            if machine and SEPARATED.search(value):
                self.problems.append(f"<{tag} {name}=\"{value}\">")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and SEPARATED.search(data):
            self.problems.append(f"<script>…{SEPARATED.search(data).group(0)}…")


def test_the_crawl_check_finds_separated_ids():
    """The crawl's reader: an id with a thousands separator in a link, a value or a script fails;
    region codes, decimals in text and ordinary ids do not."""
    def problems(html):
        page = _Page()
        page.feed(html)
        return page.problems

    assert problems('<a href="?milestone=1.026#report-form">Laporkan</a>')
    assert problems('<input type="checkbox" name="ideas" value="12.345">')
    assert problems('<tr data-unit="1.026">')
    assert problems('<option value="2.001">Unit</option>')
    assert problems("<script>const id = 1.026;</script>")
    assert not problems('<a href="/pemda/3373/programs/1026/?unit=1027">x</a>')
    assert not problems('<a href="/regions/?q=33.73.01.1001">33.73</a><p>1.234,5</p>')
    assert not problems('<input type="text" name="budget" value="1.250.000">')  # typed text, not an id


@pytest.mark.django_db
def test_sequences_start_high_on_this_database():
    """The helper the crawl uses, on SQLite and PostgreSQL (make test runs both)."""
    from django.db import connection

    from labinov.regions.models import Pemda, Unit
    from tests.sequences import start_sequences_at

    assert start_sequences_at(connection, 5000) > 20
    pemda = Pemda.objects.create(region_code="33.73", name="Kota Salatiga", head_title="Walikota")
    unit = Unit.objects.create(pemda=pemda, name="Kelurahan Kalicacing", kind="kelurahan")
    assert pemda.pk > 5000 and unit.pk > 5000
    start_sequences_at(connection, 10)  # never lowers a sequence
    assert Unit.objects.create(pemda=pemda, name="Kelurahan Sidorejo", kind="kelurahan").pk > unit.pk


def _named_get_pages():
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace is None:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def _takes_no_arguments(name) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _crawl(client, start_urls, visited_names, problems, user):
    from django.urls import Resolver404, resolve

    seen_keys: dict[tuple, int] = defaultdict(int)
    seen_urls, queue = set(), list(start_urls)
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(("/api/", "/static/", "/i18n/")):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in seen_urls:
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            problems.append(f"{user}: {url} links to no page")
            continue
        if match.url_name in NOT_CRAWLED:
            continue
        key = (match.url_name, tuple(sorted({k for k, _ in parse_qsl(parts.query)} - {"page"})))
        if seen_keys[key] >= PER_PAGE:
            continue
        seen_keys[key] += 1
        seen_urls.add(url)
        visited_names.add(match.url_name)
        if SKIP_FETCH.search(parts.path):
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code < 500, (user, url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        problems.extend(f"{user}: {url}: {p}" for p in page.problems)
        queue.extend(page.links)


def _demo_kwargs(program):
    """Real demo objects of Salatiga's program for each URL keyword, to request the named pages that
    no link reached (most answer a GET with 405: they take POSTs only)."""
    from labinov.delivery.models import Commitment, CommitmentBatch, Evidence, Launch
    from labinov.ideas.models import Idea
    from labinov.innovations.models import ActionPlan
    from labinov.people.models import Invitation, Membership, Person
    from labinov.programs.models import Event

    plan = ActionPlan.objects.filter(innovation__program=program, version__gt=1).select_related("innovation").first()
    evidence = Evidence.objects.filter(report__innovation=plan.innovation).first() or Evidence.objects.filter(
        report__innovation__program=program).select_related("report").first()
    pemda = program.pemda

    def pk(o):
        return o.pk if o is not None else 1

    by_name = {
        "unit": pk(program.units.first()), "person": pk(Person.objects.filter(pemda=pemda).first()),
        "event": pk(Event.objects.filter(pemda=pemda).first()), "program": program.pk,
        "member": pk(Membership.objects.filter(pemda=pemda).first()),
        "national": pk(Membership.objects.filter(pemda=None).first()),
        "invitation": pk(Invitation.objects.filter(pemda=pemda).first()),
    }
    values = {
        "pemda": pemda.slug, "program": program.pk, "innovation": plan.innovation_id, "version": plan.version, "other": 1,
        "idea": pk(Idea.objects.filter(program=program).first()), "unit": by_name["unit"],
        "commitment": pk(Commitment.objects.filter(program=program).first()),
        "batch": pk(CommitmentBatch.objects.filter(program=program).first()),
        "launch": pk(Launch.objects.filter(program=program).first()), "job": 1, "consolidation": 1,
        "evidence": pk(evidence),
    }
    if evidence is not None:
        values["innovation"] = evidence.report.innovation_id

    def kwargs(url_name, keys):
        out = {k: values.get(k, 1) for k in keys}
        if "pk" in keys:
            out["pk"] = by_name.get(url_name.split("_")[0], 1)
        return out

    return kwargs


@pytest.mark.django_db
def test_demo_pages_render_ids_unlocalised_in_indonesian(settings, client):
    from django.core.management import call_command
    from django.db import connection
    from django.urls import get_resolver, reverse

    from labinov.people.models import User
    from labinov.programs.models import Program
    from labinov.regions.models import Pemda
    from tests.sequences import start_sequences_at

    settings.DEBUG = True
    settings.LANGUAGE_CODE = "id"
    assert start_sequences_at(connection, 1000) > 20
    call_command("load_demo", quiet_accounts=True)
    salatiga = Pemda.objects.get(region_code="33.73")
    assert min(salatiga.units.values_list("pk", flat=True)) > 1000

    visited, problems = set(), []
    for email in CRAWLERS:
        client.force_login(User.objects.get(email=email))
        # Every page without parameters (home, lists, the public catalogue), then Salatiga's.
        starts = [reverse(name) for name in sorted(_named_get_pages() - set(NOT_CRAWLED)) if _takes_no_arguments(name)]
        starts.append(reverse("pemda_detail", args=[salatiga.slug]))
        programs = Program.objects.select_related("pemda")
        if email.endswith("salatiga.demo"):
            programs = programs.filter(pemda=salatiga)
        starts += [reverse("program_detail", args=[p.pemda.slug, p.pk]) for p in programs]
        _crawl(client, starts, visited, problems, email)
        client.logout()

    # The named pages no link led to, with real ids, as the national admin (who may see them all).
    client.force_login(User.objects.get(email="admin@labinov.demo"))
    kwargs = _demo_kwargs(salatiga.programs.get(name="Lab INAGARA 2019"))
    unanswered = {}
    for name in sorted(_named_get_pages() - visited - set(NOT_CRAWLED)):
        keys = next(iter(get_resolver().reverse_dict.getlist(name)))[0][0][1]
        url = reverse(name, kwargs=kwargs(name, keys))
        if SKIP_FETCH.search(url):
            response = client.head(url)
        else:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code < 500, (name, url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            page = _Page()
            page.feed(response.content.decode())
            problems.extend(f"admin: {url}: {p}" for p in page.problems)
        elif response.status_code not in (200, 302, 405):
            unanswered[name] = (url, response.status_code)

    assert not problems, "Ids rendered with a thousands separator:\n" + "\n".join(sorted(set(problems))[:40])
    assert not unanswered, f"Named pages the crawl could not request (give them real ids, or list them in NOT_CRAWLED): {unanswered}"
