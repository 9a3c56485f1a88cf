"""The bare endpoint the API is compared with: a Litestar app on the same paths as the
measured routes of the API, doing no work, answering a JSON object of the same size as the
API's answer, served by uvicorn with the settings of ``chorus serve``.

It is the ceiling of the HTTP stack (uvicorn, Litestar's routing, parsing and serialising):
the API's throughput divided by it says what the use cases, the storage and the mapping to
schemas cost on top.

``python -m bench.api_nue --port P --memoire N --page N --ligne N`` (sizes in bytes).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Router, get, post

# The answer's fields besides the padding, so that the padding is sized from what they take.
_ENVELOPPE = len(b'{"id":"","remplissage":""}')


def _reponse(identifiant: str, taille: int) -> dict[str, Any]:
    """A JSON object of `taille` bytes once serialised (ASCII), naming `identifiant`."""
    return {
        "id": identifiant,
        "remplissage": "x" * max(0, taille - _ENVELOPPE - len(identifiant)),
    }


def creer_app(taille_memoire: int, taille_page: int, taille_ligne: int) -> Litestar:
    """The bare app: the measured paths of the API under the same base path."""

    @get("/memoires/{memoire_id:str}", sync_to_thread=False)
    async def memoire(memoire_id: str) -> dict[str, Any]:
        return _reponse(memoire_id, taille_memoire)

    @get("/memoires", sync_to_thread=False)
    async def page(structure_id: str | None = None, page: int = 1) -> dict[str, Any]:
        return _reponse(f"{structure_id}/{page}", taille_page)

    @post("/memoires/{memoire_id:str}/lignes", status_code=201, sync_to_thread=False)
    async def ligne(memoire_id: str, data: dict[str, Any]) -> dict[str, Any]:
        return _reponse(memoire_id, taille_ligne)

    return Litestar(route_handlers=[Router("/api/v1", route_handlers=[memoire, page, ligne])])


def main(arguments: Sequence[str] | None = None) -> None:
    import uvicorn

    parseur = argparse.ArgumentParser(prog="python -m bench.api_nue")
    parseur.add_argument("--host", default="127.0.0.1")
    parseur.add_argument("--port", type=int, required=True)
    parseur.add_argument("--memoire", type=int, required=True, help="octets d'un mémoire")
    parseur.add_argument("--page", type=int, required=True, help="octets d'une page")
    parseur.add_argument("--ligne", type=int, required=True, help="octets d'une ligne")
    options = parseur.parse_args(arguments)
    app = creer_app(options.memoire, options.page, options.ligne)
    # The settings `chorus serve` runs uvicorn with (src/chorus/cli.py): one process.
    uvicorn.run(app, host=options.host, port=options.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()
