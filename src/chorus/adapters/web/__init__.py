"""The HTTP API (Litestar): see `chorus.adapters.web.app` for its conventions."""

from chorus.adapters.web.app import creer_app
from chorus.adapters.web.reglages import ReglagesWeb
from chorus.adapters.web.services import ServicesWeb

__all__ = ["ReglagesWeb", "ServicesWeb", "creer_app"]
