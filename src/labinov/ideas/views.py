"""Pages of Diagnose: writing ideas, seeing them, the per-unit sheet and the program funnel.

Every view: the pemda of the URL (`tenant`), the program (`program_get`), the permission
(`require`, rules in ideas/rules.py), then one selector or service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from labinov.core.forms import paginate, run_form
from labinov.core.views_helpers import require, tenant
from labinov.programs.selectors import program_get, program_participations

from . import selectors, services
from .forms import SIMILAR_FIELDS, IdeaFilterForm, IdeaForm, SubmitForm, idea_initial, service_fields
from .models import IdeaStatus
from .visibility import decisions_visible_to

MAX_SIMILAR_TEXT = 4000


def _program(request, pemda: str, program: int, perm: str | None = None):
    pemda = tenant(request, pemda)
    program = program_get(actor=request.user, pemda=pemda, pk=program)
    if perm:
        require(request.user, perm, program)
    return pemda, program


def _base(pemda, program, request, **extra) -> dict:
    return {"pemda": pemda, "program": program, "show_decisions": decisions_visible_to(request.user, program), **extra}


@login_required
@require_GET
def idea_list(request, pemda, program):
    pemda, program = _program(request, pemda, program, "ideas.view_ideas")
    ctx = _base(pemda, program, request)
    units = [p.unit for p in program_participations(program=program)]
    statuses = IdeaStatus.values if ctx["show_decisions"] else [IdeaStatus.DRAFT, IdeaStatus.SUBMITTED]
    filters = IdeaFilterForm(request.GET, units=units, statuses=statuses)
    values = filters.values()
    # the selector hides decisions from units before publication, also when filtering by status
    ideas = selectors.idea_list(actor=request.user, program=program, narrow=True, **values)
    ctx.update(filters=filters, page=paginate(request, ideas), unit_id=values["unit_id"],
               filtered=any(v for v in filters.cleaned_data.values()))
    return render(request, "ideas/idea_list.html", ctx)


def _form(request, program, units, **kwargs):
    similar_url = reverse("idea_similar", args=[program.pemda.slug, program.pk])
    return IdeaForm(request.POST or None, units=units, similar_url=similar_url, **kwargs)


def _submit_requested(request) -> bool:
    return request.POST.get("action") == "submit"


@login_required
def idea_create(request, pemda, program):
    pemda, program = _program(request, pemda, program, "ideas.add_idea")
    units = selectors.unit_choices_for_writer(actor=request.user, program=program)
    form = _form(request, program, units)
    if request.method == "POST":
        submit = _submit_requested(request)
        done, idea = run_form(request, form, lambda d: services.idea_create(
            actor=request.user, program=program, unit=d["unit"], submit=submit, **service_fields(d)))
        if done:
            if idea is None:
                return redirect("idea_list", pemda.slug, program.pk)
            if idea.status == IdeaStatus.SUBMITTED:
                messages.success(request, _("Your idea “%(title)s” was submitted.") % {"title": idea.title})
            else:
                messages.success(request, _("Your idea “%(title)s” was saved as a draft.") % {"title": idea.title})
            return redirect("idea_detail", pemda.slug, program.pk, idea.pk)
    return render(request, "ideas/idea_form.html", _base(
        pemda, program, request, form=form, idea=None, title=_("Write an idea"), can_save_draft=True,
    ))


@login_required
def idea_edit(request, pemda, program, idea):
    pemda, program = _program(request, pemda, program)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea)
    require(request.user, "ideas.change_idea", idea)
    units = selectors.unit_choices_for_writer(actor=request.user, program=program)
    is_draft = idea.status == IdeaStatus.DRAFT
    form = _form(request, program, units, initial=idea_initial(idea))
    if request.method == "POST":
        submit = is_draft and _submit_requested(request)

        def action(d):
            services.idea_update(actor=request.user, idea=idea, unit=d["unit"], **service_fields(d))
            if submit:
                services.idea_submit(actor=request.user, idea=idea)
            return idea

        done, result = run_form(request, form, action)
        if done:
            if result is not None:
                messages.success(request, _("Your idea was submitted.") if submit else _("Saved."))
            return redirect("idea_detail", pemda.slug, program.pk, idea.pk)
    return render(request, "ideas/idea_form.html", _base(
        pemda, program, request, form=form, idea=idea, title=_("Edit the idea"), can_save_draft=is_draft,
    ))


@login_required
@require_GET
def idea_similar(request, pemda, program):
    """The side panel of the idea form (an htmx fragment; the same HTML without htmx)."""
    pemda, program = _program(request, pemda, program, "ideas.view_ideas")
    text = " ".join(request.GET.get(name, "")[:MAX_SIMILAR_TEXT] for name in SIMILAR_FIELDS)
    exclude = request.GET.get("exclude", "")
    result = selectors.similar_panel(actor=request.user, program=program, text=text,
                                     exclude_id=int(exclude) if exclude.isdigit() else None)
    return render(request, "ideas/_similar.html", _base(pemda, program, request, result=result, typed=bool(text.strip())))


@login_required
@require_GET
def idea_detail(request, pemda, program, idea):
    pemda, program = _program(request, pemda, program, "ideas.view_ideas")
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea)
    require(request.user, "ideas.view_idea", idea)
    can_change = request.user.has_perm("ideas.change_idea", idea)
    return render(request, "ideas/idea_detail.html", _base(
        pemda, program, request, idea=idea, can_change=can_change,
        submit_form=SubmitForm() if can_change and idea.status == IdeaStatus.DRAFT else None,
    ))


@login_required
@require_POST
def idea_submit(request, pemda, program, idea):
    pemda, program = _program(request, pemda, program)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea)
    require(request.user, "ideas.change_idea", idea)
    form = SubmitForm(request.POST)
    done, result = run_form(request, form, lambda d: services.idea_submit(actor=request.user, idea=idea))
    if done and result is not None:
        messages.success(request, _("Your idea was submitted."))
    elif not done:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("idea_detail", pemda.slug, program.pk, idea.pk)


@login_required
@require_GET
def idea_unit_sheet(request, pemda, program, unit):
    """A printable sheet of one participating unit's ideas (those the actor may see)."""
    pemda, program = _program(request, pemda, program, "ideas.view_ideas")
    participation = program_participations(program=program).filter(unit_id=unit).first()
    if participation is None:
        raise Http404
    ideas = selectors.idea_list(actor=request.user, program=program, unit_id=participation.unit_id)
    return render(request, "ideas/idea_unit_sheet.html", _base(pemda, program, request, unit=participation.unit, ideas=ideas))


@login_required
@require_GET
def funnel(request, pemda, program):
    pemda, program = _program(request, pemda, program, "ideas.view_funnel")
    ctx = _base(pemda, program, request)
    ctx["funnel"] = selectors.funnel(program=program, show_decisions=ctx["show_decisions"])
    f = ctx["funnel"]
    steps = [(_("Units taking part"), f["units"]), (_("Units with at least one idea"), f["units_with_idea"]),
             (_("Ideas submitted"), f["ideas"])]
    if ctx["show_decisions"]:
        steps += [(_("Selected"), f["selected"]), (_("Merged"), f["merged"]), (_("Rejected"), f["rejected"]),
                  (_("Innovations"), f["innovations"])]
    ctx["bars"] = [{"label": label, "value": value} for label, value in steps]
    ctx["bar_max"] = max([value for _label, value in steps] + [1])
    ctx["per_unit"] = paginate(request, selectors.ideas_per_unit(program=program), per_page=25)
    return render(request, "ideas/funnel.html", ctx)
