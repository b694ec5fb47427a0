"""URLs of the Diagnose and screening features, under /pemda/<pemda>/programs/<program>/.

Each part has its own module: writing ideas (urls_ideas), screening and consolidation
(urls_screening), bulk import and export (urls_transfer).
"""

from django.urls import include, path

urlpatterns = [
    path("", include("labinov.ideas.urls_ideas")),
    path("", include("labinov.ideas.urls_screening")),
    path("", include("labinov.ideas.urls_transfer")),
]
