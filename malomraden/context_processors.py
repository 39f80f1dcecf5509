"""Template context: the signed-in user's roles, to show only the controls they can use.

Lazy, so pages that never ask pay nothing; the views check the same roles themselves.
"""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import roles_for


def roles(request: HttpRequest) -> dict[str, object]:
    return {"roller": SimpleLazyObject(lambda: roles_for(request.user))}
