from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from labinov.core.forms import LabinovForm, paginate, run_form
from labinov.core.params import int_param
from labinov.core.stages import ORDER, StageKey, get_stage, next_stage
from labinov.core.views_helpers import require, tenant
from labinov.regions.models import UnitKind
from labinov.regions.selectors import unit_choices

from . import selectors, services
from .forms import AdvanceForm, CoachForm, EventForm, ParticipantsForm, ProgramForm, UnitFilterForm

PROGRAM_FIELDS = ("name", "year", "partner", "partner_name", "mou_number", "mou_date", "starts_on", "ends_on",
                  "target_unit_kinds", "target_ideas", "target_innovations", "description")
EVENT_FIELDS = ("title", "kind", "program", "stages", "starts_on", "ends_on", "venue", "mode", "speakers",
                "organiser_unit", "stream_url", "online_viewers", "description")


EVENTS_ON_PROGRAM_PAGE = 30


@login_required
def program_list(request, pemda):
    pemda = tenant(request, pemda, "programs.view_program")
    stage = request.GET.get("stage", "")
    stage = stage if stage in StageKey.values else ""
    page = paginate(request, selectors.program_list(actor=request.user, pemda=pemda, stage=stage))
    return render(request, "programs/program_list.html", {"pemda": pemda, "page": page, "stage": stage, "stages": StageKey.choices})


@login_required
def program_create(request, pemda):
    pemda = tenant(request, pemda, "programs.add_program")
    form = ProgramForm(request.POST or None)
    if request.method == "POST":
        done, program = run_form(
            request, form, lambda d: services.program_create(actor=request.user, pemda=pemda, **{k: d[k] for k in PROGRAM_FIELDS})
        )
        if done:
            if program:
                messages.success(request, _("Program %(name)s was created.") % {"name": program.name})
                return redirect("program_detail", pemda.slug, program.pk)
            return redirect("program_list", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("New program"),
        "breadcrumb": {"url": reverse("program_list", args=[pemda.slug]), "label": _("Programs")},
    })


@login_required
def program_detail(request, pemda, pk):
    pemda = tenant(request, pemda, "programs.view_program")
    program = selectors.program_get(actor=request.user, pemda=pemda, pk=pk)
    nxt = next_stage(program.stage)
    current = ORDER.index(program.stage)
    page = paginate(request, selectors.program_participations(program=program), per_page=25)
    stagebar = [{"key": k, "label": get_stage(k).label, "state": "done" if i < current else "current" if i == current else ""}
                for i, k in enumerate(ORDER)]
    return render(request, "programs/program_detail.html", {
        "pemda": pemda, "program": program, "stagebar": stagebar,
        "next_stage": get_stage(nxt) if nxt else None,
        "can_advance": request.user.has_perm("programs.advance_stage", program),
        "can_edit": request.user.has_perm("programs.change_program", program),
        "can_schedule": request.user.has_perm("programs.schedule_event", program),
        "transitions": selectors.program_transitions(program=program),
        "participants": page,
        "participant_rows": selectors.with_coaches(program=program, participations=page),
        "participant_summary": selectors.program_participation_summary(program=program),
        "events": selectors.event_list(actor=request.user, pemda=pemda, program=program)[:EVENTS_ON_PROGRAM_PAGE],
    })


@login_required
def program_edit(request, pemda, pk):
    pemda = tenant(request, pemda)
    program = selectors.program_get(actor=request.user, pemda=pemda, pk=pk)
    require(request.user, "programs.change_program", program)
    form = ProgramForm(request.POST or None, initial={k: getattr(program, k) for k in PROGRAM_FIELDS})
    if request.method == "POST":
        done, _r = run_form(
            request, form, lambda d: services.program_update(actor=request.user, program=program, **{k: d[k] for k in PROGRAM_FIELDS})
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect("program_detail", pemda.slug, program.pk)
    return render(request, "core/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": program.name},
        "breadcrumb": {"url": reverse("program_detail", args=[pemda.slug, program.pk]), "label": program.name},
    })


@login_required
def program_advance(request, pemda, pk):
    """The confirmation page of a stage move: what the current stage leaves incomplete, then an
    explicit tick. A move cannot be undone."""
    pemda = tenant(request, pemda)
    program = selectors.program_get(actor=request.user, pemda=pemda, pk=pk)
    require(request.user, "programs.advance_stage", program)
    nxt = next_stage(program.stage)
    form = AdvanceForm(request.POST or None, initial={"to_stage": nxt})
    if request.method == "POST":
        done, result = run_form(
            request, form,
            lambda d: services.program_advance(actor=request.user, program=program, to_stage=d["to_stage"],
                                               note=d["note"], confirmed=d["confirm"]),
        )
        if done:
            if result:
                messages.success(request, _("The program is now in %(stage)s.") % {"stage": get_stage(program.stage).label})
            return redirect("program_detail", pemda.slug, program.pk)
        if "to_stage" in form.errors or nxt is None:
            # a stale or tampered target stage: nothing to confirm here, back to the program page
            for e in form.errors.get("to_stage", []) or [_("The program is closed; it has no next stage.")]:
                messages.error(request, e)
            return redirect("program_detail", pemda.slug, program.pk)
    elif nxt is None:
        messages.error(request, _("The program is closed; it has no next stage."))
        return redirect("program_detail", pemda.slug, program.pk)
    return render(request, "programs/program_advance.html", {
        "pemda": pemda, "program": program, "form": form,
        "current_stage": get_stage(program.stage), "next_stage": get_stage(nxt),
        "incomplete": selectors.stage_incomplete(program=program),
    })


UNITS_SHOWN_MAX = 500


@login_required
def program_units(request, pemda, pk):
    """Participating units (searchable, by type, "select all shown") and their coaches."""
    from labinov.people.selectors import coach_choices

    pemda = tenant(request, pemda)
    program = selectors.program_get(actor=request.user, pemda=pemda, pk=pk)
    require(request.user, "programs.change_program", program)
    filters = UnitFilterForm(request.GET or None)
    q, kind = (filters.cleaned_data["q"], filters.cleaned_data["kind"]) if filters.is_valid() else ("", "")
    shown = selectors.participant_choices(program=program, q=q, kind=kind)[:UNITS_SHOWN_MAX]
    shown = list(shown)
    chosen = selectors.program_unit_ids(program=program)
    # A program without units starts from its target unit types (nothing is saved until "Save").
    preselected = not chosen and bool(program.target_unit_kinds)
    initial_ids = chosen or {u.pk for u in shown if u.kind in (program.target_unit_kinds or [])}
    posted_units = request.POST.get("form") == "units"
    units_form = ParticipantsForm(
        request.POST if posted_units else None,
        units=selectors.participant_choices(program=program, q=q, kind=kind),
        choices=selectors.participant_choices(program=program),
        initial={"units": [u.pk for u in shown if u.pk in initial_ids], "shown": [u.pk for u in shown]},
        prefix="units",
    )
    coach_form = CoachForm(
        request.POST if request.POST.get("form") == "coach" else None,
        coaches=coach_choices(pemda=pemda), units=program.units.order_by("name"), prefix="coach",
    )
    if request.method == "POST":
        if posted_units:
            select_shown = request.POST.get("action") == "select_shown"
            done, result = run_form(request, units_form, lambda d: services.program_set_units(
                actor=request.user, program=program, units=d["shown"] if select_shown else d["units"], within=d["shown"]))
            if done and result:
                messages.success(request, ngettext("%(added)s unit added, %(removed)s removed.", "%(added)s units added, %(removed)s removed.", result["added"]) % result)
        else:
            done, result = run_form(request, coach_form, lambda d: services.program_assign_coach(actor=request.user, program=program, coach=d["coach"], units=d["units"]))
            if done and result is not None:
                messages.success(request, ngettext("%(n)s assignment added.", "%(n)s assignments added.", result) % {"n": result})
        if done:
            return redirect(request.get_full_path())
    participants = selectors.with_coaches(program=program, participations=selectors.program_participations(program=program))
    checked = {int(v) for v in units_form["units"].value() or [] if str(v).isdigit()}
    return render(request, "programs/program_units.html", {
        "pemda": pemda, "program": program, "coached": [p for p in participants if p["coaches"]],
        "units_form": units_form, "coach_form": coach_form, "filters": filters,
        "shown": [{"unit": u, "checked": u.pk in checked, "target": u.kind in (program.target_unit_kinds or [])} for u in shown],
        "filtered": bool(q or kind), "truncated": len(shown) >= UNITS_SHOWN_MAX,
        "chosen_count": len(chosen), "preselected": preselected,
        "target_kinds": [UnitKind(k).label for k in program.target_unit_kinds or [] if k in UnitKind.values],
    })


@login_required
def event_list(request, pemda):
    pemda = tenant(request, pemda, "programs.view_event")
    kind = request.GET.get("kind", "")
    page = paginate(request, selectors.event_list(actor=request.user, pemda=pemda, kind=kind if kind in ("stage", "training") else ""))
    return render(request, "programs/event_list.html", {"pemda": pemda, "page": page, "kind": kind})


def _require_schedule(user, pemda, program) -> None:
    """A program's event is scheduled while its stage allows it; a training needs only the organiser role."""
    if program is not None:
        require(user, "programs.schedule_event", program)
    else:
        require(user, "programs.schedule_training", pemda)


def _event_form(request, pemda, initial):
    return EventForm(
        request.POST or None, initial=initial,
        programs=selectors.program_list(actor=request.user, pemda=pemda).exclude(stage="closed"),
        units=unit_choices(pemda=pemda),
    )


@login_required
def event_create(request, pemda):
    pemda = tenant(request, pemda, "programs.view_event")
    initial = {"kind": "stage", "mode": "luring"}
    program = None
    if request.GET.get("program"):
        program_id = int_param(request.GET, "program")
        if program_id is None:
            raise Http404
        program = selectors.program_get(actor=request.user, pemda=pemda, pk=program_id)
        initial["program"] = program
        if program.stage in (s for s in StageKey.values if s not in ("planned", "closed")):
            initial["stages"] = [program.stage]
    _require_schedule(request.user, pemda, program)
    form = _event_form(request, pemda, initial)
    if request.method == "POST":
        def action(d):
            _require_schedule(request.user, pemda, d["program"])
            return services.event_create(actor=request.user, pemda=pemda, allow_outside_period=d["allow_outside_period"],
                                         **{k: d[k] for k in EVENT_FIELDS})

        done, event = run_form(request, form, action)
        if done:
            if event:
                messages.success(request, _("Event %(title)s was scheduled.") % {"title": event.title})
                return redirect("event_detail", pemda.slug, event.pk)
            return redirect("event_list", pemda.slug)
    back = ({"url": reverse("program_detail", args=[pemda.slug, program.pk]), "label": program.name} if program
            else {"url": reverse("event_list", args=[pemda.slug]), "label": _("Events")})
    return render(request, "core/form.html", {"form": form, "title": _("Schedule an event"), "breadcrumb": back})


@login_required
def event_detail(request, pemda, pk):
    pemda = tenant(request, pemda, "programs.view_event")
    event = selectors.event_get(actor=request.user, pemda=pemda, pk=pk)
    return render(request, "programs/event_detail.html", {
        "pemda": pemda, "event": event,
        "summary": selectors.event_attendance_summary(event=event),
        "attendance": selectors.event_attendance(event=event)[:500],
        "can_edit": request.user.has_perm("programs.schedule_event", event),
        "can_record": request.user.has_perm("programs.record_attendance", event),
    })


@login_required
def event_edit(request, pemda, pk):
    pemda = tenant(request, pemda)
    event = selectors.event_get(actor=request.user, pemda=pemda, pk=pk)
    require(request.user, "programs.schedule_event", event)
    form = _event_form(request, pemda, {k: getattr(event, k) for k in EVENT_FIELDS})
    if request.method == "POST":
        def action(d):
            _require_schedule(request.user, pemda, d["program"])
            return services.event_update(actor=request.user, event=event, allow_outside_period=d["allow_outside_period"],
                                         **{k: d[k] for k in EVENT_FIELDS})

        done, _r = run_form(request, form, action)
        if done:
            messages.success(request, _("Saved."))
            return redirect("event_detail", pemda.slug, event.pk)
    return render(request, "core/form.html", {
        "form": form, "title": _("Edit %(title)s") % {"title": event.title},
        "breadcrumb": {"url": reverse("event_detail", args=[pemda.slug, event.pk]), "label": event.title},
    })


class AttendanceForm(LabinovForm):
    online_viewers = djforms.IntegerField(label=_("Online viewers"), min_value=0, required=False)


ATTENDANCE_ROWS_MAX = 1000


def _attendance_rows(event):
    people = list(selectors.event_invitees(event=event)[:ATTENDANCE_ROWS_MAX])
    existing = {a.person_id: a for a in selectors.event_attendance(event=event)}
    return people, existing


@login_required
def event_attendance(request, pemda, pk):
    """One row per person invited (the participating units' people and the program's coaches; for a
    training, the pemda's people)."""
    pemda = tenant(request, pemda)
    event = selectors.event_get(actor=request.user, pemda=pemda, pk=pk)
    require(request.user, "programs.record_attendance", event)
    people, existing = _attendance_rows(event)
    form = AttendanceForm(request.POST or None, initial={"online_viewers": event.online_viewers})
    if request.method == "POST":
        by_id = {p.pk: p for p in people}
        entries, bad = [], []
        for key in request.POST.getlist("person"):
            person = by_id.get(int(key)) if key.isdigit() else None
            if person is None:
                bad.append(key)
                continue
            entries.append({"person": person, "present": True, "mode": request.POST.get(f"mode_{key}", "luring")})
        present_ids = {e["person"].pk for e in entries}
        entries += [{"person": by_id[pid], "present": False, "mode": a.mode} for pid, a in existing.items() if pid not in present_ids and pid in by_id]
        if bad:
            form.add_error(None, ValidationError(_("Unknown person in the list; reload the page and try again.")))
        else:
            done, result = run_form(request, form, lambda d: services.attendance_record(
                actor=request.user, event=event, entries=entries, online_viewers=d.get("online_viewers")))
            if done:
                if result:
                    messages.success(request, _("Attendance saved: %(created)s new, %(updated)s changed.") % result)
                return redirect("event_detail", pemda.slug, event.pk)
    rows = [{"person": p, "present": p.pk in existing and existing[p.pk].present,
             "mode": existing[p.pk].mode if p.pk in existing else ("daring" if event.mode == "daring" else "luring")} for p in people]
    return render(request, "programs/event_attendance.html", {
        "pemda": pemda, "event": event, "rows": rows, "form": form,
        "coaches_missing": selectors.event_coaches_without_person(event=event),
    })


@login_required
def event_attendance_sheet(request, pemda, pk):
    """The printable daftar hadir (A4): number, name, NIP, unit, jabatan, mode and a signature column."""
    pemda = tenant(request, pemda)
    event = selectors.event_get(actor=request.user, pemda=pemda, pk=pk)
    require(request.user, "programs.record_attendance", event)
    people, existing = _attendance_rows(event)
    rows = [{"person": p, "mode": existing[p.pk].get_mode_display() if p.pk in existing and existing[p.pk].present else ""}
            for p in people]
    return render(request, "programs/event_attendance_sheet.html", {"pemda": pemda, "event": event, "rows": rows})
