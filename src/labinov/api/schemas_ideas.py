"""Request and response bodies of the Diagnose and screening endpoints (ideas, rubric, reviews, decisions)."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from labinov.core.regulation import Initiator, InnovationForm, Urusan
from labinov.ideas.models import IdeaStatus

from .numbers import Count, Id
from .schemas import _choices
from .schemas_types import CleanLine, CleanStr

# --- ideas ---------------------------------------------------------------------------------------


class IdeaOut(Schema):
    id: int
    program_id: int
    unit_id: int
    unit_name: str
    title: str
    problem: str
    root_cause: str
    proposed_change: str
    beneficiaries: str
    expected_benefit: str
    form: str = Field(description=_choices(InnovationForm))
    form_label: str
    is_digital: bool
    urusan: list[str] = Field(description="Urusan pemerintahan (UU 23/2014)")
    initiator: str = Field(description=_choices(Initiator))
    proposers: str = Field(description="One name per line")
    is_replication: bool = Field(description="A replication (ATM) of an existing innovation")
    replication_of_id: int | None
    replication_source: str
    replication_changes: str
    status: str = Field(description=_choices(IdeaStatus))
    status_label: str
    decision_reason: str
    decided_at: datetime.datetime | None
    innovation_id: int | None = Field(description="The innovation the idea became (selected or merged)")
    submitted_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_form_label(obj) -> str:
        return str(obj.get_form_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_decision_reason(obj, context) -> str:
        """Empty for another unit's idea: other units see the decision, not why (ideas/visibility.py)."""
        from labinov.ideas.visibility import reason_visible_to

        user = getattr((context or {}).get("request"), "user", None)
        return obj.decision_reason if user is not None and reason_visible_to(user, obj) else ""


class _IdeaFields(Schema):
    root_cause: CleanStr = ""
    beneficiaries: CleanStr = ""
    expected_benefit: CleanStr = ""
    is_digital: bool = False
    urusan: list[CleanLine] = Field(default_factory=list, description=_choices(Urusan))
    initiator: CleanLine = Field(Initiator.AGENCY.value, description=_choices(Initiator))
    proposers: CleanStr = Field("", description="One name per line")
    is_replication: bool = Field(False, description="A replication (ATM) of an existing innovation")
    replication_source: CleanLine = Field("", description="The replicated innovation: its name and pemda")
    replication_changes: CleanStr = Field("", description="What is modified")


class IdeaIn(_IdeaFields):
    unit_id: Id = Field(description="A participating unit of this pemda: the caller's own, or any for organisers")
    title: CleanLine
    problem: CleanStr = Field(description="The problem (masalah)")
    proposed_change: CleanStr = Field(description="The proposed change (gagasan)")
    form: CleanLine = Field(description=_choices(InnovationForm))
    submit: bool = Field(False, description="Submit at once instead of keeping a draft")


class IdeaPatch(_IdeaFields):
    """Only the fields sent are changed."""

    unit_id: Id | None = Field(None, description="A participating unit of this pemda")
    title: CleanLine = ""
    problem: CleanStr = ""
    proposed_change: CleanStr = ""
    form: CleanLine = Field("", description=_choices(InnovationForm))


class IdeaBriefOut(Schema):
    id: int
    title: str
    unit_id: int
    unit_name: str
    status: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class SimilarIdeaOut(Schema):
    score: int = Field(description="0–100")
    idea: IdeaBriefOut


class InnovationBriefOut(Schema):
    id: int
    name: str
    pemda_code: str
    pemda_name: str
    unit_name: str

    @staticmethod
    def resolve_pemda_code(obj) -> str:
        return obj.pemda.region_code

    @staticmethod
    def resolve_pemda_name(obj) -> str:
        return obj.pemda.name

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class SimilarInnovationOut(Schema):
    score: int = Field(description="0–100")
    innovation: InnovationBriefOut


class SimilarOut(Schema):
    ideas: list[SimilarIdeaOut] = Field(description="Ideas of this program the caller may see")
    innovations: list[SimilarInnovationOut] = Field(description="Published innovations of any pemda (ATM)")


# --- rubric and reviews --------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    key: str
    label: str
    weight: int
    order: int


class RubricOut(Schema):
    criteria: list[CriterionOut]


class CriterionIn(Schema):
    key: CleanLine = Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=40, description="Letters, digits, - and _")
    label: CleanLine = Field(max_length=200)
    weight: Count = Field(description="1–100")


class RubricIn(Schema):
    """Replaces the whole rubric; refused once scoring has started."""

    criteria: list[CriterionIn]


class ReviewIn(Schema):
    scores: dict[CleanLine, Count] = Field(description="One score from 1 to 5 per criterion, by criterion key (or id)")
    comment: CleanStr = ""


class ReviewOut(Schema):
    idea_id: int
    reviewer_id: int
    scores: dict[str, int] = Field(description="By criterion id")
    score: float = Field(description="The weighted result, 0–100")
    comment: str
    updated_at: datetime.datetime


class ScreeningRowOut(Schema):
    id: int
    title: str
    unit_id: int
    unit_name: str
    unit_kind: str
    status: str = Field(description=_choices(IdeaStatus))
    innovation_id: int | None
    mean_score: float | None = Field(description="Mean of the reviews' weighted scores (0–100); null without reviews")
    review_count: int
    spread: float | None = Field(description="Highest minus lowest review score: reviewer (dis)agreement")

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_unit_kind(obj) -> str:
        return obj.unit.kind


# --- decisions -----------------------------------------------------------------------------------


class DecisionIn(Schema):
    action: Literal["select", "reject", "merge", "undo"] = Field(
        description="select: each idea becomes an innovation; reject (needs a reason); merge: the ideas become "
        "one innovation (needs a title); undo: back to submitted (undoing one merged idea undoes its whole merge)"
    )
    idea_ids: list[Id] = Field(min_length=1)
    reason: CleanStr = Field("", description="For reject: the units read it")
    title: CleanLine = Field("", description="For merge: the title of the innovation")
    unit_id: Id | None = Field(None, description="For merge: the unit of one of the ideas (default: the first idea's)")


class DecisionOut(Schema):
    action: str
    idea_ids: list[int]
    innovation_ids: list[int] = Field(description="Innovations created (select, merge)")


class PublishOut(Schema):
    published_at: datetime.datetime
    published_by_id: int | None


# --- funnel and innovations ----------------------------------------------------------------------


class FunnelKindOut(Schema):
    kind: str = Field(description="The unit type's name")
    participating: int
    units: int = Field(description="Units of this type with at least one submitted idea")
    ideas: int
    selected: int | None = Field(description="None for units until the decisions are published")
    merged: int | None
    rejected: int | None

    @staticmethod
    def resolve_kind(obj) -> str:
        return str(obj["kind"])


class FunnelOut(Schema):
    units: int = Field(description="Units taking part")
    units_with_idea: int
    ideas: int = Field(description="Submitted and decided ideas (drafts not counted)")
    drafts: int
    submitted: int
    selected: int | None = Field(description="None for units until the decisions are published")
    merged: int | None
    rejected: int | None
    innovations: int | None
    ideas_per_unit: float
    conversion: float | None = Field(description="Innovations per 100 ideas; None for units before publication")
    by_kind: list[FunnelKindOut]
    published: bool = Field(description="Decisions have been published to the units")


class InnovationOut(Schema):
    id: int
    name: str
    description: str
    unit_id: int
    unit_name: str
    form: str
    is_digital: bool
    urusan: list[str]
    initiator: str
    status: str
    published_at: datetime.datetime | None
    source_idea_ids: list[int] = Field(description="The ideas it was born from")
    created_at: datetime.datetime

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_source_idea_ids(obj) -> list[int]:
        return sorted(i.pk for i in obj.source_ideas.all())

