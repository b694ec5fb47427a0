"""The export of a program's ideas as XLSX: every idea the actor may see, one row each, every cell through `core.xlsx.safe`."""

from __future__ import annotations

import io

from django.utils import timezone

from labinov.core.xlsx import safe, safe_row

from .models import IdeaStatus
from .transfer_reader import SHEET


EXPORT_COLUMNS = (
    "id", "unit", "kode_unit", "judul", "masalah", "akar_masalah", "gagasan", "penerima_manfaat", "manfaat",
    "bentuk", "digital", "urusan", "inisiator", "pengusul", "replikasi", "replikasi_dari", "yang_dimodifikasi",
    "status", "keputusan", "alasan", "diputuskan_pada", "inovasi", "diajukan_pada", "dibuat_pada",
)




def export_filename(program) -> str:
    return f"ide-{program.pemda.slug}-{program.pk}.xlsx"


def export_workbook(*, actor, program) -> bytes:
    """Every idea of the program the actor may see, one row each (openpyxl write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from .models import DECIDED
    from .selectors import idea_list
    from .visibility import program_published, sees_all_submitted

    show_decisions = sees_all_submitted(actor, program.pemda_id) or program_published(program)
    ideas = idea_list(actor=actor, program=program).select_related("replication_of")
    local = timezone.get_current_timezone()

    def when(value):
        return value.astimezone(local).replace(tzinfo=None) if value else None

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    bold = Font(bold=True)
    header = []
    for name in EXPORT_COLUMNS:
        cell = WriteOnlyCell(ws, value=safe(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    statuses = dict(IdeaStatus.choices)
    for idea in ideas.iterator(chunk_size=1000):
        decided = idea.status in DECIDED
        status = idea.status if (show_decisions or not decided) else IdeaStatus.SUBMITTED
        source = idea.replication_source or (idea.replication_of.name if idea.replication_of_id and idea.replication_of else "")
        row = [
            idea.pk, idea.unit.name, idea.unit.code, idea.title, idea.problem, idea.root_cause, idea.proposed_change,
            idea.beneficiaries, idea.expected_benefit, idea.form, "ya" if idea.is_digital else "tidak",
            ", ".join(idea.urusan or []), idea.initiator, idea.proposers, "ya" if idea.is_replication else "tidak",
            source, idea.replication_changes, status,
            str(statuses[idea.status]) if decided and show_decisions else "",
            idea.decision_reason if show_decisions else "",
            when(idea.decided_at) if show_decisions else None,
            idea.innovation.name if show_decisions and idea.innovation_id and idea.innovation else "",
            when(idea.submitted_at), when(idea.created_at),
        ]
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
