"""Root URLs: the two apps, sign-in and the Django admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "Effektkedjor – administration"
admin.site.site_title = "Effektkedjor"
admin.site.index_title = "Administration av programmet Social hållbarhet"

urlpatterns = [
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "konto/byt-losenord/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "konto/byt-losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "konto/glomt-losenord/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "konto/glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nytt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("halsa/", views.halsa, name="halsa"),
    path("tillganglighet/", views.tillganglighet, name="tillganglighet"),
    path("admin/", admin.site.urls),
    path("", include("effektkedjor.urls")),
    path("", include("malomraden.urls")),
]
