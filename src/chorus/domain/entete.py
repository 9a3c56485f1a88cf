"""The header of a mémoire: who files it, to which court, under which TVA rules."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from chorus.domain.errors import ValidationError
from chorus.domain.montants import ZERO, valider_euros
from chorus.domain.textes import texte_obligatoire, texte_optionnel

MOTIF_EXONERATION_PAR_DEFAUT = "TVA non applicable, art. 293 B du CGI"


class TypeTva(enum.Enum):
    TVA_SUR_DEBITS = "TVA_SUR_DEBITS"
    TVA_SUR_ENCAISSEMENTS = "TVA_SUR_ENCAISSEMENTS"
    EXONERATION = "EXONERATION"
    SANS_TVA = "SANS_TVA"

    @property
    def libelle(self) -> str:
        return {
            TypeTva.TVA_SUR_DEBITS: "TVA sur les débits",
            TypeTva.TVA_SUR_ENCAISSEMENTS: "TVA sur les encaissements",
            TypeTva.EXONERATION: "Exonération",
            TypeTva.SANS_TVA: "Sans TVA",
        }[self]

    @property
    def sans_taxe(self) -> bool:
        """With these two, every line's rate is 0 and a motif d'exonération is shown."""
        return self in (TypeTva.EXONERATION, TypeTva.SANS_TVA)


class ModeDepot(enum.Enum):
    PORTAIL = "PORTAIL"
    API = "API"
    FLUX = "FLUX"


DEVISES = frozenset({"EUR"})


@attrs.frozen
class EnTete:
    """The header of a mémoire: who files it, to which court, under which rules."""

    structure_id: str
    juridiction_code: str
    texte_reference: str
    type_tva: TypeTva
    devise: str = "EUR"
    service_id: str | None = None
    coordonnee_bancaire_id: str | None = None
    categorie_prestataire: str | None = None
    numero_facture: str | None = None
    numero_engagement_juridique: str | None = None
    commentaire: str | None = None
    motif_exoneration: str | None = None
    remise_globale_ttc: Decimal = ZERO

    @staticmethod
    def creer(
        *,
        structure_id: str,
        juridiction_code: str,
        texte_reference: str,
        type_tva: TypeTva,
        devise: str = "EUR",
        service_id: str | None = None,
        coordonnee_bancaire_id: str | None = None,
        categorie_prestataire: str | None = None,
        numero_facture: str | None = None,
        numero_engagement_juridique: str | None = None,
        commentaire: str | None = None,
        motif_exoneration: str | None = None,
        remise_globale_ttc: Decimal | int | str = ZERO,
    ) -> EnTete:
        """A checked header; référentiel codes are checked by the use case."""
        code_devise = texte_obligatoire(devise, "devise", maximum=3).upper()
        if code_devise not in DEVISES:
            raise ValidationError(
                f"La devise {code_devise} n'est pas acceptée : les mémoires se déposent en EUR.",
                champ="devise",
            )
        return EnTete(
            structure_id=texte_obligatoire(structure_id, "structure_id", maximum=64),
            juridiction_code=texte_obligatoire(juridiction_code, "juridiction_code", maximum=30),
            texte_reference=texte_obligatoire(texte_reference, "texte_reference", maximum=30),
            type_tva=type_tva,
            devise=code_devise,
            service_id=texte_optionnel(service_id, "service_id", maximum=64),
            coordonnee_bancaire_id=texte_optionnel(
                coordonnee_bancaire_id, "coordonnee_bancaire_id", maximum=64
            ),
            categorie_prestataire=texte_optionnel(
                categorie_prestataire, "categorie_prestataire", maximum=50
            ),
            numero_facture=texte_optionnel(numero_facture, "numero_facture", maximum=50),
            numero_engagement_juridique=texte_optionnel(
                numero_engagement_juridique, "numero_engagement_juridique", maximum=50
            ),
            commentaire=texte_optionnel(commentaire, "commentaire", maximum=2000),
            motif_exoneration=texte_optionnel(motif_exoneration, "motif_exoneration", maximum=200),
            remise_globale_ttc=valider_euros(remise_globale_ttc, "remise_globale_ttc"),
        )

    @property
    def mention_tva(self) -> str | None:
        """The mention printed for a mémoire without TVA (art. 293 B by default)."""
        if not self.type_tva.sans_taxe:
            return None
        return self.motif_exoneration or MOTIF_EXONERATION_PAR_DEFAUT
