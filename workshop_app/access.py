"""Who gets into the room: the session's join code, the facilitator's code and the app's own origins.

`mbk workshop` makes a `RoomAccess` for every run: a browser sees nothing of the session until it
gives the join code (in the address from the QR code, or typed in), and joining as facilitator
needs the facilitator's code, checked by `SharedSession` on the server. Websockets are accepted
only from this machine's own names and addresses (`own_origins`), never from any origin.
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlencode

__all__ = ["RoomAccess", "new_access", "normalise_code", "own_origins", "join_url", "qr_svg",
           "room_host", "CODE_ALPHABET", "JOIN_PARAM"]

#: Letters and digits a person reads off a projector without mixing them up (no 0/O, 1/I/L, 5/S, 2/Z).
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
JOIN_CODE_LENGTH = 6
FACILITATOR_CODE_LENGTH = 8
#: The query parameter that carries the join code in the room's address (and its QR code).
JOIN_PARAM = "join"
_CODE_RE = re.compile(rf"[{CODE_ALPHABET}]{{4,32}}")


def normalise_code(typed: str) -> str:
    """A code as typed (any case, spaces or dashes between groups) in its canonical form."""
    return re.sub(r"[\s\-]", "", typed or "").upper()


def _new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class RoomAccess:
    """The two codes of one served session; compared in constant time."""

    join_code: str
    facilitator_code: str
    url: str = ""  # the room's address (without the code), for the QR code on the facilitator's screen

    def __post_init__(self):
        for field, value in (("join_code", self.join_code), ("facilitator_code", self.facilitator_code)):
            if not _CODE_RE.fullmatch(value):
                raise ValueError(f"{field}: expected 4-32 characters from {CODE_ALPHABET}, got {value!r}")
        if self.join_code == self.facilitator_code:
            raise ValueError("facilitator_code: must differ from the join code")

    def admits(self, typed: str) -> bool:
        """True when `typed` is the join code (or the facilitator's, who may also join with it)."""
        code = normalise_code(typed)
        return hmac.compare_digest(code, self.join_code) or self.leads(code)

    def leads(self, typed: str) -> bool:
        """True when `typed` is the facilitator's code."""
        return hmac.compare_digest(normalise_code(typed), self.facilitator_code)

    @property
    def display_join_code(self) -> str:
        """The join code in groups of three, as the projector and the terminal show it."""
        c = self.join_code
        return "-".join(c[i:i + 3] for i in range(0, len(c), 3))


def new_access() -> RoomAccess:
    """Fresh random codes for one run of the server."""
    return RoomAccess(join_code=_new_code(JOIN_CODE_LENGTH), facilitator_code=_new_code(FACILITATOR_CODE_LENGTH))


def join_url(access: RoomAccess, base: str = "", **extra: str) -> str:
    """The room's address with the join code in it (what the QR code holds)."""
    return f"{(base or access.url).rstrip('/')}/?{urlencode({JOIN_PARAM: access.join_code, **extra})}"


def room_host(address: str) -> str:
    """The name a browser in the room uses for this machine when the app listens on `address`."""
    if address in ("127.0.0.1", "localhost", "::1"):
        return "localhost"
    if address not in ("", "0.0.0.0", "::"):
        return address
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return socket.gethostname()


def _machine_addresses() -> set[str]:
    """This machine's own names and IPv4 addresses, as a browser in the room would reach it."""
    names = {"localhost", "127.0.0.1"}
    host = socket.gethostname()
    names.update({host, socket.getfqdn()})
    try:
        names.update(socket.gethostbyname_ex(host)[2])
    except OSError:
        pass
    try:  # the address of the interface that routes to the room's network (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            names.add(s.getsockname()[0])
    except OSError:
        pass
    return {n for n in names if n}


def own_origins(address: str, port: int, extra: tuple[str, ...] = ()) -> list[str]:
    """`host:port` of the pages that may open a websocket: this machine's names, the address served on, `extra`."""
    names = _machine_addresses()
    if address not in ("", "0.0.0.0", "::"):
        names.add(address)
    names.update(e.strip() for e in extra if e.strip())
    return sorted(f"{n}:{port}" for n in names)


def qr_svg(url: str) -> str:
    """The room's address as an SVG QR code (drawn here, nothing fetched)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)
    svg = buf.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]  # drop the XML declaration so it can sit inside HTML
