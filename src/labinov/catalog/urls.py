from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalogue, name="catalog_list"),
    path("<slug:place>/", views.catalogue_pemda, name="catalog_pemda"),
    path("<slug:place>/<slug:item>/", views.catalogue_innovation, name="catalog_innovation"),
]
