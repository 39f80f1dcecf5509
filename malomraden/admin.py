"""Admin for the programme and its areas, with Swedish labels, search and filters."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.models import Group, User
from simple_history.admin import SimpleHistoryAdmin

from effektkedjor.versioning import bump_version

from .models import (
    Malomrade,
    Omradesansvarig,
    Omradestext,
    Organisation,
    Person,
    Program,
    Programansvarig,
    Tema,
    VagledandePrincip,
)


class TemaInline(admin.StackedInline):
    model = Tema
    extra = 0


class PrincipInline(admin.StackedInline):
    model = VagledandePrincip
    extra = 0


class ProgramansvarigInline(admin.StackedInline):
    model = Programansvarig
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["namn", "kommun", "vision"]
    inlines = [TemaInline, PrincipInline, ProgramansvarigInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["namn", "titel", "anvandare"]
    list_filter = ["organisationer"]
    search_fields = ["namn", "titel", "anvandare__username"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["kod", "namn", "typ", "tolkning"]
    list_filter = ["typ", "tolkning"]
    search_fields = ["kod", "namn"]
    prepopulated_fields = {"slug": ["kod"]}


class OmradesansvarigInline(admin.StackedInline):
    model = Omradesansvarig
    extra = 0


class OmradestextInline(admin.StackedInline):
    model = Omradestext
    extra = 0


class BumpsVersionOnSave(admin.ModelAdmin):
    """A correction in the admin moves the object's version, so a form opened in the app
    before it gets the usual conflict instead of saving over the correction unseen.

    As in the app (effektkedjor/services/rows.py save_row), the change's one history entry is
    written after the inlines are saved, so it shows the links as they now are.
    """

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            del obj.skip_history_when_saving

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            bump_version(form.instance)


@admin.register(Malomrade)
class MalomradeAdmin(BumpsVersionOnSave, SimpleHistoryAdmin):
    list_display = ["namn", "kortnamn", "typ", "ordning"]
    list_filter = ["typ"]
    search_fields = ["namn", "kortnamn", "rubrik"]
    prepopulated_fields = {"slug": ["kortnamn"]}
    inlines = [OmradesansvarigInline, OmradestextInline]


@admin.register(Omradestext)
class OmradestextAdmin(SimpleHistoryAdmin):
    list_display = ["text", "typ", "malomrade", "ordning"]
    list_filter = ["typ", "malomrade"]
    search_fields = ["text"]


# Django's own user and group admin, made to pass the accessibility and HTML checks:
# - the two-pane "filter_horizontal" widget puts ARIA on its help icons that axe refuses;
#   plain multiple selects work with a keyboard and a screen reader;
# - the password summary is a <div disabled>, which is not valid HTML;
# - the date shortcuts of last_login/date_joined carry an English aria-label beside
#   Swedish text; those fields are set by the system anyway, so they are read-only.
class _PasswordHashWidget(ReadOnlyPasswordHashWidget):
    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class AccessibleUserChangeForm(UserChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = _PasswordHashWidget()


class AccessibleUserAdmin(UserAdmin):
    form = AccessibleUserChangeForm
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")


class AccessibleGroupAdmin(GroupAdmin):
    filter_horizontal = ()


admin.site.unregister(User)
admin.site.register(User, AccessibleUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, AccessibleGroupAdmin)
