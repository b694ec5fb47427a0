from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from labinov.programs.selectors import home_for
from labinov.regions import lookup
from labinov.regions.selectors import enabled_region_codes

from .audit_forms import AuditFilterForm
from .forms import paginate
from .selectors import audit_filter_choices, audit_presented
from .views_helpers import tenant


@login_required
def home(request):
    from labinov.innovations.next_actions import unit_innovations

    return render(request, "core/home.html", {**home_for(actor=request.user), "innovations": unit_innovations(actor=request.user)})


@login_required
def audit(request, pemda):
    pemda = tenant(request, pemda, "core.view_audit")
    form = AuditFilterForm(request.GET, **audit_filter_choices(actor=request.user, pemda=pemda))
    page = None
    if form.is_valid():
        page = paginate(request, audit_presented(actor=request.user, pemda=pemda, **form.filters()))
    return render(request, "core/audit_list.html", {"pemda": pemda, "page": page, "form": form})


@login_required
def region_search(request):
    q = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level", "")
    level = int(level) if level in {"1", "2", "3", "4"} else None
    results = lookup.search(q, level=level, limit=50) if q else []
    error = ""
    if q and not results:
        error = (_("No region has the code %(q)s.") if q.replace(".", "").isdigit() else _("No region matches “%(q)s”.")) % {"q": q}
    enabled = enabled_region_codes(codes=[r.code for r in results])
    rows = [{"region": r, "level_name": lookup.LEVEL_NAMES[r.level], "enabled": r.code in enabled} for r in results]
    return render(request, "core/region_search.html", {"q": q, "level": level, "rows": rows, "error": error})
