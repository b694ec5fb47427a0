"""Request and response bodies of the Design endpoints: innovation profiles and action plans (rencana aksi)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from labinov.core.regulation import Initiator, InnovationForm, Urusan
from labinov.innovations.models import DecreeType, IidStage, InnovationProfile, Pentahelix, PlanStatus, TeamMember

from .numbers import Count
from .schemas import _choices
from .schemas_types import CleanLine, CleanStr


#: the pentahelix types, checked here: the service stores the team without a model check.
PentahelixValue = Literal[tuple(Pentahelix.values)]  # type: ignore[valid-type]


def _name(user) -> str | None:
    return None if user is None else (user.full_name or user.email)


# --- profile -------------------------------------------------------------------------------------


class TeamMemberOut(Schema):
    role: str = Field(description=_choices(TeamMember.Role))
    role_label: str
    name: str
    organisation: str
    pentahelix: str = Field(description=_choices(Pentahelix))

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class TeamMemberIn(Schema):
    role: CleanLine = Field(description=_choices(TeamMember.Role))
    # The lengths of the model: the service stores the team without a model check.
    name: CleanLine = Field(max_length=200)
    organisation: CleanLine = Field("", max_length=200)
    pentahelix: PentahelixValue = Field(Pentahelix.GOVERNMENT.value, description=_choices(Pentahelix))


class ChecklistItemOut(Schema):
    label: str
    done: bool


class _ProfileFields(Schema):
    urusan_primary: CleanLine = Field("", description=_choices(Urusan))
    iid_stage: CleanLine = Field(IidStage.INISIATIF.value, description=_choices(IidStage))
    trial_date: datetime.date | None = Field(None, description="Waktu uji coba")
    implementation_date: datetime.date | None = Field(None, description="Waktu penerapan")
    legal_basis: CleanStr = Field("", description="Rancang bangun: dasar hukum")
    problem: CleanStr = Field("", description="Rancang bangun: permasalahan")
    strategic_issue: CleanStr = Field("", description="Rancang bangun: isu strategis")
    renewal_method: CleanStr = Field("", description="Rancang bangun: metode pembaharuan")
    novelty: CleanStr = Field("", description="Rancang bangun: keunggulan dan kebaruan")
    how_it_works: CleanStr = Field("", description="Rancang bangun: cara kerja")
    goals: CleanStr = ""
    benefits: CleanStr = ""
    results: CleanStr = ""
    budget: Count | None = Field(None, description="Rupiah")
    budget_note: CleanStr = Field("", description="Budget source")
    sdgs: list[Count] = Field(default_factory=list, description="SDG numbers, 1–17")
    decree_type: CleanLine = Field("", description=_choices(DecreeType) + " (empty: none yet)")
    decree_number: CleanLine = ""
    decree_date: datetime.date | None = None
    contact_name: CleanLine = Field("", description="Innovator contact")
    contact_nip: CleanLine = Field("", description="NIP (18 digits)")
    contact_position: CleanLine = ""
    contact_phone: CleanLine = Field("", description="WhatsApp number")


class ProfileIn(_ProfileFields):
    """Replaces the whole profile: a field left out becomes empty, and so does the team. The decree file
    is uploaded on the page only; the one already stored is kept."""

    team: list[TeamMemberIn] = Field(default_factory=list, description="Managers, implementers and actors")


class ProfileOut(_ProfileFields):
    budget: int | None = Field(None, description="Rupiah")
    has_decree_file: bool = Field(description="A decree PDF has been uploaded (on the page)")
    team: list[TeamMemberOut]
    design_word_count: int = Field(description="Words of the six design (rancang bangun) fields")
    min_design_words: int = Field(description="What IID asks for")
    checklist: list[ChecklistItemOut] = Field(description="What the IID profile has and still lacks")
    complete: bool
    updated_at: datetime.datetime | None = Field(description="null: not written yet")

    @staticmethod
    def resolve_budget(obj) -> int | None:
        return None if obj.budget is None else int(obj.budget)

    @staticmethod
    def resolve_has_decree_file(obj) -> bool:
        return bool(obj.decree_file)

    @staticmethod
    def resolve_team(obj) -> list:
        return list(obj.innovation.team.all())

    @staticmethod
    def resolve_design_word_count(obj) -> int:
        return obj.design_word_count()

    @staticmethod
    def resolve_min_design_words(obj) -> int:
        return InnovationProfile.MIN_DESIGN_WORDS

    @staticmethod
    def resolve_checklist(obj) -> list[dict]:
        return [{"label": str(label), "done": done} for label, done in _checklist(obj)]

    @staticmethod
    def resolve_complete(obj) -> bool:
        return all(done for _label, done in _checklist(obj))

    @staticmethod
    def resolve_updated_at(obj):
        return obj.updated_at if obj.pk else None


def _checklist(profile):
    cached = getattr(profile, "_api_checklist", None)
    if cached is None:
        from labinov.innovations.services import profile_checklist

        cached = profile._api_checklist = profile_checklist(profile)
    return cached


# --- innovation ----------------------------------------------------------------------------------


class PlanVersionOut(Schema):
    version: int
    status: str = Field(description=_choices(PlanStatus))
    status_label: str
    revision_reason: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    coach_approved_at: datetime.datetime | None
    coach_approved_by_name: str | None
    approved_at: datetime.datetime | None
    approved_by_name: str | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_coach_approved_by_name(obj) -> str | None:
        return _name(obj.coach_approved_by)

    @staticmethod
    def resolve_approved_by_name(obj) -> str | None:
        return _name(obj.approved_by)


class InnovationDetailOut(Schema):
    id: int
    name: str
    description: str
    program_id: int | None
    unit_id: int
    unit_name: str
    form: str = Field(description=_choices(InnovationForm))
    is_digital: bool
    urusan: list[str]
    initiator: str = Field(description=_choices(Initiator))
    status: str
    profile: ProfileOut
    plan_status: str = Field(description="The latest version's status, or none: " + _choices(PlanStatus))
    plan_status_label: str
    versions: list[PlanVersionOut] = Field(description="The action plan's versions, newest first")


# --- action plans --------------------------------------------------------------------------------


class IndicatorIO(Schema):
    name: CleanLine = Field(max_length=255)
    unit_of_measure: CleanLine = Field(max_length=50, description="e.g. hari, persen, dokumen")
    baseline: CleanLine = Field("", max_length=100)
    target: CleanLine = Field(max_length=100)


class MilestoneIn(Schema):
    activity: CleanLine = Field(max_length=255)
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="Not before starts_on; inside the program period unless the organiser allows it")
    pic: CleanLine = Field(max_length=200, description="Person in charge")
    output: CleanStr = Field("", max_length=255)
    budget_source: CleanLine = Field("", max_length=100)
    quick_win: bool = False


class MilestoneOut(MilestoneIn):
    order: int = Field(description="Its place in the plan (0 first); comments point at it")


class RiskIO(Schema):
    risk: CleanStr = Field(max_length=255)
    mitigation: CleanStr = Field(max_length=255)


class StakeholderIO(Schema):
    name: CleanLine = Field(max_length=200)
    contribution: CleanStr = Field("", max_length=255)


class PlanIn(Schema):
    """Replaces the whole content of an editable version (draft or changes requested): the lists are
    stored in the order sent."""

    objective: CleanStr = ""
    indicators: list[IndicatorIO] = Field(default_factory=list)
    milestones: list[MilestoneIn] = Field(default_factory=list)
    risks: list[RiskIO] = Field(default_factory=list)
    stakeholders: list[StakeholderIO] = Field(default_factory=list)


class CommentIn(Schema):
    text: CleanStr
    milestone_order: Count | None = Field(None, description="The milestone's order, for a comment on one milestone")
    requests_change: bool = Field(False, description="A coach's change request: the plan goes back to the unit")


class CommentOut(Schema):
    id: int
    milestone_order: int | None
    author_id: int | None
    author_name: str | None
    text: str
    requests_change: bool
    resolved: bool = Field(description="A change request the unit has addressed (by sending the plan again)")
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_name(obj) -> str | None:
        return _name(obj.author)


class NewVersionIn(Schema):
    reason: CleanStr = Field("", max_length=500, description="Needed after Design: the organiser's reason for the revision")


class PlanOut(PlanVersionOut):
    innovation_id: int
    objective: str
    frozen: bool = Field(description="Approved: never changes again; a change starts a new version")
    allow_outside_period: bool = Field(description="The organiser allows milestones outside the program period")
    indicators: list[IndicatorIO]
    milestones: list[MilestoneOut]
    risks: list[RiskIO]
    stakeholders: list[StakeholderIO]
    comments: list[CommentOut]

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_risks(obj) -> list:
        return list(obj.risks.all())

    @staticmethod
    def resolve_stakeholders(obj) -> list:
        return list(obj.stakeholders.all())

    @staticmethod
    def resolve_comments(obj) -> list:
        return list(obj.comments.select_related("author"))


class PlanChangeOut(Schema):
    part: str = Field(description="objective, indicators, milestones, risks or stakeholders")
    index: int | None = Field(description="The row (1 first); null for the objective")
    field: str | None = Field(description="null: the whole row was added or removed")
    old: Any = Field(description="The value (or row) in the first version; null when added")
    new: Any = Field(description="The value (or row) in the second version; null when removed")


class PlanDiffOut(Schema):
    version: int
    other: int
    changes: list[PlanChangeOut]
