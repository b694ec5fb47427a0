"""Idea texts for Kabupaten Banjar's Laboratorium Inovasi 2017 (seed 003: 268 ideas, 104 innovations).

The seed gives only the numbers and the kinds of units (SKPD, kecamatan, kelurahan, RSU Ratu Zaleha,
UPT Puskesmas), so every text is invented. An idea is composed from a *service* of the unit's field
(what it improves, with its urusan and beneficiaries) and a *way of changing it* (online, jemput bola,
one door, reminders, data, kader, complaints, service standards, partnerships, transparency,
monitoring, outreach), each with several wordings of the title, problem, root cause, proposed change
and expected benefit. A (service, way) pair is used once in the program, so no two ideas share a
title or a sentence, except the two wordings of one idea that a unit wrote twice (those are merged).
"""

from __future__ import annotations

import random

# Places for the problems: remote kecamatan of Kabupaten Banjar (region list), the seat is Martapura.
REMOTE = ["Aranio", "Paramasan", "Sungai Pinang", "Pengaron", "Aluh-Aluh", "Telaga Bauntung", "Sambung Makmur",
          "Tatah Makmur", "Beruntung Baru", "Cintapuri Darussalam"]

# field -> (who is served, [(service as in a sentence, urusan, beneficiaries)])
FIELDS: dict[str, tuple[str, list[tuple[str, list[str], str]]]] = {
    "kesehatan": ("warga", [
        ("pemeriksaan ibu hamil", ["kesehatan"], "Ibu hamil dan keluarganya"),
        ("imunisasi dasar balita", ["kesehatan"], "Balita dan orang tuanya"),
        ("pemantauan gizi balita", ["kesehatan", "pangan"], "Balita berisiko stunting"),
        ("pengobatan penderita TB", ["kesehatan"], "Penderita TB dan keluarganya"),
        ("skrining hipertensi dan diabetes", ["kesehatan"], "Warga usia produktif dan lansia"),
        ("pelayanan kesehatan lansia", ["kesehatan"], "Lansia"),
        ("kesehatan reproduksi remaja", ["kesehatan", "pppa"], "Remaja dan pelajar"),
        ("pengendalian demam berdarah", ["kesehatan", "lingkungan_hidup"], "Warga di daerah endemis DBD"),
        ("izin praktik tenaga kesehatan", ["kesehatan"], "Dokter, bidan dan perawat"),
        ("rujukan pasien gawat darurat", ["kesehatan"], "Pasien gawat darurat dari puskesmas"),
    ]),
    "rumah_sakit": ("pasien", [
        ("pendaftaran pasien rawat jalan", ["kesehatan"], "Pasien rawat jalan"),
        ("informasi kamar rawat inap", ["kesehatan"], "Pasien dan keluarga pasien"),
        ("pengambilan obat di apotek rumah sakit", ["kesehatan"], "Pasien rawat jalan"),
        ("rujukan balik pasien BPJS", ["kesehatan"], "Peserta BPJS Kesehatan"),
        ("hasil pemeriksaan laboratorium", ["kesehatan"], "Pasien dan dokter perujuk"),
        ("pelayanan gawat darurat", ["kesehatan"], "Pasien gawat darurat"),
        ("pelayanan cuci darah", ["kesehatan"], "Pasien gagal ginjal"),
        ("persediaan darah transfusi", ["kesehatan"], "Pasien yang memerlukan transfusi"),
        ("rekam medis pasien", ["kesehatan"], "Pasien dan tenaga medis"),
    ]),
    "puskesmas": ("warga", [
        ("persalinan di fasilitas kesehatan", ["kesehatan"], "Ibu bersalin"),
        ("pelayanan gigi anak sekolah", ["kesehatan", "pendidikan"], "Murid SD dan MI"),
        ("obat penyakit kronis", ["kesehatan"], "Penderita penyakit kronis"),
        ("kunjungan rumah pasien TB", ["kesehatan"], "Penderita TB"),
        ("posyandu lansia", ["kesehatan"], "Lansia"),
        ("kesehatan jiwa masyarakat", ["kesehatan", "sosial"], "Orang dengan gangguan jiwa dan keluarganya"),
        ("sanitasi rumah warga", ["kesehatan", "perumahan"], "Keluarga tanpa jamban sehat"),
        ("pendaftaran pasien puskesmas", ["kesehatan"], "Pasien puskesmas"),
        ("kelas ibu balita", ["kesehatan"], "Ibu yang memiliki balita"),
    ]),
    "pendidikan": ("orang tua murid", [
        ("penerimaan peserta didik baru", ["pendidikan"], "Calon murid dan orang tuanya"),
        ("beasiswa siswa kurang mampu", ["pendidikan", "sosial"], "Siswa dari keluarga kurang mampu"),
        ("data pokok pendidikan", ["pendidikan"], "Sekolah dan guru"),
        ("tunjangan profesi guru", ["pendidikan"], "Guru bersertifikat"),
        ("pendidikan kesetaraan paket", ["pendidikan"], "Warga putus sekolah"),
        ("anak putus sekolah", ["pendidikan"], "Anak usia sekolah yang putus sekolah"),
        ("pendidikan anak usia dini", ["pendidikan"], "Anak usia dini"),
        ("legalisasi ijazah", ["pendidikan"], "Lulusan sekolah"),
    ]),
    "perizinan": ("pelaku usaha", [
        ("izin usaha mikro", ["penanaman_modal", "kukm"], "Pelaku usaha mikro"),
        ("izin mendirikan bangunan", ["penanaman_modal", "pupr"], "Warga dan pengembang"),
        ("izin usaha perdagangan", ["penanaman_modal", "perdagangan"], "Pedagang"),
        ("izin praktik bidan", ["penanaman_modal", "kesehatan"], "Bidan praktik mandiri"),
        ("tanda daftar usaha pariwisata", ["penanaman_modal", "pariwisata"], "Pengelola usaha wisata"),
        ("informasi peluang investasi", ["penanaman_modal"], "Calon investor"),
        ("izin reklame", ["penanaman_modal"], "Pemasang reklame"),
        ("izin usaha pendulangan intan rakyat", ["penanaman_modal", "esdm"], "Pendulang intan di Cempaka dan Pengaron"),
    ]),
    "adminduk": ("warga", [
        ("akta kelahiran", ["adminduk"], "Bayi dan orang tuanya"),
        ("KTP elektronik", ["adminduk"], "Warga wajib KTP"),
        ("kartu identitas anak", ["adminduk"], "Anak di bawah 17 tahun"),
        ("kartu keluarga", ["adminduk"], "Kepala keluarga"),
        ("akta kematian", ["adminduk"], "Ahli waris"),
        ("surat pindah datang", ["adminduk"], "Warga yang pindah domisili"),
        ("perbaikan data kependudukan", ["adminduk"], "Warga yang datanya keliru"),
        ("akta perkawinan", ["adminduk"], "Pasangan suami istri"),
    ]),
    "kominfo": ("warga", [
        ("informasi publik", ["kominfo"], "Masyarakat dan media"),
        ("website desa", ["kominfo", "pmd"], "Pemerintah desa dan warganya"),
        ("jaringan internet kantor kecamatan", ["kominfo"], "Kantor kecamatan dan desa"),
        ("siaran pers pemerintah daerah", ["kominfo"], "Media dan masyarakat"),
        ("data statistik sektoral", ["statistik"], "Perangkat daerah dan peneliti"),
        ("pengamanan surat elektronik dinas", ["persandian"], "Pejabat dan pegawai"),
        ("aduan masyarakat", ["kominfo"], "Masyarakat"),
        ("siaran radio daerah", ["kominfo"], "Pendengar di desa"),
        ("aplikasi pemerintahan desa", ["kominfo", "pmd"], "Perangkat desa"),
    ]),
    "sosial": ("warga", [
        ("bantuan sosial pangan", ["sosial", "pangan"], "Keluarga penerima bantuan"),
        ("data keluarga miskin", ["sosial"], "Keluarga miskin"),
        ("kartu BPJS Kesehatan bagi warga miskin", ["sosial", "kesehatan"], "Warga miskin"),
        ("layanan penyandang disabilitas", ["sosial"], "Penyandang disabilitas"),
        ("rehabilitasi lansia terlantar", ["sosial"], "Lansia terlantar"),
        ("santunan kematian", ["sosial"], "Keluarga yang berduka"),
        ("bantuan korban bencana banjir", ["sosial", "trantibum"], "Korban banjir"),
        ("rumah tidak layak huni", ["sosial", "perumahan"], "Keluarga miskin"),
    ]),
    "pertanian": ("petani", [
        ("penyuluhan budidaya padi", ["pertanian"], "Petani padi"),
        ("pupuk bersubsidi", ["pertanian"], "Kelompok tani"),
        ("pengendalian hama wereng", ["pertanian"], "Petani padi"),
        ("benih padi unggul", ["pertanian"], "Petani sawah pasang surut"),
        ("alat dan mesin pertanian", ["pertanian"], "Kelompok tani"),
        ("informasi harga gabah", ["pertanian", "perdagangan"], "Petani dan penggilingan padi"),
        ("kesehatan hewan ternak", ["pertanian"], "Peternak"),
        ("kebun jeruk rakyat", ["pertanian"], "Petani jeruk"),
    ]),
    "perencanaan": ("perangkat daerah", [
        ("musyawarah perencanaan pembangunan", ["perencanaan"], "Desa, kecamatan dan perangkat daerah"),
        ("usulan pembangunan desa", ["perencanaan", "pmd"], "Pemerintah desa"),
        ("data perencanaan pembangunan", ["perencanaan"], "Perangkat daerah"),
        ("penelitian dan kajian daerah", ["litbang"], "Pimpinan daerah dan perangkat daerah"),
        ("monitoring kegiatan pembangunan", ["perencanaan"], "Pimpinan daerah"),
        ("evaluasi kinerja perangkat daerah", ["perencanaan"], "Perangkat daerah"),
        ("road map inovasi daerah", ["litbang"], "Perangkat daerah dan Tim Road Map Inovasi"),
        ("pokok pikiran DPRD", ["perencanaan"], "Anggota DPRD dan perangkat daerah"),
        ("rencana kerja pemerintah daerah", ["perencanaan"], "Perangkat daerah"),
    ]),
    "kepegawaian": ("pegawai", [
        ("kenaikan pangkat", ["kepegawaian"], "ASN"),
        ("cuti pegawai", ["kepegawaian"], "ASN"),
        ("pensiun pegawai", ["kepegawaian"], "ASN yang akan pensiun"),
        ("kehadiran pegawai", ["kepegawaian"], "ASN dan pimpinan unit"),
        ("pengembangan kompetensi ASN", ["diklat"], "ASN"),
        ("kenaikan gaji berkala", ["kepegawaian"], "ASN"),
        ("berkas kepegawaian", ["kepegawaian"], "ASN"),
        ("penilaian kinerja pegawai", ["kepegawaian"], "ASN dan atasannya"),
    ]),
    "pengawasan": ("perangkat daerah", [
        ("tindak lanjut temuan pemeriksaan", ["penunjang_lain"], "Perangkat daerah yang diperiksa"),
        ("laporan gratifikasi", ["penunjang_lain"], "Pejabat dan pegawai"),
        ("reviu laporan keuangan", ["keuangan"], "Perangkat daerah"),
        ("pengawasan dana desa", ["pmd", "keuangan"], "Pemerintah desa"),
        ("pengaduan atas perilaku aparatur", ["penunjang_lain"], "Masyarakat"),
        ("laporan harta kekayaan pejabat", ["penunjang_lain"], "Pejabat wajib lapor"),
        ("pengendalian intern pemerintah", ["penunjang_lain"], "Perangkat daerah"),
        ("audit kinerja perangkat daerah", ["penunjang_lain"], "Perangkat daerah"),
        ("pembinaan pengelolaan keuangan desa", ["pmd", "keuangan"], "Perangkat desa"),
    ]),
    "kecamatan": ("warga", [
        ("rekomendasi izin keramaian", ["trantibum"], "Warga yang menggelar hajatan"),
        ("surat keterangan tidak mampu", ["sosial"], "Warga kurang mampu"),
        ("pembinaan administrasi desa", ["pmd"], "Perangkat desa"),
        ("penyaluran dana desa", ["pmd", "keuangan"], "Pemerintah desa"),
        ("pelayanan administrasi terpadu kecamatan", ["adminduk"], "Warga kecamatan"),
        ("penanganan banjir musiman", ["trantibum"], "Warga di bantaran sungai"),
        ("kebersihan pasar kecamatan", ["lingkungan_hidup"], "Pedagang dan pembeli"),
        ("penertiban pedagang kaki lima", ["trantibum"], "Pedagang dan pengguna jalan"),
        ("pemberdayaan perempuan desa", ["pppa"], "Kelompok PKK dan perempuan desa"),
        ("pajak bumi dan bangunan desa", ["keuangan"], "Wajib pajak desa"),
        ("pendataan rumah tidak layak huni", ["perumahan"], "Keluarga miskin"),
        ("legalisasi dokumen warga", ["adminduk"], "Warga kecamatan"),
        ("penanggulangan kebakaran lahan", ["trantibum", "lingkungan_hidup"], "Warga di sekitar lahan gambut"),
        ("pembinaan majelis taklim", ["sosial"], "Majelis taklim"),
        ("kartu nikah dan rekomendasi nikah", ["adminduk"], "Calon pengantin"),
    ]),
    "kelurahan": ("warga", [
        ("surat pengantar", ["adminduk"], "Warga kelurahan"),
        ("surat keterangan domisili", ["adminduk"], "Warga dan pelaku usaha"),
        ("pengelolaan sampah rumah tangga", ["lingkungan_hidup"], "Warga kelurahan"),
        ("posyandu balita", ["kesehatan"], "Balita dan ibunya"),
        ("data warga miskin", ["sosial"], "Warga miskin"),
        ("pajak bumi dan bangunan", ["keuangan"], "Wajib pajak"),
        ("keamanan lingkungan", ["trantibum"], "Warga kelurahan"),
        ("usaha mikro warga", ["kukm"], "Pelaku usaha mikro"),
        ("saluran drainase", ["pupr"], "Warga di daerah genangan"),
        ("taman bacaan anak", ["perpustakaan"], "Anak-anak"),
        ("pendataan warga pendatang", ["adminduk", "trantibum"], "Ketua RT dan warga"),
        ("jamban sehat", ["kesehatan", "perumahan"], "Keluarga tanpa jamban"),
    ]),
}

# unit (name or kind) -> fields it works in
UNIT_FIELDS = {
    "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah": ["perencanaan"],
    "Dinas Kesehatan": ["kesehatan"],
    "Dinas Pendidikan": ["pendidikan"],
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": ["perizinan"],
    "Dinas Kependudukan dan Pencatatan Sipil": ["adminduk"],
    "Dinas Komunikasi dan Informatika": ["kominfo"],
    "Dinas Sosial": ["sosial"],
    "Dinas Pertanian": ["pertanian"],
    "Badan Kepegawaian dan Pengembangan SDM": ["kepegawaian"],
    "Inspektorat": ["pengawasan"],
    "rsud": ["rumah_sakit"],
    "puskesmas": ["puskesmas", "kesehatan"],
    "kecamatan": ["kecamatan", "adminduk"],
    "kelurahan": ["kelurahan"],
}
INTERNAL = {"perencanaan", "kepegawaian", "pengawasan"}  # fields that serve the administration itself

# The ways of changing a service. Placeholders: {S} the service in title case, {s} inside a sentence,
# {Sc} starting one; {who}/{Who} who is served, {place} a remote place, {office} the unit's office,
# {unit}/{Unit} the unit.
WAYS = [
    dict(key="daring", digital=True, form="pelayanan_publik", internal=True,
         titles=["{S} Online", "Pendaftaran {S} secara Daring", "Aplikasi {S} dalam Genggaman"],
         problems=["Untuk mengurus {s}, {who} dari {place} menempuh perjalanan jauh ke {office} lalu antre setengah hari.",
                   "Berkas {s} masih diterima di loket dalam bentuk kertas, sehingga permohonan menumpuk dan lambat diperiksa.",
                   "{Who} harus datang sendiri ke {office} untuk {s} dan sering pulang tanpa hasil karena berkasnya kurang."],
         causes=["Belum ada saluran permohonan {s} selain loket.", "Persyaratan {s} belum diumumkan dan berkasnya diperiksa secara manual."],
         changes=["Permohonan {s} diajukan lewat aplikasi di ponsel; petugas memeriksa berkas secara daring dan memberi tahu kekurangannya hari itu juga.",
                  "Formulir dan unggah berkas {s} dibuka di laman {unit}, sehingga {who} cukup datang sekali untuk mengambil hasilnya.",
                  "Layanan {s} berbasis web dengan nomor pelacakan, sehingga pemohon tahu sampai di mana berkasnya diproses."],
         benefits=["Pemohon {s} tidak perlu bolak-balik dan waktu layanannya lebih pendek.", "Biaya perjalanan untuk {s} berkurang dan antrean di loket menyusut."]),
    dict(key="jemput_bola", digital=False, form="pelayanan_publik", internal=False,
         titles=["{S} Keliling", "Jemput Bola {S} ke Desa", "{S} Sampai ke Rumah"],
         problems=["{Who} yang tinggal jauh, misalnya di {place}, jarang mendapat {s} karena jarak ke {office} jauh dan ongkos klotok mahal.",
                   "Cakupan {s} di {place} jauh di bawah rata-rata kabupaten.",
                   "Banyak {who} lanjut usia dan sakit tidak sanggup datang ke {office} untuk {s}."],
         causes=["{Sc} hanya tersedia di kantor pada jam kerja.", "Tidak ada jadwal kunjungan petugas {s} ke desa."],
         changes=["Petugas {unit} datang ke desa dengan mobil layanan pada jadwal yang diumumkan di masjid dan langgar untuk {s}.",
                  "Tim kecil {unit} berkeliling dari desa ke desa setiap bulan dan melayani {s} di balai desa.",
                  "{Sc} diberikan di rumah {who} yang tidak dapat bepergian, atas laporan ketua RT atau kader desa."],
         benefits=["{Who} di pedalaman mendapat {s} tanpa ongkos perjalanan.", "Cakupan {s} di desa terpencil naik."]),
    dict(key="satu_pintu", digital=False, form="pelayanan_publik", internal=True,
         titles=["Layanan Terpadu {S}", "{S} Satu Pintu", "Pojok Layanan {S}"],
         problems=["{Who} harus mendatangi tiga meja dan dua kantor yang berbeda untuk menyelesaikan {s}.",
                   "Alur {s} berbelit: tanda tangan dan paraf dikumpulkan dari beberapa pejabat secara berurutan.",
                   "Informasi tentang {s} berbeda-beda antara satu petugas dan petugas lain."],
         causes=["Kewenangan atas {s} tersebar di beberapa bidang tanpa koordinasi.", "Tidak ada SOP yang menyatukan alur {s}."],
         changes=["Satu loket di {office} menerima, memproses dan menyerahkan {s}, dengan petugas yang berwenang di satu ruangan.",
                  "Alur {s} disederhanakan menjadi satu meja penerimaan dan satu meja penyerahan, dengan paraf berjenjang dihapus.",
                  "Pojok layanan {s} di {office} dengan petugas tetap dan daftar persyaratan yang sama untuk semua pemohon."],
         benefits=["{Sc} selesai dalam satu kali datang.", "Waktu penyelesaian {s} dan jumlah meja yang dilewati berkurang."]),
    dict(key="pengingat", digital=True, form="pelayanan_publik", internal=True,
         titles=["Pengingat {S} lewat WhatsApp", "SMS Pengingat {S}", "Notifikasi Jadwal {S}"],
         problems=["Banyak {who} lupa jadwal {s} sehingga terlambat dan harus mengulang dari awal.",
                   "Jadwal {s} hanya ditempel di papan pengumuman {office} dan jarang dibaca.",
                   "Petugas menelepon satu per satu untuk mengingatkan {s}, sehingga banyak yang terlewat."],
         causes=["Tidak ada catatan jadwal {s} per orang.", "Pemberitahuan tentang {s} masih dari mulut ke mulut."],
         changes=["Pesan pengingat {s} dikirim otomatis lewat WhatsApp tiga hari dan satu hari sebelum jadwal.",
                  "Daftar sasaran {s} disimpan di lembar kerja bersama; SMS pengingat terkirim sesuai tanggal jatuh tempo.",
                  "Grup WhatsApp per desa dikelola petugas {unit} untuk mengumumkan jadwal {s} dan menjawab pertanyaan."],
         benefits=["Lebih sedikit jadwal {s} yang terlewat.", "Kepatuhan terhadap jadwal {s} meningkat."]),
    dict(key="basis_data", digital=True, form="tata_kelola", internal=True,
         titles=["Basis Data {S} Terpadu", "Satu Data {S}", "Dashboard {S}"],
         problems=["Data {s} tersebar di buku register dan lembar kerja yang berbeda-beda, sehingga angka antarbidang tidak sama.",
                   "Pimpinan baru mengetahui capaian {s} saat laporan akhir tahun disusun.",
                   "Data {s} dari desa dikirim lewat kertas dan sering terlambat hingga berbulan-bulan."],
         causes=["Belum ada format data {s} yang baku.", "Pencatatan {s} dilakukan manual di tiap unit."],
         changes=["Satu basis data {s} dengan format baku diisi langsung oleh petugas di lapangan dan dapat dilihat pimpinan.",
                  "Dashboard {s} menampilkan capaian per kecamatan setiap bulan untuk rapat pimpinan {unit}.",
                  "Data {s} dari desa dikirim lewat formulir daring dan dipadankan dengan NIK setiap bulan."],
         benefits=["Keputusan pimpinan tentang {s} didasarkan pada data yang mutakhir.", "Data {s} tidak lagi berbeda antarbidang."]),
    dict(key="kader", digital=False, form="lainnya", internal=False, not_for={"kominfo", "perizinan", "rumah_sakit"},
         titles=["Kader {S} Desa", "Gerakan Peduli {S}", "Relawan {S} Bersama Tokoh Agama"],
         problems=["Kesadaran {who} tentang {s} masih rendah, terutama di {place}.",
                   "Petugas {unit} terlalu sedikit untuk menjangkau semua desa dalam urusan {s}.",
                   "Ajakan pemerintah tentang {s} kurang didengar; warga lebih percaya tuan guru dan tokoh masyarakat."],
         causes=["Sosialisasi {s} hanya lewat surat edaran.", "Urusan {s} belum melibatkan tokoh agama dan tokoh masyarakat."],
         changes=["Setiap desa memiliki kader {s} yang dilatih {unit} dan mendampingi warga dari rumah ke rumah.",
                  "Tuan guru dan pengurus majelis taklim menyampaikan pesan tentang {s} dalam pengajian rutin.",
                  "Relawan karang taruna dan PKK membantu petugas mendata dan mengantar warga untuk {s}."],
         benefits=["Jangkauan {s} bertambah tanpa menambah pegawai.", "Kesadaran tentang {s} meningkat karena disampaikan oleh orang yang dipercaya."]),
    dict(key="aduan", digital=True, form="pelayanan_publik", internal=True,
         titles=["Kanal Aduan {S}", "Lapor {S}", "Hotline {S}"],
         problems=["Keluhan tentang {s} disampaikan lisan kepada petugas dan tidak pernah tercatat tindak lanjutnya.",
                   "{Who} tidak tahu ke mana harus mengadu bila {s} terlambat atau tidak sesuai.",
                   "Aduan tentang {s} muncul di media sosial sebelum diketahui {unit}."],
         causes=["Tidak ada saluran pengaduan resmi untuk {s}.", "Aduan tentang {s} tidak diberi batas waktu penyelesaian."],
         changes=["Satu nomor WhatsApp aduan {s} dengan buku register, batas waktu tanggapan tiga hari kerja dan laporan bulanan kepada pimpinan.",
                  "Aduan tentang {s} dicatat di aplikasi dengan nomor tiket sehingga pelapor dapat memantau tindak lanjutnya.",
                  "Kotak saran dan nomor layanan pengaduan {s} dipasang di {office} dan dijawab oleh petugas piket."],
         benefits=["Setiap aduan tentang {s} tercatat dan ditindaklanjuti.", "Kepercayaan {who} kepada {s} meningkat."]),
    dict(key="standar", digital=False, form="tata_kelola", internal=True,
         titles=["Maklumat Pelayanan {S}", "{S} Selesai Satu Hari", "Standar Pelayanan {S}"],
         problems=["Lama penyelesaian {s} tidak menentu, bisa satu hari bisa dua minggu.",
                   "Persyaratan {s} berubah-ubah dan tidak tertulis.",
                   "{Who} tidak tahu biaya dan waktu {s}, sehingga muncul calo."],
         causes=["Belum ada standar pelayanan {s} yang ditetapkan.", "Standar {s} ada tetapi tidak diumumkan dan tidak dipantau."],
         changes=["{Unit} menetapkan standar pelayanan {s} (syarat, waktu, biaya nol rupiah) dan memajangnya di ruang tunggu.",
                  "Target {s} selesai dalam satu hari kerja bila berkas lengkap, dipantau setiap pekan oleh kepala unit.",
                  "Maklumat pelayanan {s} ditandatangani kepala {unit} dan dievaluasi lewat survei kepuasan setiap semester."],
         benefits=["Waktu dan biaya {s} menjadi pasti.", "Praktik percaloan dalam {s} berkurang."]),
    dict(key="kemitraan", digital=False, form="lainnya", internal=False, not_for={"adminduk", "perizinan"},
         titles=["Kemitraan {S} dengan BUMDes", "{S} Bersama Pesantren", "Kolaborasi {S} dengan Swasta"],
         problems=["Anggaran {unit} untuk {s} terbatas dan tidak mencukupi kebutuhan seluruh desa.",
                   "Program {s} berjalan sendiri tanpa melibatkan desa, pesantren atau dunia usaha.",
                   "Sarana untuk {s} di {place} kurang dan lama menunggu anggaran daerah."],
         causes=["Belum ada kerja sama tentang {s} dengan pihak di luar pemerintah.", "Potensi CSR dan dana desa belum dimanfaatkan untuk {s}."],
         changes=["Perjanjian kerja sama dengan BUMDes untuk menyediakan sarana {s} di desa, dibiayai bersama dana desa.",
                  "Pondok pesantren menjadi tempat layanan {s} bagi santri dan warga sekitarnya, dengan petugas {unit} yang terjadwal.",
                  "Dana CSR perusahaan di Kabupaten Banjar diarahkan untuk {s} melalui forum kemitraan yang dikoordinasikan {unit}."],
         benefits=["{Sc} bertambah tanpa beban anggaran daerah yang besar.", "Desa dan masyarakat ikut memiliki program {s}."]),
    dict(key="transparan", digital=False, form="tata_kelola", internal=True,
         titles=["Papan Informasi {S}", "Keterbukaan Informasi {S}", "Info {S} di Balai Desa"],
         problems=["{Who} tidak mengetahui siapa saja yang berhak atas {s} dan bagaimana urutannya.",
                   "Sering muncul prasangka bahwa {s} tidak adil karena daftarnya tidak pernah diumumkan.",
                   "Informasi {s} hanya diketahui petugas, sehingga warga bergantung pada kabar dari orang lain."],
         causes=["Informasi {s} tidak diumumkan secara terbuka.", "Tidak ada media informasi {s} di tingkat desa."],
         changes=["Daftar dan jadwal {s} diumumkan di papan informasi balai desa dan di laman {unit} setiap bulan.",
                  "Informasi {s} dibacakan dalam siaran radio daerah dan dibagikan lewat grup WhatsApp RT.",
                  "Meja informasi {s} di {office} menjawab pertanyaan warga dengan lembar informasi tertulis."],
         benefits=["Prasangka dan keluhan tentang {s} berkurang.", "{Who} tahu hak dan kewajibannya dalam {s}."]),
    dict(key="pemantauan", digital=True, form="tata_kelola", internal=True, not_for={"rumah_sakit", "kepegawaian", "adminduk"},
         titles=["Peta Digital {S}", "Pemantauan {S} dengan Foto Bertitik Koordinat", "Sistem Informasi {S}"],
         problems=["Sebaran {s} di 20 kecamatan tidak terpetakan, sehingga sasaran sulit diprioritaskan.",
                   "Kemajuan {s} di lapangan baru diketahui ketika petugas pulang membawa laporan.",
                   "{Unit} tidak dapat memantau {s} di desa-desa yang jauh seperti {place}."],
         causes=["Laporan lapangan tentang {s} masih berupa kertas.", "Belum ada peta sasaran {s} per desa."],
         changes=["Peta digital {s} per desa dengan titik koordinat dan status, diperbarui petugas lapangan dari ponsel.",
                  "Petugas melaporkan {s} dengan foto bertitik koordinat sehingga pimpinan {unit} dapat memantau setiap hari.",
                  "Sistem informasi {s} menggabungkan laporan desa dan kecamatan dalam satu tampilan per wilayah."],
         benefits=["Sasaran {s} diprioritaskan berdasarkan peta.", "Pimpinan memantau {s} tanpa menunggu laporan."]),
    dict(key="edukasi", digital=False, form="lainnya", internal=False,
         titles=["Penyuluhan {S} di Balai Desa", "Kelas Edukasi {S}", "Sosialisasi {S} Lewat Radio"],
         problems=["Banyak {who} belum memahami manfaat dan prosedur {s}.",
                   "Kesalahan berulang dalam {s} terjadi karena {who} tidak pernah mendapat penjelasan.",
                   "Sosialisasi {s} hanya dilakukan sekali setahun di ibu kota kabupaten."],
         causes=["Materi sosialisasi {s} sulit dipahami.", "Sosialisasi {s} tidak menjangkau desa."],
         changes=["Kelas edukasi {s} setiap bulan di balai desa dengan bahasa Banjar yang mudah dipahami.",
                  "Siaran radio mingguan tentang {s} diisi petugas {unit} dengan sesi tanya jawab dari pendengar.",
                  "Buku saku bergambar tentang {s} dibagikan dan dijelaskan kader kepada setiap keluarga sasaran."],
         benefits=["{Who} memahami prosedur dan manfaat {s}.", "Kesalahan berkas dan kunjungan sia-sia untuk {s} berkurang."]),
]

_SMALL = {"dan", "di", "ke", "dari", "untuk", "bagi", "dengan", "yang", "lewat", "dalam", "secara", "atas"}


def _title_case(text: str) -> str:
    words = text.split()
    return " ".join(w if (w.isupper() or (i and w in _SMALL)) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fields_for(unit) -> list[str]:
    return UNIT_FIELDS.get(unit.name) or UNIT_FIELDS[unit.kind]


def office_of(unit) -> str:
    if unit.kind == "kecamatan":
        return f"kantor camat {unit.name.removeprefix('Kecamatan ')}"
    if unit.kind == "kelurahan":
        return f"kantor lurah {unit.name.removeprefix('Kelurahan ')}"
    if unit.kind == "rsud":
        return "RSU Ratu Zaleha di Martapura"
    if unit.kind == "puskesmas":
        return unit.name.removeprefix("UPT ")
    return f"kantor {unit.name} di Martapura"


def _place(unit, rng: random.Random) -> str:
    if unit.kind == "kecamatan":
        return f"desa-desa terjauh di {unit.name}"
    if unit.kind == "kelurahan":
        return f"RT pinggiran {unit.name}"
    return f"Kecamatan {rng.choice(REMOTE)}"


def compose(unit, service, way, wording: int, rng: random.Random) -> dict:
    """One idea of `unit` about `service` changed in `way`, in the `wording`-th choice of templates
    (the same idea written twice takes two consecutive wordings, so no template repeats)."""
    name, urusan, beneficiaries = service
    field = next(f for f in fields_for(unit) if service in FIELDS[f][1])
    who = FIELDS[field][0]
    ctx = {"s": name, "S": _title_case(name), "Sc": _cap(name), "who": who, "Who": _cap(who), "place": _place(unit, rng),
           "office": office_of(unit), "unit": unit.name, "Unit": _cap(unit.name)}
    def pick(options, salt=0):
        return options[(wording + salt) % len(options)].format(**ctx)

    return {
        "title": pick(way["titles"], 0), "problem": pick(way["problems"], 1), "root_cause": pick(way["causes"], 2),
        "proposed_change": pick(way["changes"], 3), "expected_benefit": pick(way["benefits"], 4),
        "beneficiaries": beneficiaries, "urusan": list(urusan),
        "form": "tata_kelola" if field in INTERNAL else way["form"], "is_digital": way["digital"],
    }



def ideas_for(units_with_counts, rng: random.Random) -> dict[int, list[dict]]:
    """For each (unit, number of ideas, whether two of them are one idea written twice): the idea texts.
    The pair written twice comes first. A (service, way) pair is used once in the program."""
    used: set[tuple[str, str]] = set()
    result: dict[int, list[dict]] = {}
    for unit, count, twice in units_with_counts:
        fields = fields_for(unit)
        services = [s for f in fields for s in FIELDS[f][1]]
        internal = all(f in INTERNAL for f in fields)
        ways = [w for w in WAYS if (w["internal"] or not internal) and not set(fields) & w.get("not_for", set())]
        rng.shuffle(services)
        chosen, ways_taken = [], set()
        distinct = count - 1 if twice else count
        for service in services + services:  # a second round when the unit needs more ideas than services
            if len(chosen) == distinct:
                break
            options = [w for w in ways if w["key"] not in ways_taken and (service[0], w["key"]) not in used]
            if not options:
                continue
            way = rng.choice(options)
            used.add((service[0], way["key"]))
            ways_taken.add(way["key"])
            chosen.append((service, way))
        if len(chosen) < distinct:
            raise ValueError(f"not enough distinct ideas for {unit.name}")
        texts = []
        for n, (service, way) in enumerate(chosen):
            wording = rng.randrange(6)
            texts.append(compose(unit, service, way, wording, rng))
            if twice and n == 0:
                texts.append(compose(unit, service, way, wording + 1, rng))
        result[unit.pk] = texts
    return result
