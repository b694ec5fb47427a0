def navigation(request):
    """The pemda a page belongs to (set by `core.views_helpers.tenant`), for the menu."""
    return {"nav_pemda": getattr(request, "labinov_pemda", None)}
