"""labinov iid score --ruleset CODE INPUT.json — score an assessment and print
{"spd", "sid", "total", "iid", "category", "innovations": [{"id", "score"}]} as JSON (numbers as strings, 2 decimals).
labinov iid ruleset-check FILE.json — check a ruleset file before adding it (exit 0 when it can be used).
labinov iid rulesets — list the rulesets that can be loaded.

Bad input (a level outside 0–3, an unknown indicator code, an SPD code given for an innovation, a missing file,
bad JSON) prints a clear message on stderr, in the user's language, and exits with status 2."""

import json
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from labinov.core.commands import MessageOnErrorCommand
from labinov.iid.inputs import parse_assessment, read_json_file
from labinov.iid.rulesets import RulesetError, available_rulesets, load_ruleset, load_ruleset_file
from labinov.iid.scoring import ScoringInputError, score

CENT = Decimal("0.01")
BAD_INPUT = 2


def two_decimals(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def result_json(result) -> dict:
    return {
        "spd": two_decimals(result.spd),
        "sid": two_decimals(result.sid),
        "total": two_decimals(result.total),
        "iid": two_decimals(result.iid),
        "category": result.category.label,
        "innovations": [{"id": r.id, "score": two_decimals(r.score)} for r in result.innovations],
    }


class Command(MessageOnErrorCommand):
    help = "Indeks Inovasi Daerah: score an assessment given as JSON, check a ruleset file, list the rulesets."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--language", choices=["id", "en"], help="Language of the messages (default: the site's)")
        sub = parser.add_subparsers(dest="action", required=True, metavar="{score,ruleset-check,rulesets}")
        s = sub.add_parser("score", help="Score an assessment (JSON) under a ruleset and print the result as JSON")
        s.add_argument("--ruleset", required=True, help="Ruleset code, e.g. 2023, 2024, 2026")
        s.add_argument("input", help='JSON file: {"spd": {...}, "innovations": [...], "yandas_covered": n}')
        c = sub.add_parser("ruleset-check", help="Check a ruleset file (exit 0 when it can be used)")
        c.add_argument("file", help="Ruleset JSON file")
        sub.add_parser("rulesets", help="List the rulesets that can be loaded")


    def handle(self, *args, action, language=None, **options):
        with translation.override(language or translation.get_language()):
            if action == "score":
                return self.score(options["ruleset"], options["input"])
            if action == "ruleset-check":
                return self.check(options["file"])
            return self.list()

    def _ruleset(self, code):
        try:
            return load_ruleset(code)
        except RulesetError as e:
            raise CommandError("\n".join(e.messages), returncode=BAD_INPUT) from None

    def score(self, code, path):
        ruleset = self._ruleset(code)
        try:
            assessment = parse_assessment(ruleset, read_json_file(path))
            result = score(ruleset, assessment)
        except ScoringInputError as e:
            raise CommandError(str(e), returncode=BAD_INPUT) from None
        self.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=2))

    def check(self, path):
        try:
            ruleset = load_ruleset_file(path)
        except RulesetError as e:
            raise CommandError("\n".join([_("The ruleset file %(path)s cannot be used:") % {"path": path},
                                          *(f"- {m}" for m in e.messages)]), returncode=BAD_INPUT) from None
        self.stdout.write(_("Ruleset %(code)s (%(label)s): %(count)s indicators, SPD max %(spd)s, SID max %(sid)s, total %(total)s — can be used.")
                          % {"code": ruleset.code, "label": ruleset.label, "count": len({i.number for i in ruleset.indicators} | {ruleset.jumlah.number}),
                             "spd": ruleset.spd_max, "sid": ruleset.sid_max, "total": ruleset.max_total})

    def list(self):
        for code in available_rulesets():
            try:
                r = load_ruleset(code)
                self.stdout.write(f"{code}\t{r.label}")
            except RulesetError as e:
                self.stdout.write(f"{code}\t" + _("cannot be used: %(error)s") % {"error": " ".join(e.messages)})
