app_name = "effektkedjor"

urlpatterns: list = []
