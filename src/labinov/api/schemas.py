"""Request and response bodies. Dates are ISO 8601 (YYYY-MM-DD), times ISO 8601 with offset."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from labinov.core.roles import Role
from labinov.core.stages import StageKey, next_stage
from labinov.regions.models import UnitKind

from .numbers import Count, Id
from .schemas_types import CleanLine, CleanStr


def _choices(choices) -> str:
    return ", ".join(str(v) for v in choices.values)


# --- account -------------------------------------------------------------------------------------


class PemdaRef(Schema):
    code: str = Field(description="Kemendagri code, e.g. 33.73")
    slug: str = Field(description="The code without dots, as in URLs, e.g. 3373")
    name: str


class MembershipOut(Schema):
    role: str = Field(description=_choices(Role))
    role_label: str
    pemda: PemdaRef | None = Field(None, description="null for national roles")
    unit_id: int | None = None
    unit_name: str | None = None


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    national_roles: list[str]
    memberships: list[MembershipOut]


# --- regions and pemda ---------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 kelurahan/desa")
    level_name: str
    type: str
    path: str
    pemda_enabled: bool = Field(description="The region already is a pemda in Labinov")


class PemdaOut(Schema):
    code: str
    slug: str
    name: str
    head_title: str = Field(description="gubernur, bupati or wali_kota")
    head_acting: str = Field("", description="'' (definitive), pj, plt or plh")
    head_full_title: str = Field("", description="As documents write it: 'Pj Wali Kota Yogyakarta'")
    head_name: str
    is_active: bool
    unit_count: int | None = None

    @staticmethod
    def resolve_code(obj) -> str:
        return obj.region_code

    @staticmethod
    def resolve_unit_count(obj) -> int | None:
        return getattr(obj, "unit_count", None)


class PemdaDetailOut(PemdaOut):
    sekda_name: str
    sekda_nip: str
    coordinating_unit: str
    address: str
    phone: str
    email: str
    website: str
    has_logo: bool
    enabled_at: datetime.datetime

    @staticmethod
    def resolve_has_logo(obj) -> bool:
        return bool(obj.logo)


# --- units ---------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    ownership: str
    code: str
    region_code: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class UnitIn(Schema):
    name: CleanLine
    kind: CleanLine = Field(description=_choices(UnitKind))
    parent_id: Id | None = Field(None, description="A unit of the same pemda")
    ownership: CleanLine = Field("", description="negeri or swasta; schools (sd, smp, sma) only")
    code: CleanLine = ""
    region_code: CleanLine = Field("", description="Kemendagri code of a kecamatan/kelurahan/desa")
    is_active: bool = True


class UnitPatch(Schema):
    """Only the fields sent are changed."""

    name: CleanLine = ""
    kind: CleanLine = Field("", description=_choices(UnitKind))
    parent_id: Id | None = Field(None, description="null removes the parent")
    ownership: CleanLine = ""
    code: CleanLine = ""
    region_code: CleanLine = ""
    is_active: bool = True


# --- people --------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    nip: str
    jabatan: str
    unit_id: int | None
    unit_name: str | None = None
    email: str
    phone: str

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class PersonIn(Schema):
    name: CleanLine
    nip: CleanLine = Field("", description="18 digits for a civil servant; empty for PPPK and non-ASN")
    jabatan: CleanLine = ""
    unit_id: Id | None = None
    email: CleanLine = ""
    phone: CleanLine = ""


# --- programs ------------------------------------------------------------------------------------


class _ProgramBase(Schema):
    id: int
    name: str
    year: int
    stage: str = Field(description=_choices(StageKey))
    stage_label: str
    partner: str
    partner_name: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    target_unit_kinds: list[str]
    target_ideas: int | None
    target_innovations: int | None

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(StageKey(obj.stage).label)


class ProgramOut(_ProgramBase):
    unit_count: int
    event_count: int


class TransitionOut(Schema):
    from_stage: str
    to_stage: str
    actor_id: int | None
    actor_name: str | None = None
    note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_actor_name(obj) -> str | None:
        return obj.actor.full_name if obj.actor_id else None


class ProgramDetailOut(_ProgramBase):
    description: str
    mou_number: str
    mou_date: datetime.date | None
    next_stage: str | None
    unit_ids: list[int] = Field(description="The participating units")
    transitions: list[TransitionOut] = Field(description="The history of the stage, oldest first")
    created_at: datetime.datetime

    @staticmethod
    def resolve_next_stage(obj) -> str | None:
        return next_stage(obj.stage)

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return obj.api_unit_ids

    @staticmethod
    def resolve_transitions(obj) -> list:
        return obj.api_transitions


class ProgramIn(Schema):
    name: CleanLine
    year: Count
    description: CleanStr = ""
    partner: CleanLine = Field("lan", description="lan, university, self, other")
    partner_name: CleanLine = ""
    mou_number: CleanLine = ""
    mou_date: datetime.date | None = None
    target_unit_kinds: list[CleanLine] = Field(default_factory=list, description=_choices(UnitKind))
    target_ideas: Count | None = None
    target_innovations: Count | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    unit_ids: list[Id] = Field(default_factory=list, description="Participating units of this pemda")


class AdvanceIn(Schema):
    to_stage: CleanLine = Field(description="The next stage; stages cannot be skipped or reversed")
    note: CleanStr = ""
    confirm: bool = Field(False, description="Move on although the current stage is incomplete (a move cannot be undone); "
                                             "without it such a move is a 422 listing what is incomplete")


# --- events --------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    title: str
    kind: str = Field(description="stage (a workshop of a program) or training")
    program_id: int | None
    stages: list[str]
    starts_on: datetime.date
    ends_on: datetime.date
    venue: str
    mode: str = Field(description="luring, daring or hybrid")
    organiser_unit_id: int | None
    online_viewers: int | None
    stream_url: str
    present_count: int | None = None

    @staticmethod
    def resolve_present_count(obj) -> int | None:
        return getattr(obj, "present_count", None)


class AttendanceOut(Schema):
    person_id: int
    person_name: str
    unit_id: int | None
    present: bool
    mode: str

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class EventDetailOut(EventOut):
    speakers: list[str]
    description: str
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_speakers(obj) -> list[str]:
        return obj.speaker_list()

    @staticmethod
    def resolve_attendance(obj) -> list:
        return obj.api_attendance


class EventIn(Schema):
    title: CleanLine
    kind: CleanLine = Field("stage", description="stage or training")
    program_id: Id | None = Field(None, description="Required for a stage workshop")
    stages: list[CleanLine] = Field(default_factory=list, description="drum_up, diagnose, design, deliver_monitoring, "
                              "deliver_launching, display, documentation")
    starts_on: datetime.date
    ends_on: datetime.date
    venue: CleanLine = ""
    mode: CleanLine = Field("luring", description="luring, daring or hybrid")
    speakers: CleanStr = Field("", description="One per line")
    organiser_unit_id: Id | None = None
    online_viewers: Count | None = None
    stream_url: CleanLine = ""
    description: CleanStr = ""
    allow_outside_period: bool = Field(False, description="Dates outside the program's period are refused (422) "
                                                          "unless this is true; the choice is recorded in the audit trail")


class AttendanceEntryIn(Schema):
    person_id: Id
    present: bool = True
    mode: CleanLine = Field("luring", description="luring or daring")


class AttendanceIn(Schema):
    """Adds or updates one row per person listed; people not listed are left as they are."""

    entries: list[AttendanceEntryIn]
    online_viewers: Count | None = None


class AttendanceResultOut(Schema):
    created: int
    updated: int
