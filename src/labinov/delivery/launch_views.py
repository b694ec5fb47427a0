"""The launching (under /pemda/<pemda>/programs/<program>/launches/): the list, recording one, and the
printable launch list.

Every view: the pemda of the URL (`tenant`), the program (`program_get`), the permission
(`require`, rules in delivery/rules.py), then one selector or service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from labinov.core.forms import run_form
from labinov.core.views_helpers import program_page as _program

from . import launching
from .forms import LaunchForm

VIEW, RECORD = "delivery.view_launches", "delivery.record_launch"


@login_required
@require_GET
def launch_list(request, pemda, program):
    pemda, program = _program(request, pemda, program, VIEW)
    return render(request, "delivery/launch_list.html", {
        "pemda": pemda, "program": program, "launches": launching.launch_list(program=program)[:100],
        "can_record": request.user.has_perm(RECORD, program),
    })


@login_required
def launch_create(request, pemda, program):
    pemda, program = _program(request, pemda, program, RECORD)
    candidates = list(launching.launchable(program=program))
    form = LaunchForm(request.POST if request.method == "POST" else None, innovations=candidates,
                      initial={"innovations": [str(i.pk) for i in candidates], "announce": True,
                               "launched_by": f"{pemda.head_full_title}, {pemda.head_name}".strip(", ")})
    if request.method == "POST":
        done, launch = run_form(request, form, lambda d: launching.launch_record(
            actor=request.user, program=program, held_on=d["held_on"], place=d["place"], launched_by=d["launched_by"],
            innovation_ids=d["innovations"], note=d["note"], decree_type=d["decree_type"], decree_number=d["decree_number"],
            decree_date=d["decree_date"], announce=d["announce"]))
        if done:
            if launch is not None:
                n = len(form.cleaned_data["innovations"])
                messages.success(request, ngettext("%(n)s innovation launched.", "%(n)s innovations launched.", n) % {"n": n})
                return redirect("launch_detail", pemda.slug, program.pk, launch.pk)
            return redirect("launch_list", pemda.slug, program.pk)
    return render(request, "delivery/launch_form.html", {"pemda": pemda, "program": program, "form": form, "count": len(candidates)})


@login_required
@require_GET
def launch_detail(request, pemda, program, launch):
    """The printable launch list."""
    pemda, program = _program(request, pemda, program, VIEW)
    launch = launching.launch_get(program=program, pk=launch)
    return render(request, "delivery/launch_detail.html", {
        "pemda": pemda, "program": program, "launch": launch, "items": launching.launch_items(launch=launch),
    })
