"""An image drawn in the terminal (the captcha): two pixels a cell, the upper one in the
character « ▀ », the lower one as its background — a terminal cell is twice as high as it
is wide, so the picture keeps its proportions."""

from __future__ import annotations

import io

from rich.style import Style
from rich.text import Text

LARGEUR_CAPTCHA = 88
"""Cells across: a captcha of 220 × 80 pixels stays legible at 88 × 16 cells."""


def dessin_terminal(png: bytes, largeur: int = LARGEUR_CAPTCHA) -> Text | None:
    """The image `png` as coloured half blocks `largeur` cells wide; None when it cannot be
    read (not an image, or Pillow unavailable), so that the screen says so instead."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow comes with the captcha library
        return None
    try:
        with Image.open(io.BytesIO(png)) as ouverte:
            image = ouverte.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    hauteur = max(2, round(image.height * largeur / image.width))
    hauteur += hauteur % 2
    petite = image.resize((largeur, hauteur), Image.Resampling.LANCZOS)
    pixels = petite.load()
    assert pixels is not None
    dessin = Text(no_wrap=True, overflow="crop")
    for y in range(0, hauteur, 2):
        if y:
            dessin.append("\n")
        for x in range(largeur):
            haut = pixels[x, y]
            bas = pixels[x, y + 1]
            assert isinstance(haut, tuple)
            assert isinstance(bas, tuple)
            dessin.append("▀", Style(color=_rgb(haut), bgcolor=_rgb(bas)))
    return dessin


def _rgb(pixel: tuple[int, ...]) -> str:
    return f"rgb({pixel[0]},{pixel[1]},{pixel[2]})"
