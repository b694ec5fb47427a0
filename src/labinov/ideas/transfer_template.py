"""The empty idea-import workbook of a program: sheet "Ide" with drop-downs, hidden sheet "Daftar", sheet "Petunjuk".

Every value written goes through `core.xlsx.safe` (a unit named like a formula stays text).
"""

from __future__ import annotations

import io

from django.utils import translation

from labinov.core.regulation import Initiator, InnovationForm, Urusan
from labinov.core.xlsx import safe, safe_row, template_sheet

from .transfer_reader import COLUMNS, MAX_ROWS, SHEET
from .transfer_validator import SOURCE_MAX, TITLE_MAX, participating_units

LIST_SHEET = "Daftar"
HELP_SHEET = "Petunjuk"


# The sheets of the template are in Bahasa Indonesia on purpose: they are read by the staff of the
# units who fill in the file, whatever language the website is shown in.
_HELP_COLUMNS = [
    ("unit", "Wajib", "Nama unit (pilih dari daftar) atau kodenya. Hanya unit yang ikut program ini. Singkatan umum "
     "seperti “Kel.”, “Kec.”, “SDN” dibaca sebagai nama lengkapnya."),
    ("judul", "Wajib", f"Judul ide inovasi, paling panjang {TITLE_MAX} karakter."),
    ("masalah", "Wajib", "Masalah yang ingin diselesaikan."),
    ("akar_masalah", "Boleh kosong", "Akar masalah."),
    ("gagasan", "Wajib", "Gagasan perubahan: apa yang akan dilakukan."),
    ("penerima_manfaat", "Boleh kosong", "Siapa yang menerima manfaat."),
    ("manfaat", "Boleh kosong", "Manfaat yang diharapkan."),
    ("bentuk", "Wajib", "Bentuk inovasi daerah (PP 38/2017): pilih dari daftar (lihat tabel di bawah)."),
    ("digital", "Boleh kosong", "Inovasi digital? Isi “ya” atau “tidak” (juga “iya”, “y”, “tdk”, “-”; kosong berarti tidak)."),
    ("urusan", "Boleh kosong", "Urusan pemerintahan (UU 23/2014): satu atau beberapa kode dari tabel di bawah, "
     "dipisahkan koma, misalnya “kesehatan, adminduk”."),
    ("inisiator", "Boleh kosong", "Inisiator (PP 38/2017): pilih dari daftar (kosong berarti perangkat_daerah)."),
    ("pengusul", "Boleh kosong", "Nama pengusul, satu nama per baris (Alt+Enter di Excel)."),
    ("replikasi_dari", "Boleh kosong", f"Jika ide ini meniru (ATM) inovasi yang sudah ada: nama inovasi dan "
     f"pemdanya, paling panjang {SOURCE_MAX} karakter."),
    ("yang_dimodifikasi", "Boleh kosong", "Untuk replikasi (ATM): apa yang diubah. Isi juga replikasi_dari."),
]
_HELP_RULES = [
    "Baris judul kolom lembar “Ide” berisi nama kolom; jangan diubah, dihapus atau ditambah (boleh ada judul di "
    "atasnya dan kolom nomor “No”).",
    "Satu baris untuk satu ide, paling banyak %s baris." % f"{MAX_ROWS:,}".replace(",", "."),
    "Jangan memakai rumus (sel yang diawali “=”); ketik nilainya langsung.",
    "Simpan sebagai “Excel Workbook (.xlsx)”, tanpa makro dan tanpa kata sandi.",
    "Sebelum disimpan, Labinov menampilkan pratinjau dengan setiap kesalahan per baris dan kolom; "
    "jika ada kesalahan, tidak ada yang disimpan sampai berkas diperbaiki.",
    "Ide yang sudah pernah diimpor (unit, judul, masalah dan gagasan yang sama) tidak dibuat lagi, "
    "jadi berkas yang sama boleh diunggah lagi.",
    "Ide yang diimpor langsung berstatus “diajukan” (submitted).",
]


def _column_letter(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMNS.index(name) + 1)


def build_template(*, program) -> bytes:
    """The empty import workbook: sheet “Ide” with drop-downs, hidden sheet “Daftar”, sheet “Petunjuk”."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    units = participating_units(program=program)
    last = MAX_ROWS + 1
    bold = Font(bold=True)
    wb, ws = template_sheet(COLUMNS, SHEET)
    widths = {"unit": 36, "judul": 40, "masalah": 40, "akar_masalah": 30, "gagasan": 40, "penerima_manfaat": 24,
              "manfaat": 30, "bentuk": 18, "digital": 10, "urusan": 24, "inisiator": 18, "pengusul": 24,
              "replikasi_dari": 30, "yang_dimodifikasi": 30}
    for name, width in widths.items():
        ws.column_dimensions[_column_letter(name)].width = width

    lists = wb.create_sheet(LIST_SHEET)
    lists.append(safe_row(["unit", "bentuk", "digital", "inisiator", "kode_unit"]))
    columns = {
        "A": [name for _pk, name, _code in units],
        "B": list(InnovationForm.values),
        "C": ["ya", "tidak"],
        "D": list(Initiator.values),
        "E": [code for _pk, _name, code in units],
    }
    for letter, values in columns.items():
        for i, value in enumerate(values, start=2):
            lists[f"{letter}{i}"] = safe(value)
    lists.sheet_state = "hidden"

    def dropdown(column: str, source: str, count: int, title: str, message: str) -> None:
        end = max(count + 1, 2)
        dv = DataValidation(
            type="list", formula1=f"{LIST_SHEET}!${source}$2:${source}${end}", allow_blank=True,
            showErrorMessage=True, errorTitle=safe(title), error=safe(message),
            showInputMessage=True, promptTitle=safe(column), prompt=safe(message),
        )
        ws.add_data_validation(dv)
        letter = _column_letter(column)
        dv.add(f"{letter}2:{letter}{last}")

    dropdown("unit", "A", len(units), "Unit tidak dikenal", "Pilih unit yang ikut program ini dari daftar.")
    dropdown("bentuk", "B", len(InnovationForm.values), "Bentuk tidak dikenal", "Pilih bentuk inovasi dari daftar.")
    dropdown("digital", "C", 2, "Digital", "Isi ya atau tidak.")
    dropdown("inisiator", "D", len(Initiator.values), "Inisiator tidak dikenal", "Pilih inisiator dari daftar.")
    urusan_hint = DataValidation(  # any value: only the input message, as urusan holds several codes
        allow_blank=True, showInputMessage=True, promptTitle="urusan",
        prompt="Kode urusan dipisahkan koma, misalnya: kesehatan, adminduk (lihat lembar Petunjuk).",
    )
    ws.add_data_validation(urusan_hint)
    urusan_hint.add(f"{_column_letter('urusan')}2:{_column_letter('urusan')}{last}")

    help_ws = wb.create_sheet(HELP_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 50
    help_ws.column_dimensions["C"].width = 80

    def heading(*cells: str) -> None:
        help_ws.append(safe_row(cells))
        for cell in help_ws[help_ws.max_row]:
            cell.font = bold

    help_ws.append(safe_row([f"Petunjuk impor ide inovasi — {program.name} ({program.pemda.name})"]))
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append([])
    for rule in _HELP_RULES:
        help_ws.append(safe_row(["•", rule]))
        help_ws.cell(help_ws.max_row, 2).alignment = wrap
    help_ws.append([])
    heading("Kolom", "Wajib?", "Keterangan")
    for column, required, text in _HELP_COLUMNS:
        help_ws.append(safe_row([column, required, text]))
        help_ws.cell(help_ws.max_row, 3).alignment = wrap
    with translation.override("id"):
        help_ws.append([])
        heading("bentuk", "Nama bentuk")
        for value, label in InnovationForm.choices:
            help_ws.append(safe_row([value, str(label)]))
        help_ws.append([])
        heading("inisiator", "Nama inisiator")
        for value, label in Initiator.choices:
            help_ws.append(safe_row([value, str(label)]))
        help_ws.append([])
        heading("urusan", "Nama urusan (UU 23/2014)")
        for value, label in Urusan.choices:
            help_ws.append(safe_row([value, str(label)]))
        help_ws.append([])
        heading("digital", "Arti")
        help_ws.append(safe_row(["ya", "inovasi digital"]))
        help_ws.append(safe_row(["tidak", "inovasi non-digital"]))
        help_ws.append([])
        heading("unit", "kode unit", f"Unit yang ikut program ini ({len(units)})")
        for _pk, name, code in units:
            help_ws.append(safe_row([name, code or ""]))

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
