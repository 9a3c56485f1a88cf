"""The actualités of the demo: the portal's item of 20 October 2017 (seed 000), two recent
items about what this portal does, and the administrator's account that publishes news.

Each item loads once, on its own, recognised by its title (a store loaded before the
actualités existed gains them); the administrator is created when no account has its
email. The recent items are dated from the clock's today when first loaded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs

from chorus.domain.actualites import Actualite
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import PAR_PAGE_MAXIMUM, Pagination
from chorus.services.actualites import AUTEUR_EXPLOITATION
from chorus.services.contexte import Ports
from chorus.services.utilisateurs import UtilisateurService

EMAIL_ADMINISTRATEUR = "isabelle.roux@aife.economie.gouv.fr"
EMAILS_DEMO_ACTUALITES = (EMAIL_ADMINISTRATEUR,)

TITRE_2017 = "Statuts des mémoires de frais et des demandes de remboursement"

CORPS_2017 = """\
Les traitements de mise à jour des statuts des mémoires de frais et des demandes de \
remboursement, interrompus entre le lundi 16 octobre et le jeudi 19 octobre, sont maintenant \
opérationnels.

Les dossiers pour lesquels un événement est intervenu sur cette période ont donc été mis à \
jour.

**Point d'attention** : la date de modification de vos dossiers correspond à la date de mise \
à jour du statut et non pas à la date de l'événement concerné (mise en paiement, rejet...).
"""

TITRE_TIC = "Les demandes de remboursement TIC/TICGN dans le terminal"

CORPS_TIC = """\
Les exploitants des départements expérimentateurs du portail DémaTIC peuvent créer leur \
compte TIC depuis l'écran de connexion (« Créer un compte TIC »), puis saisir, envoyer et \
suivre leurs demandes de remboursement de la TIC/TICGN dans l'application en mode terminal \
(touche **F12** pour une structure qui a aussi l'espace des frais de justice) :

- **Mon suivi** : les derniers événements de vos demandes (réception, instruction, \
validation, rejet avec son motif, mise en paiement) ;
- **Tableau de bord** : le nombre de demandes par statut et par structure ;
- **Rechercher** : par numéro, année, produit, statut ou date de dépôt, avec l'export CSV, \
XLSX ou ODS des résultats ;
- **Créer une demande** : une ligne par facture ; le taux et le montant s'affichent pendant \
la saisie.

Une demande envoyée n'est plus modifiable : enregistrez son certificat de dépôt.
"""

TITRE_ACTUALITES = "Les actualités du portail, sans connexion"

CORPS_ACTUALITES = """\
Les actualités du portail se consultent désormais sans vous connecter : dans l'application \
en mode terminal par la touche **F7** (les trois dernières s'affichent aussi sur l'écran de \
connexion), et par l'API (`GET /api/v1/actualites`).

Elles sont présentées de la plus récente à la plus ancienne, par pages.
"""

# (title, body, publication day — or so many days before the first load), oldest first.
_ACTUALITES: tuple[tuple[str, str, date | int], ...] = (
    (TITRE_2017, CORPS_2017, date(2017, 10, 20)),
    (TITRE_TIC, CORPS_TIC, 21),
    (TITRE_ACTUALITES, CORPS_ACTUALITES, 2),
)


@attrs.frozen
class DonneesDemoActualites:
    utilisateurs: tuple[Utilisateur, ...]
    actualites: tuple[Actualite, ...]


def charger_demo_actualites(ports: Ports) -> DonneesDemoActualites:
    """Create what is missing of the actualités' demo; return all of it as stored."""
    utilisateurs = UtilisateurService(ports)
    administrateur = utilisateurs.par_email(EMAIL_ADMINISTRATEUR)
    if administrateur is None:
        administrateur = utilisateurs.creer_agent(
            email=EMAIL_ADMINISTRATEUR,
            nom="Roux",
            prenom="Isabelle",
            role=RoleAgent.ADMINISTRATEUR,
        )
    aujourdhui = ports.clock.aujourdhui()
    with ports.uow as uow:
        stockees = {a.titre: a for a in _toutes(uow)}
        for titre, corps, jour in _ACTUALITES:
            if titre in stockees:
                continue
            if isinstance(jour, int):
                jour = aujourdhui - timedelta(days=jour)
            actualite = Actualite.publier(
                id=ports.ids.nouveau(),
                titre=titre,
                corps=corps,
                date_publication=datetime.combine(jour, time(9, 0), tzinfo=FUSEAU_PORTAIL),
                auteur=AUTEUR_EXPLOITATION,
            )
            uow.actualites.ajouter(actualite)
            stockees[titre] = actualite
        uow.commit()
    return DonneesDemoActualites(
        utilisateurs=(administrateur,),
        actualites=tuple(stockees[titre] for titre, _, _ in reversed(_ACTUALITES)),
    )


def _toutes(uow: UnitOfWork) -> list[Actualite]:
    """Every stored item, read in `uow` (news items are few)."""
    toutes: list[Actualite] = []
    page = 1
    while True:
        trouvees = uow.actualites.lister(Pagination(page, PAR_PAGE_MAXIMUM))
        toutes.extend(trouvees.elements)
        if page * PAR_PAGE_MAXIMUM >= trouvees.total:
            return toutes
        page += 1
