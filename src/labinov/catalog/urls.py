from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalogue, name="catalog_list"),
    path("data.csv", views.catalogue_csv, name="catalog_export_csv"),
    path("data.json", views.catalogue_json, name="catalog_export_json"),
    path("<slug:place>/", views.catalogue_pemda, name="catalog_pemda"),
    path("<slug:place>/<slug:item>/", views.catalogue_innovation, name="catalog_innovation"),
]
