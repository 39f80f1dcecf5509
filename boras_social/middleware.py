"""Middleware of the project itself."""

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url


class QueryCountHeaderMiddleware:
    """Adds `X-Query-Count` (database queries made for the response) for the benchmark.

    Only installed when the setting QUERY_COUNT_HEADER is on (see settings.py), never by
    default: the number tells an outsider something about the data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class PermissionsPolicyMiddleware:
    """Sends the `Permissions-Policy` header from the setting PERMISSIONS_POLICY.

    Django has settings for the other security headers but not this one; the app needs
    no browser feature such as camera or location, so it denies them all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response


class DatabaseUnavailableMiddleware:
    """Answers 503 with a Swedish page (templates/503.html) and `Retry-After` when the
    database cannot be reached, instead of the generic 500 page.

    Must be first in MIDDLEWARE: the error is often raised inside other middleware (the
    session and user are loaded by LoginRequiredMiddleware, the session is saved on the
    way out), where Django has already turned it into a 500 response before any outer
    code sees an exception. So the exception is noted from Django's
    `got_request_exception` signal, which is sent for every uncaught exception of a
    request, and the 500 response is replaced on the way out. Nothing else is needed to
    recover: the settings use `conn_health_checks`, so the next request after the
    database is back opens a fresh connection in the same worker.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_note_database_error, dispatch_uid="database_unavailable")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = getattr(request, "_database_error", None)
        if error is None:
            return response
        logging.getLogger("boras_social.database").error(
            "Databasen svarar inte (%s %s): %s: %s",
            request.method,
            request.path,
            type(error).__name__,
            error,
        )
        from django.template import loader

        unavailable = HttpResponse(
            loader.render_to_string("503.html"),
            status=503,
            content_type="text/html; charset=utf-8",
        )
        unavailable["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        # Whatever the page was, this answer must not be cached by the browser or a proxy.
        unavailable["Cache-Control"] = "no-store"
        for header in (
            "Content-Security-Policy",
            "Permissions-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "Strict-Transport-Security",
        ):
            if header in response:
                unavailable[header] = response[header]
        return unavailable


def _note_database_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Called inside Django's `except` block, so the exception being handled is current.
    from django.db import InterfaceError, OperationalError

    error = sys.exc_info()[1]
    if request is not None and isinstance(error, (OperationalError, InterfaceError)):
        request._database_error = error  # type: ignore[attr-defined]


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login requirement, answering htmx requests with 401 instead of a redirect.

    A redirect to the sign-in page would be followed silently by the browser and htmx
    would swap the whole sign-in page into a table row, replacing the form the user was
    typing in. A 401 is not swapped; static/js/app.js tells the user to sign in again in
    another tab, and the form keeps what they typed.
    """

    def handle_no_permission(  # type: ignore[override]  # the stubs say redirect only
        self, request: HttpRequest, view_func: Any
    ) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(
                "Du är utloggad. Logga in igen.",
                status=401,
                content_type="text/plain; charset=utf-8",
                # No WWW-Authenticate challenge: sign-in is a form, not HTTP auth.
            )
        if request.get_full_path() == "/":
            # The site's root is where everyone starts, not a page asked for: without a
            # `next`, sign-in lands each role on its own page (effektkedjor:start).
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        return super().handle_no_permission(request, view_func)
