"""Captcha images drawn by the `captcha` library (noise, curves, warped glyphs)."""

from __future__ import annotations

from captcha.image import ImageCaptcha


class DessinateurImageCaptcha:
    def __init__(self) -> None:
        self._image = ImageCaptcha(width=220, height=80)

    def dessiner(self, code: str) -> bytes:
        return self._image.generate(code, format="png").getvalue()
