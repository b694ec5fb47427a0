from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from labinov.core.stages import EventStage, StageKey


class Partner(models.TextChoices):
    LAN = "lan", _("LAN RI")
    UNIVERSITY = "university", _("University")
    SELF = "self", _("Pemda itself")
    OTHER = "other", _("Other")


class Program(models.Model):
    """One Labinov cycle (cohort) of a pemda, e.g. "Lab INAGARA 2019" for kelurahan and schools."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="programs", verbose_name=_("pemda"))
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    partner = models.CharField(_("partner"), max_length=16, choices=Partner.choices, default=Partner.LAN)
    partner_name = models.CharField(_("partner name"), max_length=200, blank=True)
    mou_number = models.CharField(_("MoU number"), max_length=100, blank=True)
    mou_date = models.DateField(_("MoU date"), null=True, blank=True)
    target_unit_kinds = models.JSONField(_("target unit types"), default=list, blank=True)
    target_ideas = models.PositiveIntegerField(_("target ideas"), null=True, blank=True)
    target_innovations = models.PositiveIntegerField(_("target innovations"), null=True, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=24, choices=StageKey.choices, default=StageKey.PLANNED)
    units = models.ManyToManyField("regions.Unit", through="Participation", related_name="programs", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "name"], name="program_unique_name_per_pemda"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="program_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name


class Participation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey("regions.Unit", on_delete=models.CASCADE, related_name="participations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "unit"], name="participation_unique")]


class CoachAssignment(models.Model):
    """A coach (LAN or local facilitator) assigned to a unit in a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="coach_assignments")
    unit = models.ForeignKey("regions.Unit", on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "unit", "coach"], name="coach_assignment_unique")]


class StageTransition(models.Model):
    """The visible history of a program's stage."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=24, choices=StageKey.choices)
    to_stage = models.CharField(_("to"), max_length=24, choices=StageKey.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("by"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class EventKind(models.TextChoices):
    STAGE = "stage", _("Stage workshop")
    TRAINING = "training", _("Training (diklat)")


class EventMode(models.TextChoices):
    LURING = "luring", _("Luring (in person)")
    DARING = "daring", _("Daring (online)")
    HYBRID = "hybrid", _("Hybrid")


class Event(models.Model):
    """A workshop of a program covering one or several stages, or a training outside a program."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="events", verbose_name=_("pemda"))
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="events", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.STAGE)
    title = models.CharField(_("title"), max_length=200)
    stages = models.JSONField(_("stages covered"), default=list, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=EventMode.choices, default=EventMode.LURING)
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One per line"))
    organiser_unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("organising unit")
    )
    online_viewers = models.PositiveIntegerField(_("online viewers"), null=True, blank=True)
    stream_url = models.URLField(_("stream link"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="event_dates_in_order"),
            models.CheckConstraint(
                condition=Q(kind="training") | Q(program__isnull=False), name="event_stage_event_has_program"
            ),
        ]

    def __str__(self):
        return self.title

    def stage_labels(self):
        return [EventStage(s).label for s in self.stages if s in EventStage.values]

    def speaker_list(self):
        return [s.strip() for s in self.speakers.splitlines() if s.strip()]


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="attendances", verbose_name=_("person"))
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit")
    )
    mode = models.CharField(_("mode"), max_length=8, choices=[("luring", _("In person")), ("daring", _("Online"))], default="luring")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="attendance_unique")]
