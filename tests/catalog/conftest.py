"""A public catalogue: published innovations of Kota Salatiga (own) and Kota Cilegon (other), and unpublished ones.

catalog_world.izin: Salatiga, Kelurahan Kalicacing, penerapan, pelayanan publik, digital, 2019, urusan penanaman modal
catalog_world.antrean: Cilegon, Dinas Kesehatan, uji coba, tata kelola, not digital, 2022, urusan kesehatan
catalog_world.ktp: Salatiga, SD (school), inisiatif, pelayanan publik, 2021, urusan adminduk
catalog_world.hidden: Salatiga, NOT published (it must never show)
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone


def publish(*innovations, when=None):
    """Publishes the innovations as the launching does (published_at, then the catalogue's entries)."""
    from labinov.catalog.services import catalogue_sync
    from labinov.innovations.models import Innovation

    Innovation.objects.filter(pk__in=[i.pk for i in innovations]).update(published_at=when or timezone.now())
    catalogue_sync(innovation_ids=[i.pk for i in innovations])
    for i in innovations:
        i.refresh_from_db()


def make_innovation(pemda, unit, name, *, description="", stage="penerapan", form="pelayanan_publik", urusan="", digital=False,
                    implemented=None, **profile):
    from labinov.innovations.models import Innovation, InnovationProfile

    innovation = Innovation.objects.create(pemda=pemda, unit=unit, name=name, description=description, form=form,
                                           is_digital=digital, urusan=[urusan] if urusan else [])
    InnovationProfile.objects.create(innovation=innovation, urusan_primary=urusan, iid_stage=stage, implementation_date=implemented,
                                     **profile)
    return innovation


@pytest.fixture
def catalog_world(world):
    w = world
    w.izin = make_innovation(w.own, w.kel, "Layanan izin usaha daring", description="Pengajuan izin usaha mikro lewat aplikasi",
                             urusan="penanaman_modal", digital=True, implemented=datetime.date(2019, 11, 14),
                             problem="Warga menunggu perizinan berhari-hari", results="Izin terbit dalam satu hari")
    w.antrean = make_innovation(w.other, w.other_unit, "Nomor antrean puskesmas", description="Antrean pasien diatur dari rumah",
                                stage="uji_coba", form="tata_kelola", urusan="kesehatan", implemented=datetime.date(2022, 5, 2),
                                problem="Antrean panjang di puskesmas setiap pagi")
    w.ktp = make_innovation(w.own, w.sd, "Pelajar punya kartu tanda penduduk", description="Perekaman KTP-el bagi siswa kelas 12",
                            stage="inisiatif", urusan="adminduk", implemented=datetime.date(2021, 3, 1))
    w.hidden = make_innovation(w.own, w.kel, "Izin rahasia belum terbit", description="Draf perizinan yang belum diluncurkan",
                               urusan="penanaman_modal")
    publish(w.izin, w.antrean, w.ktp)
    return w
