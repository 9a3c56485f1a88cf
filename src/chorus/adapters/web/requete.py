"""Reading a JSON body: whatever bytes a client sends, a refusal names the body or the field.

Litestar decodes a JSON body with msgspec and turns its `DecodeError` into a 400, but not
the two other ways the raw bytes can fail: bytes that are not UTF-8 (`UnicodeDecodeError`,
which would end in a 500) and a number no float can hold (``1e400``: a `ValidationError`
whose path, ``$[...]``, names nothing). `RequeteChorus` is the app's request class; it words
both, locating the out-of-range number itself. `lire_json` does the same for the handlers
that decode a body themselves.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import SerializationException, ValidationException

from chorus.adapters.web.problemes import CORPS, RequeteInvalide

T = TypeVar("T")

JSON_NON_UTF8 = "Le corps de la requête n'est pas un JSON valide (UTF-8 attendu)."

_HORS_BORNES = "Number out of range"
"""msgspec's message, worded in French by `chorus.adapters.web.problemes`."""

_DECODEUR_EXACT = msgspec.json.Decoder(float_hook=Decimal)


def chemin_hors_bornes(corps: bytes) -> str:
    """Where, in ``$.lignes[0].quantite`` notation, the first number too large for a float
    lies in `corps` (``$`` when it cannot be told)."""
    try:
        racine = _DECODEUR_EXACT.decode(corps)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
        return "$"
    # Iterative: a deeply nested body must not exhaust the stack here.
    a_voir: list[tuple[str, Any]] = [("$", racine)]
    while a_voir:
        chemin, valeur = a_voir.pop()
        if isinstance(valeur, Decimal):
            if not math.isfinite(float(valeur)):
                return chemin
        elif isinstance(valeur, dict):
            a_voir.extend((f"{chemin}.{cle}", v) for cle, v in reversed(valeur.items()))
        elif isinstance(valeur, list):
            a_voir.extend((f"{chemin}[{i}]", v) for i, v in reversed(list(enumerate(valeur))))
    return "$"


def erreur_hors_bornes(corps: bytes) -> ValidationException:
    """The refusal of a body holding a number out of range, located like msgspec's own
    validation errors (`chorus.adapters.web.problemes` names the field from the path)."""
    message = f"{_HORS_BORNES} - at `{chemin_hors_bornes(corps)}`"
    return ValidationException(
        detail=message, extra=[{"message": message, "key": "", "source": "body"}]
    )


def lire_json(corps: bytes, type_: type[T]) -> T:
    """`corps` decoded as `type_`; any client's mistake a 400 worded by the app's handlers."""
    try:
        return msgspec.json.decode(corps, type=type_)
    except UnicodeDecodeError:
        raise RequeteInvalide(JSON_NON_UTF8, champ=CORPS) from None
    except msgspec.ValidationError as erreur:
        # Worded in French and located by the app's handler, as for any JSON body.
        raise ValidationException(
            detail=str(erreur), extra=[{"message": str(erreur), "key": "", "source": "body"}]
        ) from None
    except msgspec.DecodeError as erreur:
        raise RequeteInvalide(
            "Le corps de la requête n'est pas un JSON valide.", champ=CORPS
        ) from erreur


class RequeteChorus(Request[Any, Any, Any]):
    """The app's request class: `json()` refuses undecodable bytes with a 400."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except UnicodeDecodeError:
            raise RequeteInvalide(JSON_NON_UTF8, champ=CORPS) from None
        except SerializationException as erreur:
            # Untyped decoding only fails validation on a number out of range.
            if isinstance(erreur.__cause__, msgspec.ValidationError):
                raise erreur_hors_bornes(await self.body()) from None
            raise
