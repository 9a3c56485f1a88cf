"""The annotations a handler gives the app's dependencies (`creer_app` provides them).

Litestar 2 still guesses that a parameter named like a dependency is one, but warns that
Litestar 3 will not: every handler marks them explicitly, through these aliases.

- ``services: Services`` — the use cases;
- ``acteur: Acteur`` — who calls, an `Authentification` (bearer; 401 else);
- ``pagination: PaginationDemandee`` — ``?page=&par_page=``;
- ``tri: TriDemande`` — ``?tri=-date_depot``;
- ``version_attendue: VersionAttendue`` — ``If-Match`` (None when absent);
- ``filtres: Filtres`` — the mémoires' search criteria (on the controllers that provide it).
"""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency
from litestar.params import SkipValidation

from chorus.adapters.web.services import ServicesWeb
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri
from chorus.services.comptes import Authentification

Services: TypeAlias = NamedDependency[ServicesWeb]
Acteur: TypeAlias = NamedDependency[SkipValidation[Authentification]]
"""The dependency gives an `AuthentificationAttendue`, which the handler's wrapper turns into
the `Authentification` the handler receives (`chorus.adapters.web.auth`): not validated."""
PaginationDemandee: TypeAlias = NamedDependency[Pagination]
TriDemande: TypeAlias = NamedDependency[Tri]
VersionAttendue: TypeAlias = NamedDependency[int | None]
Filtres: TypeAlias = NamedDependency[FiltresMemoire]
