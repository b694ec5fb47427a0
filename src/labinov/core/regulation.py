"""Enumerations fixed by regulation: PP 38/2017 (forms, initiators) and UU 23/2014 (urusan).

Numbers that change by regulation (weights, cut-offs) live in data files, not here; these are
the closed lists the forms offer.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InnovationForm(models.TextChoices):
    """Bentuk inovasi daerah, PP 38/2017 art. 5."""

    GOVERNANCE = "tata_kelola", _("Regional governance innovation (tata kelola pemerintahan daerah)")
    PUBLIC_SERVICE = "pelayanan_publik", _("Public service innovation (pelayanan publik)")
    OTHER = "lainnya", _("Other innovation within the region's affairs (lainnya sesuai urusan)")


class Initiator(models.TextChoices):
    """Inisiator inovasi daerah, PP 38/2017 art. 7."""

    HEAD_OF_REGION = "kepala_daerah", _("Head of region (kepala daerah)")
    DPRD = "dprd", _("Member of the DPRD")
    AGENCY = "perangkat_daerah", _("Regional agency (perangkat daerah)")
    ASN = "asn", _("Civil servant (ASN)")
    PUBLIC = "masyarakat", _("Member of the public (masyarakat)")


class Urusan(models.TextChoices):
    """Urusan pemerintahan, UU 23/2014: wajib pelayanan dasar, wajib non-pelayanan dasar, pilihan, penunjang."""

    # wajib pelayanan dasar
    PENDIDIKAN = "pendidikan", "Pendidikan"
    KESEHATAN = "kesehatan", "Kesehatan"
    PUPR = "pupr", "Pekerjaan umum dan penataan ruang"
    PERUMAHAN = "perumahan", "Perumahan rakyat dan kawasan permukiman"
    TRANTIBUM = "trantibum", "Ketenteraman, ketertiban umum dan pelindungan masyarakat"
    SOSIAL = "sosial", "Sosial"
    # wajib non-pelayanan dasar
    TENAGA_KERJA = "tenaga_kerja", "Tenaga kerja"
    PPPA = "pppa", "Pemberdayaan perempuan dan pelindungan anak"
    PANGAN = "pangan", "Pangan"
    PERTANAHAN = "pertanahan", "Pertanahan"
    LINGKUNGAN_HIDUP = "lingkungan_hidup", "Lingkungan hidup"
    ADMINDUK = "adminduk", "Administrasi kependudukan dan pencatatan sipil"
    PMD = "pmd", "Pemberdayaan masyarakat dan desa"
    KB = "kb", "Pengendalian penduduk dan keluarga berencana"
    PERHUBUNGAN = "perhubungan", "Perhubungan"
    KOMINFO = "kominfo", "Komunikasi dan informatika"
    KUKM = "kukm", "Koperasi, usaha kecil dan menengah"
    PENANAMAN_MODAL = "penanaman_modal", "Penanaman modal"
    KEPEMUDAAN = "kepemudaan", "Kepemudaan dan olahraga"
    STATISTIK = "statistik", "Statistik"
    PERSANDIAN = "persandian", "Persandian"
    KEBUDAYAAN = "kebudayaan", "Kebudayaan"
    PERPUSTAKAAN = "perpustakaan", "Perpustakaan"
    KEARSIPAN = "kearsipan", "Kearsipan"
    # pilihan
    KELAUTAN = "kelautan", "Kelautan dan perikanan"
    PARIWISATA = "pariwisata", "Pariwisata"
    PERTANIAN = "pertanian", "Pertanian"
    KEHUTANAN = "kehutanan", "Kehutanan"
    ESDM = "esdm", "Energi dan sumber daya mineral"
    PERDAGANGAN = "perdagangan", "Perdagangan"
    PERINDUSTRIAN = "perindustrian", "Perindustrian"
    TRANSMIGRASI = "transmigrasi", "Transmigrasi"
    # fungsi penunjang
    PERENCANAAN = "perencanaan", "Perencanaan"
    KEUANGAN = "keuangan", "Keuangan"
    KEPEGAWAIAN = "kepegawaian", "Kepegawaian"
    DIKLAT = "diklat", "Pendidikan dan pelatihan"
    LITBANG = "litbang", "Penelitian dan pengembangan"
    PENUNJANG_LAIN = "penunjang_lain", "Penunjang urusan lainnya"


YANDAS = frozenset({Urusan.PENDIDIKAN, Urusan.KESEHATAN, Urusan.PUPR, Urusan.PERUMAHAN, Urusan.TRANTIBUM, Urusan.SOSIAL})
