"""QR codes for the official web addresses, as inline SVG data URIs (no network, no files)."""

from __future__ import annotations

import base64
import functools
import io

import qrcode
import qrcode.image.svg

__all__ = ["qr_svg", "qr_data_uri"]


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> bytes:
    """The QR code of url as a standalone SVG document (black on white, with a quiet zone)."""
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue()


def qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url)).decode("ascii")
