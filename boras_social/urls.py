"""Root URLs: the two apps, sign-in and the Django admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Effektkedjor – administration"
admin.site.site_title = "Effektkedjor"
admin.site.index_title = "Administration av programmet Social hållbarhet"

urlpatterns = [
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("effektkedjor.urls")),
    path("", include("malomraden.urls")),
]
