"""Who may claim the refund: the beneficiary types, and the départements of the campaign.

A campagne is named by the year it opens (the 2016 campagne takes deliveries of 2015 and
earlier). During the pilot only some départements took part; from the 2018 campagne every
metropolitan one does. The TICPE and the TICGN do not apply in the overseas départements
(which have their own taxe spéciale de consommation), so an overseas siège is never
eligible. The set per campagne is a dated parameter (`BaremeTic.departements`).
"""

from __future__ import annotations

import enum

import attrs

from chorus.domain.errors import ValidationError
from chorus.domain.identifiants import departement_du_code_postal
from chorus.domain.tic.bareme import BaremeTic, TousDepartements


class TypeBeneficiaire(enum.Enum):
    """The applicants the law names (art. 32 LF 2014, L. 722-1 to L. 722-3 CRPM)."""

    EXPLOITANT_AGRICOLE = "EXPLOITANT_AGRICOLE"
    SOCIETE_AGRICOLE = "SOCIETE_AGRICOLE"
    ENTREPRISE_TRAVAUX_AGRICOLES = "ENTREPRISE_TRAVAUX_AGRICOLES"
    EXPLOITATION_CONCHYLICOLE = "EXPLOITATION_CONCHYLICOLE"
    EXPLOITATION_PISCICOLE = "EXPLOITATION_PISCICOLE"
    EXPLOITATION_FORESTIERE = "EXPLOITATION_FORESTIERE"
    CUMA = "CUMA"

    @property
    def libelle(self) -> str:
        return {
            TypeBeneficiaire.EXPLOITANT_AGRICOLE: "Exploitant agricole (à titre individuel)",
            TypeBeneficiaire.SOCIETE_AGRICOLE: "Société agricole (EARL, GAEC, SCEA…)",
            TypeBeneficiaire.ENTREPRISE_TRAVAUX_AGRICOLES: (
                "Entreprise de travaux agricoles ou forestiers (ETA, ETF)"
            ),
            TypeBeneficiaire.EXPLOITATION_CONCHYLICOLE: "Exploitation conchylicole",
            TypeBeneficiaire.EXPLOITATION_PISCICOLE: "Exploitation piscicole",
            TypeBeneficiaire.EXPLOITATION_FORESTIERE: "Exploitation forestière",
            TypeBeneficiaire.CUMA: "Coopérative d'utilisation de matériel agricole (CUMA)",
        }[self]


def type_beneficiaire(code: object, champ: str = "type_beneficiaire") -> TypeBeneficiaire:
    try:
        return TypeBeneficiaire(code)
    except ValueError:
        codes = ", ".join(t.value for t in TypeBeneficiaire)
        raise ValidationError(
            f"Type de bénéficiaire inconnu « {code} » : les types sont {codes}.", champ=champ
        ) from None


_OUTRE_MER = frozenset({"971", "972", "973", "974", "975", "976", "986", "987", "988"})


@attrs.frozen
class Eligibilite:
    """The answer for one siège and one campagne; `motif` says why when not eligible."""

    campagne: int
    departement: str
    eligible: bool
    motif: str | None = None


def evaluer_eligibilite(
    bareme: BaremeTic, code_postal: str, campagne: int, *, champ: str = "code_postal"
) -> Eligibilite:
    """Whether a siège social at `code_postal` may file in `campagne`; a malformed postal
    code is refused (`ValidationError` on `champ`), an ineligible one answered with its
    motif."""
    departement = departement_du_code_postal(code_postal, champ)
    if departement in _OUTRE_MER:
        return Eligibilite(
            campagne,
            departement,
            False,
            f"Le siège social est outre-mer (département {departement}) : la TICPE et la TICGN "
            "ne s'y appliquent pas, il n'y a donc rien à rembourser.",
        )
    participants = bareme.departements_de_la_campagne(campagne)
    if participants is None:
        return Eligibilite(
            campagne,
            departement,
            False,
            f"Aucune campagne de remboursement TIC/TICGN n'est ouverte sur le portail pour "
            f"{campagne}.",
        )
    if participants is TousDepartements.METROPOLE or departement in participants:
        return Eligibilite(campagne, departement, True)
    liste = ", ".join(sorted(participants))
    return Eligibilite(
        campagne,
        departement,
        False,
        f"Le département {departement} du siège social ne participe pas à la campagne "
        f"{campagne} de remboursement dématérialisé (départements participants : {liste}).",
    )
