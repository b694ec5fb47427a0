from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "labinov.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # `<id:...>` in every URL: an integer id that a database can hold, else 404.
        from . import converters

        converters.register()
