from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from labinov.core.forms import paginate, run_form
from labinov.core.views_helpers import require, tenant

from . import selectors, services
from .forms import PemdaEnableForm, PemdaForm, UnitForm
from .models import UnitKind


@login_required
def pemda_list(request):
    pemdas = selectors.pemda_list(actor=request.user)
    return render(request, "regions/pemda_list.html", {"page": paginate(request, pemdas)})


@login_required
def pemda_enable(request):
    require(request.user, "regions.enable_pemda")
    form = PemdaEnableForm(request.POST or None, initial={"region_code": request.GET.get("region_code", "")})
    if request.method == "POST":
        def action(data):
            fields = {k: data[k] for k in ("head_name", "coordinating_unit") if data.get(k)}
            if data.get("head_title"):
                fields["head_title"] = data["head_title"]
            return services.pemda_enable(actor=request.user, region_code=data["region_code"], **fields)

        done, pemda = run_form(request, form, action)
        if done:
            if pemda:
                messages.success(request, _("%(name)s is now a pemda in Labinov.") % {"name": pemda.name})
                return redirect("pemda_detail", pemda.slug)
            return redirect("pemda_list")
    return render(request, "core/form.html", {"form": form, "title": _("Enable a pemda"), "submit_label": _("Enable")})


@login_required
def pemda_detail(request, pemda):
    pemda = tenant(request, pemda, "regions.view_pemda")
    from labinov.programs.selectors import program_list

    stats = selectors.pemda_stats(pemda=pemda)
    programs = program_list(actor=request.user, pemda=pemda)[:20]
    return render(request, "regions/pemda_detail.html", {"pemda": pemda, "stats": stats, "programs": programs})


@login_required
def pemda_edit(request, pemda):
    pemda = tenant(request, pemda, "regions.change_pemda")
    names = ["name", "head_title", "head_acting", "head_name", "head_nip", "sekda_name", "sekda_nip", "coordinating_unit",
             "address", "phone", "email", "website"]
    from .models import head_title_key

    initial = {n: getattr(pemda, n) for n in names}
    initial["head_title"] = head_title_key(pemda.head_title) or pemda.head_title
    form = PemdaForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        done, _r = run_form(
            request, form,
            lambda d: services.pemda_update(actor=request.user, pemda=pemda, logo=d.get("logo"), **{n: d[n] for n in names}),
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect("pemda_detail", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": pemda.name},
        "breadcrumb": {"url": reverse("pemda_detail", args=[pemda.slug]), "label": pemda.name},
    })


@login_required
def pemda_logo(request, pemda):
    from django.http import Http404

    from labinov.core.files import file_response

    pemda = tenant(request, pemda, "regions.view_pemda")
    if not pemda.logo:
        raise Http404
    from labinov.core.files import read_head, sniff

    handle = pemda.logo.open("rb")
    kind = sniff(read_head(handle))
    if kind not in ("png", "jpeg"):
        raise Http404
    response = file_response(handle, content_type=f"image/{kind}", filename=f"logo.{'png' if kind == 'png' else 'jpg'}", inline=True)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def unit_list(request, pemda):
    pemda = tenant(request, pemda, "regions.view_units")
    q, kind = request.GET.get("q", "").strip()[:100], request.GET.get("kind", "")
    page = paginate(request, selectors.unit_list(actor=request.user, pemda=pemda, q=q, kind=kind))
    return render(request, "regions/unit_list.html", {"pemda": pemda, "page": page, "q": q, "kind": kind, "kinds": UnitKind.choices})


def _unit_fields(d):
    return {k: d[k] for k in ("name", "kind", "parent", "ownership", "code", "region_code", "is_active")}


@login_required
def unit_create(request, pemda):
    pemda = tenant(request, pemda, "regions.manage_units")
    form = UnitForm(request.POST or None, units=selectors.unit_choices(pemda=pemda), initial={"is_active": True})
    if request.method == "POST":
        done, unit = run_form(request, form, lambda d: services.unit_create(actor=request.user, pemda=pemda, **_unit_fields(d)))
        if done:
            if unit:
                messages.success(request, _("Unit %(name)s was added.") % {"name": unit.name})
            return redirect("unit_list", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("Add a unit"),
        "breadcrumb": {"url": reverse("unit_list", args=[pemda.slug]), "label": _("Units")},
    })


@login_required
def unit_edit(request, pemda, pk):
    pemda = tenant(request, pemda, "regions.manage_units")
    unit = selectors.unit_get(actor=request.user, pemda=pemda, pk=pk)
    initial = {k: getattr(unit, k) for k in ("name", "kind", "parent", "ownership", "code", "region_code", "is_active")}
    form = UnitForm(request.POST or None, units=selectors.unit_choices(pemda=pemda).exclude(pk=unit.pk), initial=initial)
    if request.method == "POST":
        done, _r = run_form(request, form, lambda d: services.unit_update(actor=request.user, unit=unit, **_unit_fields(d)))
        if done:
            messages.success(request, _("Saved."))
            return redirect("unit_list", pemda.slug)
    return render(request, "core/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": unit.name},
        "breadcrumb": {"url": reverse("unit_list", args=[pemda.slug]), "label": _("Units")},
    })


@login_required
@require_POST
def unit_generate(request, pemda):
    pemda = tenant(request, pemda, "regions.manage_units")
    result = services.units_generate_from_regions(actor=request.user, pemda=pemda)
    messages.success(
        request,
        _("Created %(kecamatan)s kecamatan, %(kelurahan)s kelurahan and %(desa)s desa; "
          "%(linked)s existing units were linked to their region and %(skipped)s already existed.") % result,
    )
    return redirect("unit_list", pemda.slug)
