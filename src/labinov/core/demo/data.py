"""Demo data from the five seed articles (see docs/demo-data.md for the sources of each fact)."""

YOGYAKARTA_OPD = [
    ("Dinas Perizinan", "dinas"),
    ("Kantor Pengelolaan Taman Pintar", "kantor"),
    ("Bagian Teknologi Informasi dan Telematika Setda", "setda_bagian"),
    ("Bagian Organisasi Setda", "setda_bagian"),
    ("Bagian Hukum Setda", "setda_bagian"),
    ("Bagian Tata Pemerintahan Setda", "setda_bagian"),
    ("Bagian Umum Setda", "setda_bagian"),
    ("Sekretariat DPRD", "setwan"),
    ("Inspektorat", "inspektorat"),
    ("Dinas Pendidikan", "dinas"),
    ("Dinas Kesehatan", "dinas"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("Dinas Pekerjaan Umum, Perumahan dan Kawasan Permukiman", "dinas"),
    ("Dinas Perhubungan", "dinas"),
    ("Dinas Lingkungan Hidup", "dinas"),
    ("Dinas Sosial", "dinas"),
    ("Dinas Pariwisata", "dinas"),
    ("Dinas Kebudayaan", "dinas"),
    ("Dinas Perindustrian, Koperasi dan UKM", "dinas"),
    ("Dinas Pertanian dan Pangan", "dinas"),
    ("Dinas Ketertiban", "dinas"),
    ("Dinas Pemadam Kebakaran", "dinas"),
    ("Badan Perencanaan Pembangunan Daerah", "badan"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("Badan Lingkungan Hidup", "badan"),
    ("Badan Kesatuan Bangsa dan Politik", "badan"),
    ("Kantor Perpustakaan dan Arsip Daerah", "kantor"),
    ("Kantor Pertanahan Daerah", "kantor"),
    ("RSUD Kota Yogyakarta", "rsud"),
    ("Puskesmas Danurejan I", "puskesmas"),
    ("Puskesmas Gondokusuman I", "puskesmas"),
    ("UPT Pengelolaan Air Limbah", "uptd"),
]  # 33 units + 14 kecamatan + 45 kelurahan = 92

# Seed 004: the BKPSDM diklat of 5–6 March 2024 had 26 OPD.
YOGYAKARTA_DIKLAT_OPD = [n for n, k in YOGYAKARTA_OPD if k in ("dinas", "badan", "kantor", "inspektorat", "setwan", "setda_bagian")][:26]

SALATIGA_OPD = [
    ("Bagian Organisasi dan Kepegawaian Setda", "setda_bagian"),
    ("Dinas Pendidikan", "dinas"),
    ("Badan Perencanaan Pembangunan Daerah", "badan"),
]

BANJAR_OPD = [
    ("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "badan"),
    ("Dinas Kesehatan", "dinas"),
    ("Dinas Pendidikan", "dinas"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("Dinas Komunikasi dan Informatika", "dinas"),
    ("Dinas Sosial", "dinas"),
    ("Dinas Pertanian", "dinas"),
    ("Badan Kepegawaian dan Pengembangan SDM", "badan"),
    ("Inspektorat", "inspektorat"),
    ("RSU Ratu Zaleha", "rsud"),
    ("UPT Puskesmas Martapura 1", "puskesmas"),
    ("UPT Puskesmas Martapura 2", "puskesmas"),
    ("UPT Puskesmas Gambut", "puskesmas"),
    ("UPT Puskesmas Astambul", "puskesmas"),
]

CILEGON_OPD = [
    ("Badan Perencanaan Pembangunan dan Penelitian Pengembangan", "badan"),
    ("Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("Dinas Kesehatan", "dinas"),
    ("Dinas Penanaman Modal dan PTSP", "dinas"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("Dinas Komunikasi, Informatika, Sandi dan Statistik", "dinas"),
    ("Dinas Perhubungan", "dinas"),
    ("Dinas Sosial", "dinas"),
    ("Dinas Lingkungan Hidup", "dinas"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("Dinas Perindustrian dan Perdagangan", "dinas"),
    ("Dinas Tenaga Kerja", "dinas"),
    ("Dinas Pariwisata", "dinas"),
    ("Dinas Pemuda dan Olahraga", "dinas"),
    ("Dinas Ketahanan Pangan dan Pertanian", "dinas"),
    ("Badan Kepegawaian dan Pengembangan SDM", "badan"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("Badan Pendapatan Daerah", "badan"),
    ("Badan Penanggulangan Bencana Daerah", "badan"),
    ("Inspektorat", "inspektorat"),
    ("Sekretariat DPRD", "setwan"),
    ("RSUD Kota Cilegon", "rsud"),
]

# (title, unit) from seed 000: the four units that signed the kontrak kerja inovasi, and their ideas.
YOGYAKARTA_SEED_IDEAS = [
    ("Pendaftaran Perizinan Usaha secara Paralel", "Dinas Perizinan"),
    ("Layanan Tiket Online", "Kantor Pengelolaan Taman Pintar"),
    ("Integrasi Sistem Informasi E-Government", "Bagian Teknologi Informasi dan Telematika Setda"),
    ("Pemantauan Bahaya Banjir Lahar Dingin Merapi", "Bagian Teknologi Informasi dan Telematika Setda"),
    ("One Stop Kelahiran (Keluar Bersama)", "Kecamatan Danurejan"),
    ("Palayang Masyarakat", "Kelurahan Giwangan"),
    ("Swara Warga", "Kelurahan Giwangan"),
]

FIRST_NAMES = [
    "Agus", "Budi", "Sri", "Dewi", "Eko", "Fitri", "Hendra", "Indah", "Joko", "Kartika", "Lestari", "Mulyadi",
    "Nur", "Putri", "Rahmat", "Siti", "Teguh", "Utami", "Wahyu", "Yanti", "Bambang", "Endang", "Heru", "Retno",
    "Suharto", "Wulan", "Yusuf", "Ani", "Dedi", "Rina",
]
LAST_NAMES = [
    "Santoso", "Wibowo", "Rahayu", "Lestari", "Saputra", "Hidayat", "Kurniawan", "Setiawan", "Nugroho", "Pratama",
    "Susanti", "Handayani", "Prasetyo", "Hartono", "Purnomo", "Wijaya", "Maharani", "Firmansyah", "Utomo", "Siregar",
]
