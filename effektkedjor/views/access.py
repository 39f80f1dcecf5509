"""Access helpers: each fetches what a view works on and checks the user's rights,
raising PermissionDenied (403) or Http404; plus the rendering helpers all views share."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from boras_social.http import HtmxHttpRequest
from malomraden.models import Malomrade
from malomraden.roles import roles_for

from ..models import Kedjerad, LangsiktigEffekt, Rapportperiod


def get_row(pk: int) -> Kedjerad:
    return get_object_or_404(Kedjerad.objects.for_display(), pk=pk)


def get_row_for_editor(request: HtmxHttpRequest, pk: int) -> Kedjerad:
    row = get_row(pk)
    if not roles_for(request.user).can_edit_row(row):
        raise PermissionDenied("Du får inte ändra eller rapportera på den här raden.")
    return row


def get_row_for_area_editor(request: HtmxHttpRequest, pk: int) -> Kedjerad:
    row = get_row(pk)
    if not roles_for(request.user).can_edit_area(row.malomrade_id):
        raise PermissionDenied("Bara målområdets ansvariga får ta bort och flytta rader.")
    return row


def get_area_for_editor(request: HtmxHttpRequest, slug: str) -> Malomrade:
    area = get_object_or_404(Malomrade, slug=slug)
    if not roles_for(request.user).can_edit_area(area.pk):
        raise PermissionDenied("Bara målområdets ansvariga får ändra här.")
    return area


def get_effect_for_editor(request: HtmxHttpRequest, pk: int) -> LangsiktigEffekt:
    effect = get_object_or_404(LangsiktigEffekt.objects.select_related("malomrade"), pk=pk)
    if not roles_for(request.user).can_edit_area(effect.malomrade_id):
        raise PermissionDenied("Bara målområdets ansvariga får ändra långsiktiga effekter.")
    return effect


def require_programme_management(request: HtmxHttpRequest) -> None:
    """Reporting periods are the programme management's (the director among them)."""
    if not roles_for(request.user).whole_programme:
        raise PermissionDenied(
            "Bara stadsdirektören och programledningen lägger upp, ändrar, stänger och "
            "öppnar perioder."
        )


def get_period_for_director(request: HtmxHttpRequest, pk: int) -> Rapportperiod:
    require_programme_management(request)
    return get_object_or_404(Rapportperiod, pk=pk)


def render_page_or_fragment(
    request: HtmxHttpRequest, *, page: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """One URL, two renderings: the fragment for htmx, the whole page otherwise."""
    return render(request, fragment if request.htmx else page, context)


def form_response(
    request: HtmxHttpRequest,
    *,
    form: Any,
    focus: str | None,
    page: str,
    fragment: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form as a page, or for htmx as the fragment put in place, with focus moved into
    it (to `focus`, or to the first field with an error)."""
    if request.htmx and focus:
        autofocus(form, focus)
    return render_page_or_fragment(request, page=page, fragment=fragment, context=context)


def autofocus(form: Any, field: str, *, page: bool = False) -> None:
    """Move focus into a form that htmx puts on the page (static/js/app.js): to the
    first field with an error, else to `field`. With `page`, the form is the page's
    whole purpose (a full edit page): focus starts in it when the page loads, rather
    than a dozen Tab stops away behind the header's links."""
    if form.is_bound and form.errors:
        field = next((name for name in form.fields if name in form.errors), field)
    form.fields[field].widget.attrs["autofocus" if page else "data-fokus"] = True


def safe_next(request: HtmxHttpRequest, fallback: str) -> str:
    """Where to go after a form: the `next` parameter if it is a path on this site (a
    relative "None" or "../x" would resolve against the form's own address)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def count_text(count: int, singular: str, plural: str) -> str:
    """1 ny rad, 2 nya rader."""
    return f"{count} {singular if count == 1 else plural}"
