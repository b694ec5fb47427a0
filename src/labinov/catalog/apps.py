from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "labinov.catalog"
    label = "catalog"
    verbose_name = _("Display: the public catalogue")

    def ready(self):
        from . import rules  # noqa: F401  (registers the permissions)
