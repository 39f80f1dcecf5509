from django.urls import path

app_name = "effektkedjor"

urlpatterns: list = []
