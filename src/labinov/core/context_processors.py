class _AppPerms:
    def __init__(self, user, app, obj):
        self.user, self.app, self.obj = user, app, obj

    def __getitem__(self, codename):
        return self.user.has_perm(f"{self.app}.{codename}", self.obj)

    def __bool__(self):  # pragma: no cover - templates only look up codenames
        return True


class PemdaPerms:
    """Like Django's `perms`, but asked about the page's pemda: `{% if can.regions.manage_units %}`.

    Django's `perms` checks without an object, which every pemda-scoped rule answers with "no".
    """

    def __init__(self, user, pemda):
        self.user, self.pemda = user, pemda

    def __getitem__(self, app):
        return _AppPerms(self.user, app, self.pemda)


def navigation(request):
    """The pemda a page belongs to (set by `core.views_helpers.tenant`), for the menu and `can`."""
    pemda = getattr(request, "labinov_pemda", None)
    return {"nav_pemda": pemda, "can": PemdaPerms(request.user, pemda) if pemda is not None else {}}
