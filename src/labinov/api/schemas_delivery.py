"""Request and response bodies of the Deliver endpoints: commitments, monitoring, dashboard, launchings."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from labinov.delivery.models import CommitmentStatus, MilestoneState, Party, Rating

from .numbers import Id, IntRange
from .schemas import _choices
from .schemas_types import CleanLine, CleanStr


class CommitmentOut(Schema):
    id: int
    number: str
    sequence: int
    unit_id: int
    unit_name: str
    innovation_id: int | None = Field(description="Set when the program has one document per innovation")
    status: str = Field(description=_choices(CommitmentStatus))
    status_label: str
    unit_head_name: str
    unit_head_nip: str
    unit_head_position: str
    unit_head_signed_by: str
    unit_head_signed_on: datetime.date | None
    countersigned_by: str
    countersigned_on: datetime.date | None
    witnessed_by: str
    witnessed_on: datetime.date | None
    activated_on: datetime.date | None
    outcome_on: datetime.date | None
    has_document: bool
    signed_file_kind: str = Field(description="scan, electronic, or empty")
    signature_report: dict = Field(description="What the check of an electronically signed PDF found")

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_has_document(obj) -> bool:
        return bool(obj.document)


class SignatureIn(Schema):
    party: Literal[tuple(Party.values)] = Field(description=_choices(Party) + ". In this order.")  # type: ignore[valid-type]
    signed_by: CleanLine = Field(max_length=200)
    signed_on: datetime.date


class ReportIn(Schema):
    milestone_id: Id = Field(description="A milestone of the innovation's approved plan")
    status: Literal[tuple(MilestoneState.values)] = Field(description=_choices(MilestoneState))  # type: ignore[valid-type]
    percent: IntRange(0, 100)
    note: CleanStr = ""
    obstacles: CleanStr = Field("", description="Required when the milestone is blocked")
    event_id: Id | None = Field(None, description="A monitoring event of the program")
    video_urls: list[CleanLine] = Field(default_factory=list, description="http(s) links; files are uploaded on the page")


class EvidenceOut(Schema):
    id: int
    kind: str = Field(description="pdf, png, jpeg or video")
    original_name: str
    size: int
    video_url: str


class ReportOut(Schema):
    id: int
    milestone_id: int
    status: str
    percent: int
    note: str
    obstacles: str
    event_id: int | None
    reported_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class MilestoneProgressOut(Schema):
    id: int
    activity: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str = Field(description=_choices(MilestoneState))
    percent: int
    last_report_at: datetime.datetime | None
    overdue: bool


class CoachNoteIn(Schema):
    rating: Literal[tuple(Rating.values)] = Field(description=_choices(Rating))  # type: ignore[valid-type]
    text: CleanStr


class CoachNoteOut(Schema):
    id: int
    rating: str
    text: str
    created_at: datetime.datetime


class MonitoringOut(Schema):
    plan_version: int | None
    done: int
    total: int
    overdue: int
    share: int = Field(description="Share of milestones done, in %")
    milestones: list[MilestoneProgressOut]
    notes: list[CoachNoteOut]


class UnitProgressOut(Schema):
    unit_id: int
    unit: str
    innovations: int
    total: int
    done: int
    overdue: int
    blocked: int
    share: int
    slipping: bool
    lag: int = Field(description="Expected minus reported progress, in percentage points, averaged over the milestones")
    last: datetime.datetime | None
    commitments: int
    signed: int


class DashboardOut(Schema):
    summary: dict
    units: list[UnitProgressOut]


class LaunchIn(Schema):
    held_on: datetime.date
    place: CleanLine
    launched_by: CleanLine
    innovation_ids: list[Id]
    note: CleanStr = ""
    decree_type: CleanLine = Field("", description="For innovations without a decree of their own")
    decree_number: CleanLine = ""
    decree_date: datetime.date | None = None
    announce: bool = Field(True, description="Publish the launched innovations in the public catalogue")


class LaunchOut(Schema):
    id: int
    held_on: datetime.date
    place: str
    launched_by: str
    decree_number: str
    innovation_ids: list[int]

    @staticmethod
    def resolve_innovation_ids(obj) -> list[int]:
        return [item.innovation_id for item in obj.items.all()]
