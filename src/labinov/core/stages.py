"""The stage registry: what each 5D stage of a program allows.

Permission predicates ask this one place ("may an idea be created now?"), so a page, the API, an
import and a bulk action all get the same answer. Later features add their capabilities here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKey(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DRUM_UP = "drum_up", _("Drum-up")
    DIAGNOSE = "diagnose", _("Diagnose")
    DESIGN = "design", _("Design")
    DELIVER_MONITORING = "deliver_monitoring", _("Deliver: monitoring")
    DELIVER_LAUNCHING = "deliver_launching", _("Deliver: launching")
    DISPLAY = "display", _("Display")
    CLOSED = "closed", _("Closed")


class EventStage(models.TextChoices):
    """What a workshop can cover: the 5D stages plus Documentation (the +1)."""

    DRUM_UP = "drum_up", _("Drum-up")
    DIAGNOSE = "diagnose", _("Diagnose")
    DESIGN = "design", _("Design")
    DELIVER_MONITORING = "deliver_monitoring", _("Deliver: monitoring")
    DELIVER_LAUNCHING = "deliver_launching", _("Deliver: launching")
    DISPLAY = "display", _("Display")
    DOCUMENTATION = "documentation", _("Documentation")


class Capability(models.TextChoices):
    """Things a stage may allow. Features declare theirs here and ask `stage_allows`."""

    PROGRAM_EDIT = "program.edit", _("Edit the program and its participants")
    EVENT_SCHEDULE = "event.schedule", _("Schedule stage events")
    ATTENDANCE_RECORD = "attendance.record", _("Record attendance")
    IDEA_CREATE = "idea.create", _("Write innovation ideas")
    IDEA_REVIEW = "idea.review", _("Screen and merge ideas")
    PLAN_WRITE = "plan.write", _("Write action plans")
    PLAN_REVIEW = "plan.review", _("Review action plans")
    COMMITMENT_PREPARE = "commitment.prepare", _("Prepare commitment documents")
    COMMITMENT_SIGN = "commitment.sign", _("Sign commitment documents")
    MONITORING_REPORT = "monitoring.report", _("Report progress with evidence")
    LAUNCH_RECORD = "launch.record", _("Record the launching")
    DISPLAY_PUBLISH = "display.publish", _("Exhibit and publish innovations")
    DOCUMENT = "documentation.write", _("Document the innovations")


C = Capability


@dataclass(frozen=True)
class Stage:
    key: str
    order: int
    allows: frozenset[str]
    #: what each role should do while the program is in this stage (home page to-do list)
    next_steps: dict[str, str] = field(default_factory=dict)

    @property
    def label(self):
        return StageKey(self.key).label


_ALWAYS = {C.EVENT_SCHEDULE, C.ATTENDANCE_RECORD, C.DOCUMENT}

STAGES: dict[str, Stage] = {
    s.key: s
    for s in [
        Stage(
            StageKey.PLANNED,
            0,
            frozenset(_ALWAYS | {C.PROGRAM_EDIT}),
            {
                "organiser": _("Choose the participating units, assign coaches and schedule the Drum-up event."),
                "unit_head": _("Prepare your unit's team for the Drum-up."),
            },
        ),
        Stage(
            StageKey.DRUM_UP,
            1,
            frozenset(_ALWAYS | {C.PROGRAM_EDIT}),
            {
                "organiser": _("Record attendance of the Drum-up and open Diagnose."),
                "unit_head": _("Attend the Drum-up with your team."),
                "leader": _("Open the Drum-up and state your support."),
            },
        ),
        Stage(
            StageKey.DIAGNOSE,
            2,
            frozenset(_ALWAYS | {C.PROGRAM_EDIT, C.IDEA_CREATE}),
            {
                "organiser": _("Follow up units that have no idea yet; move on to Design when ideas are in."),
                "unit_head": _("Find your unit's problems and write innovation ideas."),
                "innovator": _("Write your unit's innovation ideas."),
                "coach": _("Coach your units while they diagnose problems."),
            },
        ),
        Stage(
            StageKey.DESIGN,
            3,
            frozenset(_ALWAYS | {C.IDEA_REVIEW, C.PLAN_WRITE, C.PLAN_REVIEW}),
            {
                "organiser": _("Screen and simplify the ideas; make sure every innovation has an action plan."),
                "coach": _("Review the ideas and action plans of your units."),
                "unit_head": _("Approve your unit's action plans."),
                "innovator": _("Write the action plan (rencana aksi) of your innovation."),
            },
        ),
        Stage(
            StageKey.DELIVER_MONITORING,
            4,
            frozenset(_ALWAYS | {C.MONITORING_REPORT, C.PLAN_REVIEW, C.COMMITMENT_PREPARE}),
            {
                "organiser": _("Run the monitoring clinic and follow up late milestones."),
                "coach": _("Monitor your units' progress and rate it."),
                "innovator": _("Report progress on your milestones with evidence."),
            },
        ),
        Stage(
            StageKey.DELIVER_LAUNCHING,
            5,
            frozenset(_ALWAYS | {C.MONITORING_REPORT, C.COMMITMENT_PREPARE, C.COMMITMENT_SIGN, C.LAUNCH_RECORD}),
            {
                "organiser": _("Prepare the commitment documents and the launching."),
                "unit_head": _("Sign your unit's commitment document."),
                "leader": _("Countersign the commitments and launch the innovations."),
            },
        ),
        Stage(
            StageKey.DISPLAY,
            6,
            frozenset(_ALWAYS | {C.MONITORING_REPORT, C.COMMITMENT_PREPARE, C.COMMITMENT_SIGN, C.DISPLAY_PUBLISH}),
            {
                "organiser": _("Exhibit, award and publish the innovations."),
                "innovator": _("Keep your innovation's profile and evidence up to date."),
            },
        ),
        Stage(StageKey.CLOSED, 7, frozenset({C.DOCUMENT}), {}),
    ]
}

ORDER = [s.key for s in sorted(STAGES.values(), key=lambda s: s.order)]


def get_stage(key: str) -> Stage:
    return STAGES[key]


def stage_allows(key: str, capability: str) -> bool:
    return capability in STAGES[key].allows


def next_stage(key: str) -> str | None:
    i = ORDER.index(key)
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def previous_stage(key: str) -> str | None:
    i = ORDER.index(key)
    return ORDER[i - 1] if i > 0 else None
