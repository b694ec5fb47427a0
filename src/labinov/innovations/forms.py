"""Forms of the innovation pages: the profile (with its team), the action plan (with its tables of
rows), comments and the small once-only forms behind each button of the review loop.

Tables of rows (team members, indicators, milestones, risks, stakeholders) are plain server-rendered
rows, named `<part>-<i>-<column>`, with a few empty ones at the end for adding; no JavaScript is
needed. A hidden field named after the part holds the number of rows and receives the service's
errors about that part (`ValidationError({"milestones": [...]})` lands there).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from labinov.core.forms import LabinovForm

from .models import DecreeType, IidStage, InnovationProfile, Pentahelix, TeamMember
from .services import PROFILE_FIELDS

# Tujuan Pembangunan Berkelanjutan (TPB/SDGs), by their short Indonesian names (Perpres 59/2017).
SDGS = (
    (1, "Tanpa Kemiskinan"), (2, "Tanpa Kelaparan"), (3, "Kehidupan Sehat dan Sejahtera"), (4, "Pendidikan Berkualitas"),
    (5, "Kesetaraan Gender"), (6, "Air Bersih dan Sanitasi Layak"), (7, "Energi Bersih dan Terjangkau"),
    (8, "Pekerjaan Layak dan Pertumbuhan Ekonomi"), (9, "Industri, Inovasi dan Infrastruktur"), (10, "Berkurangnya Kesenjangan"),
    (11, "Kota dan Permukiman yang Berkelanjutan"), (12, "Konsumsi dan Produksi yang Bertanggung Jawab"),
    (13, "Penanganan Perubahan Iklim"), (14, "Ekosistem Lautan"), (15, "Ekosistem Daratan"),
    (16, "Perdamaian, Keadilan dan Kelembagaan yang Tangguh"), (17, "Kemitraan untuk Mencapai Tujuan"),
)
SDG_LABELS = dict(SDGS)

MAX_ROWS = 200
EXTRA_ROWS = 3
MAX_BUDGET = 10**15 - 1  # InnovationProfile.budget: 15 digits, whole rupiah


def _date(**kwargs):
    # type=date needs ISO values whatever the language's display format is
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _text(max_length: int, **kwargs):
    return forms.CharField(max_length=max_length, required=False, **kwargs)


def sdg_label(number: int) -> str:
    return f"{number}. {SDG_LABELS.get(number, '?')}"


# part -> ((column, label, field factory), ...). The label doubles as the table header.
ROW_PARTS = {
    "team": (
        ("role", _("Role"), lambda: forms.ChoiceField(choices=[("", "—"), *TeamMember.Role.choices], required=False)),
        ("name", _("Name"), lambda: _text(200)),
        ("organisation", _("Organisation"), lambda: _text(200)),
        ("pentahelix", _("Pentahelix"), lambda: forms.ChoiceField(choices=Pentahelix.choices, required=False,
                                                                   initial=Pentahelix.GOVERNMENT)),
    ),
    "indicators": (
        ("name", _("Indicator"), lambda: _text(255)),
        ("unit_of_measure", _("Unit of measure"), lambda: _text(50)),
        ("baseline", _("Baseline"), lambda: _text(100)),
        ("target", _("Target"), lambda: _text(100)),
    ),
    "milestones": (
        ("activity", _("Activity"), lambda: _text(255)),
        ("starts_on", _("Start"), lambda: _date(required=False)),
        ("ends_on", _("End"), lambda: _date(required=False)),
        ("pic", _("Person in charge"), lambda: _text(200)),
        ("output", _("Output"), lambda: _text(255)),
        ("budget_source", _("Budget source"), lambda: _text(100)),
        ("quick_win", _("Quick win"), lambda: forms.BooleanField(required=False)),
    ),
    "risks": (
        ("risk", _("Risk"), lambda: _text(255)),
        ("mitigation", _("Mitigation"), lambda: _text(255)),
    ),
    "stakeholders": (
        ("name", _("Stakeholder"), lambda: _text(200)),
        ("contribution", _("Contribution"), lambda: _text(255)),
    ),
}


class RowsForm(LabinovForm):
    """A LabinovForm with tables of rows (see the module's docstring)."""

    parts: tuple[str, ...] = ()

    def __init__(self, *args, rows: dict[str, list[dict]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = rows or {}
        self._row_counts = {}
        for part in self.parts:
            columns = ROW_PARTS[part]
            if self.is_bound:
                count = self._posted_count(part)
            else:
                existing = rows.get(part) or []
                count = min(len(existing) + EXTRA_ROWS, MAX_ROWS)
                for i, row in enumerate(existing[:count]):
                    for name, _label, _make in columns:
                        self.initial[f"{part}-{i}-{name}"] = row.get(name)
            self._row_counts[part] = count
            self.fields[part] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_ROWS,
                                                   initial=count)
            for i in range(count):
                for name, label, make in columns:
                    field = make()
                    field.label = label
                    # the table header names the column; the field also says which row it is in
                    field.widget.attrs["aria-label"] = f"{label} ({i + 1})"
                    self.fields[f"{part}-{i}-{name}"] = field

    def _posted_count(self, part: str) -> int:
        try:
            return max(0, min(int(self.data.get(part) or 0), MAX_ROWS))
        except (TypeError, ValueError):
            return 0

    def rows(self, part: str) -> list[dict]:
        """The non-empty rows of a part, from cleaned_data, in their order on the page."""
        columns = ROW_PARTS[part]
        out = []
        for i in range(self._row_counts[part]):
            row = {name: self.cleaned_data.get(f"{part}-{i}-{name}") for name, _label, _make in columns}
            # a row with only its selects left at their defaults is an unused row
            filled = [row[name] for name, _label, make in columns if not isinstance(self.fields[f"{part}-{i}-{name}"], forms.ChoiceField)]
            if not any(v not in (None, "", False) for v in filled):
                continue
            out.append({k: ("" if v is None and k not in ("starts_on", "ends_on") else v) for k, v in row.items()})
        return out

    @property
    def tables(self) -> dict:
        """What the template renders per part: column labels, rows of bound fields, the part's errors."""
        out = {}
        for part in self.parts:
            columns = ROW_PARTS[part]
            out[part] = {
                "part": part,
                "count": self[part],
                "columns": [(name, label) for name, label, _make in columns],
                "rows": [[self[f"{part}-{i}-{name}"] for name, _label, _make in columns] for i in range(self._row_counts[part])],
                "errors": self.errors.get(part, []),
            }
        return out


def _urusan_choices():
    from labinov.ideas.forms import urusan_choices

    return [("", "—"), *urusan_choices()]


class ProfileForm(RowsForm):
    """Every field of the IID innovation profile, and the team."""

    parts = ("team",)

    urusan_primary = forms.ChoiceField(label=_("Primary urusan (UU 23/2014)"), choices=_urusan_choices, required=False)
    iid_stage = forms.ChoiceField(label=_("Stage (tahapan)"), choices=IidStage.choices)
    trial_date = _date(label=_("Trial date (waktu uji coba)"), required=False)
    implementation_date = _date(label=_("Implementation date (waktu penerapan)"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis (dasar hukum)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    problem = forms.CharField(label=_("Problem (permasalahan)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    strategic_issue = forms.CharField(label=_("Strategic issue (isu strategis)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    renewal_method = forms.CharField(label=_("Method of renewal (metode pembaharuan)"), widget=forms.Textarea(attrs={"rows": 4}),
                                     required=False)
    novelty = forms.CharField(label=_("Novelty (keunggulan dan kebaruan)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    how_it_works = forms.CharField(label=_("How it works (cara kerja)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    goals = forms.CharField(label=_("Goals (tujuan)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    benefits = forms.CharField(label=_("Benefits (manfaat)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    results = forms.CharField(label=_("Results (hasil)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    budget = forms.IntegerField(label=_("Budget (Rp)"), min_value=0, max_value=MAX_BUDGET, required=False,
                                help_text=_("Whole rupiah, without dots or commas."))
    budget_note = forms.CharField(label=_("Budget source"), max_length=200, required=False, help_text=_("For example APBD 2019."))
    sdgs = forms.TypedMultipleChoiceField(label=_("SDGs (TPB)"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                                          choices=[(n, sdg_label(n)) for n, _name in SDGS])
    decree_type = forms.ChoiceField(label=_("Decree (penetapan)"), choices=[("", "—"), *DecreeType.choices], required=False)
    decree_number = forms.CharField(label=_("Decree number"), max_length=100, required=False)
    decree_date = _date(label=_("Decree date"), required=False)
    decree_file = forms.FileField(label=_("Decree (PDF, at most 10 MB)"), required=False,
                                  widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))
    contact_name = forms.CharField(label=_("Innovator contact: name"), max_length=200, required=False)
    contact_nip = forms.CharField(label=_("NIP"), max_length=30, required=False, help_text=_("18 digits; spaces are allowed."))
    contact_position = forms.CharField(label=_("Position (jabatan)"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("WhatsApp number"), max_length=32, required=False)

    DESIGN_FIELDS = InnovationProfile.DESIGN_FIELDS

    @property
    def design_fields(self):
        return [self[name] for name in self.DESIGN_FIELDS]

    def group(self, *names):
        return [self[name] for name in names]

    @property
    def stage_fields(self):
        return self.group("urusan_primary", "iid_stage", "trial_date", "implementation_date")

    @property
    def outcome_fields(self):
        return self.group("goals", "benefits", "results")

    @property
    def budget_fields(self):
        return self.group("budget", "budget_note", "sdgs")

    @property
    def decree_fields(self):
        return self.group("decree_type", "decree_number", "decree_date", "decree_file")

    @property
    def contact_fields(self):
        return self.group("contact_name", "contact_nip", "contact_position", "contact_phone")


def profile_initial(profile: InnovationProfile) -> dict:
    initial = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    if profile.budget is not None:
        initial["budget"] = int(profile.budget)
    return initial


def profile_service_fields(data: dict) -> dict:
    """The cleaned data as profile_update's keyword arguments (without team and file)."""
    out = {name: data.get(name) for name in PROFILE_FIELDS}
    out["sdgs"] = sorted(set(out["sdgs"] or []))
    return out


class PlanForm(RowsForm):
    """The content of one version of an action plan."""

    parts = ("indicators", "milestones", "risks", "stakeholders")

    objective = forms.CharField(label=_("Objective (tujuan)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                help_text=_("What the innovation should have changed when the plan is carried out."))


def plan_rows(plan) -> dict[str, list[dict]]:
    from .plans import PARTS

    return {part: [{f: getattr(row, f) for f in fields} for row in getattr(plan, part).all()] for part, (_m, fields) in PARTS.items()}


class ActionForm(LabinovForm):
    """Only the once-only token: a button of the review loop (start, send for review, approve)."""


class CommentForm(LabinovForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    milestone = forms.TypedChoiceField(label=_("On milestone"), coerce=int, empty_value=None, required=False)
    requests_change = forms.BooleanField(label=_("Request a change (the unit must revise the plan)"), required=False)

    def __init__(self, *args, milestones, may_request_change: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [("", _("The plan in general"))] + [
            (m.order, f"{m.order + 1}. {m.activity}") for m in milestones
        ]
        if not may_request_change:
            del self.fields["requests_change"]


class NewVersionForm(LabinovForm):
    reason = forms.CharField(label=_("Reason for the revision"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reason_needed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_needed:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("After Design, the organiser records why the approved plan changes.")
        else:
            del self.fields["reason"]


class AllowOutsideForm(LabinovForm):
    allow = forms.BooleanField(widget=forms.HiddenInput, required=False)
