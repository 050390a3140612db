"""Where a webhook may be sent: not to this server's own network.

A production manager sets a webhook's URL; without a guard the server would POST wherever it
points, its own loopback, the metadata service of its cloud (169.254.169.254) or any machine of
the studio's private network (a request forgery from the inside). A URL is refused when its host
names, or resolves to, an address that is not public. The check runs when the URL is set (a
name that does not resolve yet passes) and again before each delivery (a name may resolve
elsewhere later). `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` lifts it, for receivers on the studio's own
network.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class RefusedAddress(ValueError):
    """The URL points at an address webhooks may not reach (the message says which)."""


def check_webhook_url(url):
    """Raise RefusedAddress when `url` may not receive webhooks."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress("An http or https URL is expected.")
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise RefusedAddress("The URL's port is not a port number.") from exc
    try:
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return  # not in the DNS (yet): nothing reachable to refuse; a delivery fails on its own
    for *_, address in found:
        ip = ipaddress.ip_address(address[0].split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise RefusedAddress(
                f"The host {parts.hostname} is a private or local address ({ip}): webhooks go to "
                "public addresses only (WEBHOOK_ALLOW_PRIVATE_ADDRESSES lifts this)."
            )
