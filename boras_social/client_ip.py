"""The client's address, as sign-in throttling (django-axes) must see it.

Behind the reverse proxy every request comes from the proxy's address; the client's is
in X-Forwarded-For. Each proxy appends the address it saw, so with PROXY_COUNT trusted
proxies the client is that many entries from the right. Anything further left was
written by the client and can be forged, so it is never read.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    socket_address: str = request.META.get("REMOTE_ADDR", "")
    proxies: int = settings.PROXY_COUNT
    if proxies <= 0:
        return socket_address
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Not through the expected chain of proxies (a misconfiguration, or a request
        # straight to the app server): the socket is the only address to trust.
        return socket_address
    return forwarded[-proxies]
