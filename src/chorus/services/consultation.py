"""Read use cases of the prestataire: search, synthèse, tableau de bord, liste fiscale, and the
public check of a certificate's empreinte."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from chorus.domain import acces
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.certificat import CertificatDepot
from chorus.domain.errors import EmpreinteAlteree, NonTrouve, ValidationError
from chorus.domain.liste_fiscale import LigneListeFiscale, Periode, TotauxListeFiscale
from chorus.domain.organisation import Application, Structure
from chorus.domain.statuts import STATUTS_A_TRAITER, StatutMemoire
from chorus.domain.textes import exiger_entier, exiger_texte
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import (
    PAR_PAGE_MAXIMUM,
    CleDeTri,
    CriteresMemoire,
    FiltresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
    Tri,
)
from chorus.services.contexte import Ports


@attrs.frozen
class CompteursStructure:
    """One row of the tableau de bord: a structure and its count of mémoires per status."""

    structure_id: str
    raison_sociale: str
    compteurs: dict[StatutMemoire, int]


@attrs.frozen
class ListeFiscale:
    """A period's paid mémoires: `lignes` is the page asked for (every line when
    `pagination` is None); `totaux` cover the whole period."""

    structure: Structure
    periode: Periode
    lignes: tuple[LigneListeFiscale, ...]
    totaux: TotauxListeFiscale
    pagination: Pagination | None = None


class ConsultationService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def _structures(self, uow: UnitOfWork, acteur_id: str) -> Sequence[Structure]:
        return [s for s in uow.structures.pour_utilisateur(acteur_id) if s.est_membre(acteur_id)]

    def rechercher(
        self, acteur_id: str, filtres: FiltresMemoire, tri: Tri, pagination: Pagination
    ) -> Page[ResumeMemoire]:
        """The mémoires the user may see that match `filtres` (nothing of others')."""
        with self._p.uow.lecture() as uow:
            perimetre = acces.perimetre(
                self._structures(uow, acteur_id), acteur_id, Application.FRAIS_DE_JUSTICE
            )
            return uow.requetes.rechercher(
                CriteresMemoire(filtres=filtres, perimetre=perimetre), tri, pagination
            )

    def synthese(
        self, acteur_id: str, par_statut: int = 10
    ) -> dict[StatutMemoire, Page[ResumeMemoire]]:
        """What needs the prestataire's action: drafts, suspended and refused mémoires."""
        if not 1 <= exiger_entier(par_statut, "par_statut") <= PAR_PAGE_MAXIMUM:
            raise ValidationError(
                f"Le nombre de mémoires par état va de 1 à {PAR_PAGE_MAXIMUM}.", champ="par_statut"
            )
        with self._p.uow.lecture() as uow:
            perimetre = acces.perimetre(
                self._structures(uow, acteur_id), acteur_id, Application.FRAIS_DE_JUSTICE
            )
            return {
                statut: uow.requetes.rechercher(
                    CriteresMemoire(
                        filtres=FiltresMemoire(statuts=frozenset({statut})), perimetre=perimetre
                    ),
                    Tri(CleDeTri.DATE_STATUT, descendant=True),
                    Pagination(1, par_statut),
                )
                for statut in STATUTS_A_TRAITER
            }

    def tableau_de_bord(self, acteur_id: str) -> list[CompteursStructure]:
        """Per visible structure, a count for every status (zeros included)."""
        with self._p.uow.lecture() as uow:
            structures = self._structures(uow, acteur_id)
            perimetre = acces.perimetre(structures, acteur_id, Application.FRAIS_DE_JUSTICE)
            comptes = uow.requetes.compter_par_statut(perimetre)
            return [
                CompteursStructure(
                    structure_id=s.id,
                    raison_sociale=s.raison_sociale,
                    compteurs={st: comptes.get(s.id, {}).get(st, 0) for st in StatutMemoire},
                )
                for s in structures
                if s.id in perimetre.toutes_structures
            ]

    def liste_fiscale(
        self,
        acteur_id: str,
        structure_id: str,
        du: date,
        au: date,
        pagination: Pagination | None = None,
    ) -> ListeFiscale:
        """The mémoires of the structure put into payment within [du, au] (≤ one year),
        by the date the payment was recorded: one page of them (all when `pagination` is
        None), with the totals of the whole period. A user habilitated on some services
        only gets the mémoires of those services."""
        periode = Periode.creer(du, au)
        with self._p.uow.lecture() as uow:
            structure = uow.structures.obtenir(structure_id)
            perimetre = acces.exiger_perimetre(structure, acteur_id, Application.FRAIS_DE_JUSTICE)
            criteres = CriteresMemoire(
                filtres=FiltresMemoire(
                    structure_id=structure_id,
                    statuts=frozenset({StatutMemoire.MIS_EN_PAIEMENT}),
                    date_statut_du=periode.du,
                    date_statut_au=periode.au,
                ),
                perimetre=perimetre,
            )
            tri = Tri(CleDeTri.DATE_STATUT, descendant=False)
            if pagination is None:
                resumes: Sequence[ResumeMemoire] = uow.requetes.tous(criteres, tri)
            else:
                resumes = uow.requetes.rechercher(criteres, tri, pagination).elements
            sommes = uow.requetes.sommer(criteres)
        lignes = tuple(
            LigneListeFiscale(
                numero=r.numero,
                date_depot=jour_a_paris(r.date_depot),
                juridiction_code=r.juridiction_code,
                montant_ht=r.montant_ht,
                montant_tva=r.montant_tva,
                montant_ttc=r.montant_ttc,
                remise_globale_ttc=r.montant_ttc - r.net_a_payer,
                net_a_payer=r.net_a_payer,
                date_mise_en_paiement=r.date_paiement or jour_a_paris(r.date_statut),
                montant_paye=r.montant_paye if r.montant_paye is not None else r.net_a_payer,
            )
            for r in resumes
            # Paid mémoires were all sent; the test only satisfies the type.
            if r.date_depot is not None
        )
        totaux = TotauxListeFiscale(
            montant_ht=sommes.montant_ht,
            montant_tva=sommes.montant_tva,
            montant_ttc=sommes.montant_ttc,
            remise_globale_ttc=sommes.montant_ttc - sommes.net_a_payer,
            net_a_payer=sommes.net_a_payer,
            montant_paye=sommes.montant_paye,
            nombre=sommes.nombre,
        )
        return ListeFiscale(structure, periode, lignes, totaux, pagination)

    def verifier_empreinte(self, empreinte: str) -> CertificatDepot:
        """Public: the certificate whose empreinte this is, or `NonTrouve`."""
        with self._p.uow.lecture() as uow:
            memoire = uow.memoires.par_empreinte(exiger_texte(empreinte, "empreinte").strip())
            if memoire is None or memoire.certificat is None:
                raise NonTrouve("Aucun mémoire déposé ne porte cette empreinte.", champ="empreinte")
        # The stored mémoire must still be what was certified: a change made behind the
        # portal's back (in the database, in a file) breaks the check instead of being vouched
        # for.
        if memoire.empreinte_recalculee() != memoire.certificat.empreinte:
            raise EmpreinteAlteree(
                f"Les données enregistrées du mémoire n°{memoire.certificat.numero} ne "
                "correspondent plus à l'empreinte de son certificat de dépôt : le certificat ne "
                "peut pas être confirmé.",
                champ="empreinte",
            )
        return memoire.certificat
