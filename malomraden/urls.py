from django.urls import path

from . import views

app_name = "malomraden"

urlpatterns = [
    path("", views.program, name="program"),
    path("omraden/<slug:slug>/", views.malomrade, name="malomrade"),
    path("omraden/<slug:slug>/andra/", views.malomrade_andra, name="malomrade_andra"),
    path("organisationer/", views.organisation_list, name="organisationer"),
    path("organisationer/<slug:slug>/", views.organisation, name="organisation"),
]
