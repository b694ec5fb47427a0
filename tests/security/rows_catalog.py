"""Permission-matrix rows of the public catalogue (see test_permission_matrix.py for the format).

Every catalogue page is public: anonymous visitors and every role get "ok", in any pemda. What the pages
may show (published innovations of active pemda, public fields only) is tested in tests/catalog.
"""

from .test_permission_matrix import EVERYONE

PUBLIC = EVERYONE | {"anonymous"}


def _published(w):
    """A published innovation of the own pemda (made once per world)."""
    from tests.catalog.conftest import make_innovation, publish

    if not hasattr(w, "catalogue_innovation"):
        w.catalogue_innovation = make_innovation(w.own, w.kel, "Layanan izin usaha daring", urusan="penanaman_modal")
        publish(w.catalogue_innovation)
    return w.catalogue_innovation


def _place(w, t):
    _published(w)
    return {"place": "3373-kota-salatiga"}


def _item(w, t):
    from labinov.catalog.selectors import item_slug

    return {**_place(w, t), "item": item_slug(_published(w))}


ROWS: dict = {
    "catalog_list": ("get", None, PUBLIC, "public"),
    "catalog_export_csv": ("get", None, PUBLIC, "public"),
    "catalog_export_json": ("get", None, PUBLIC, "public"),
    "catalog_pemda": ("get", _place, PUBLIC, "public"),
    "catalog_innovation": ("get", _item, PUBLIC, "public"),
}
