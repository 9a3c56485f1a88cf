"""TIC account creation (seed 004): SIRET, captcha, service « TIC », option, the account
holder's and the company's data, « Finaliser l'inscription ».

One use case makes, in one unit of work, an account pending activation without password
(it chooses its password and secret question on the activation link, see
`CompteService.activer`), the company's structure with that account as gestionnaire
principal, and the activation email. The captcha follows `CompteService.inscrire`'s rules:
the form is checked first, all at once, and such a refusal leaves the captcha usable; from
the captcha on, every refusal spends it (one image, one guess of which SIRETs and emails are
registered).

The eligibility of the siège's département is part of the form: it is public information
(``GET /tic/eligibilite``), so refusing it before the captcha tells nobody anything.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

import attrs

from chorus.domain.errors import Conflit, DomainError, ValidationError
from chorus.domain.identifiants import valider_email, valider_siret
from chorus.domain.organisation import Adresse, Structure, TypeIdentifiant, TypeStructure
from chorus.domain.textes import texte_obligatoire, texte_optionnel
from chorus.domain.tic.eligibilite import Eligibilite, TypeBeneficiaire, evaluer_eligibilite
from chorus.domain.tic.eligibilite import type_beneficiaire as lire_type_beneficiaire
from chorus.domain.utilisateur import DOMAINE_COMPTES_TECHNIQUES, Utilisateur
from chorus.services.comptes import CompteService, Formulaire
from chorus.services.contexte import Ports

_T = TypeVar("_T")

SERVICE_TIC = "TIC"


class OptionInscriptionTic(enum.Enum):
    """Who signs up: the company claiming the refund, or a tiers (centre de gestion,
    comptable) filing for farmers, whose users then join the farmers' structures."""

    FOURNISSEUR_PRINCIPAL = "FOURNISSEUR_PRINCIPAL"
    TIERS_DEPOSANT = "TIERS_DEPOSANT"

    @property
    def libelle(self) -> str:
        if self is OptionInscriptionTic.FOURNISSEUR_PRINCIPAL:
            return "Fournisseur principal"
        return "Tiers déposant (centre de gestion)"


@attrs.frozen
class SaisieAdresse:
    """The siège's address as typed (checked by `Adresse.creer`)."""

    ligne1: str
    code_postal: str
    ville: str
    pays: str = "FR"
    ligne2: str | None = None


@attrs.frozen
class SaisieTitulaire:
    """The account holder as typed."""

    email: str
    nom: str
    prenom: str
    telephone: str | None = None


@attrs.frozen
class SaisieEntreprise:
    """The company as typed; `type_beneficiaire` is a `TypeBeneficiaire` code."""

    raison_sociale: str
    adresse: SaisieAdresse
    type_beneficiaire: str | None = None


@attrs.frozen
class InscriptionTic:
    """What « Finaliser l'inscription » made."""

    utilisateur: Utilisateur
    structure: Structure
    option: OptionInscriptionTic
    eligibilite: Eligibilite | None
    """The siège's eligibility for the current campagne; None for a tiers déposant, whose
    own siège does not matter (it files for the farmers' structures)."""
    type_beneficiaire: TypeBeneficiaire | None = None
    """As declared; the structure does not keep it (each demande's en-tête does)."""


def _sous(prefixe: str, lecture: Callable[[], _T]) -> _T:
    """`lecture`, its refusals placed under `prefixe` (``utilisateur.email``)."""
    try:
        return lecture()
    except ValidationError as erreur:
        raise erreur.prefixee(prefixe) from None


def _refus(message: str, champ: str) -> ValidationError:
    return ValidationError(message, champ=champ)


class InscriptionTicService:
    def __init__(self, ports: Ports, comptes: CompteService) -> None:
        self._p = ports
        self._comptes = comptes

    def inscrire(
        self,
        *,
        siret: str,
        captcha_id: str,
        captcha_reponse: str,
        service: str,
        option: str,
        utilisateur: SaisieTitulaire,
        structure: SaisieEntreprise,
    ) -> InscriptionTic:
        """« Finaliser l'inscription »: in one unit of work, the captcha spent, an account
        pending activation without password and with the activity follow-up on, the
        structure (ENTREPRISE, SIRET) whose gestionnaire principal it is with every
        habilitation, the TIC espace opened for a fournisseur principal (not for a tiers
        déposant), and the activation email queued (link valid `ReglagesComptes.duree_lien`).

        Refusals, each leaving the store as it was:
        - the form, all its faulty fields at once (`ValidationError` with ``erreurs``, champs
          as in the API body: ``siret``, ``service``, ``option``, ``utilisateur.email``,
          ``structure.adresse.code_postal``…), the siège of a fournisseur principal outside
          the current campagne's départements included; the captcha stays usable;
        - then the captcha: wrong, expired or spent → ``captcha_reponse``;
        - a SIRET already registered → `Conflit` (``siret``), an email taken → `Conflit`
          (``utilisateur.email``); from the captcha on, a refusal spends the captcha."""
        maintenant = self._p.clock.maintenant()
        formulaire = Formulaire()
        siret_propre = formulaire.lire(
            lambda: valider_siret(texte_obligatoire(siret, "siret", maximum=80), "siret")
        )
        formulaire.lire(lambda: _verifier_service(service))
        choix = formulaire.lire(lambda: _option(option))
        titulaire = self._titulaire(formulaire, utilisateur)
        raison_sociale = formulaire.lire(
            lambda: texte_obligatoire(
                structure.raison_sociale, "structure.raison_sociale", maximum=150
            )
        )
        adresse = formulaire.lire(lambda: _adresse(structure.adresse))
        beneficiaire = formulaire.lire(lambda: _type_beneficiaire(structure.type_beneficiaire))
        eligibilite: Eligibilite | None = None
        if adresse is not None and choix is OptionInscriptionTic.FOURNISSEUR_PRINCIPAL:
            eligibilite = formulaire.lire(lambda: self._eligibilite(adresse))
        formulaire.verifier()
        assert siret_propre is not None
        assert choix is not None
        assert titulaire is not None
        assert raison_sociale is not None
        assert adresse is not None

        ids = self._p.ids
        # « Le suivi d'activité est coché automatiquement » (seed 004), whatever the defaults.
        compte = titulaire.modifier(suivi_quotidien=True, suivi_hebdomadaire=True)
        entreprise = Structure.creer(
            id=ids.nouveau(),
            type_structure=TypeStructure.ENTREPRISE,
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=siret_propre,
            raison_sociale=raison_sociale,
            adresse=adresse,
            createur_id=compte.id,
            rattachement_id=ids.nouveau(),
            habilitation_ids=(ids.nouveau(), ids.nouveau()),
            maintenant=maintenant,
        )
        if choix is OptionInscriptionTic.FOURNISSEUR_PRINCIPAL:
            entreprise = entreprise.activer_espace_tic()

        try:
            with self._p.uow as uow:
                self._comptes.depenser_captcha(uow, captcha_id, captcha_reponse, maintenant)
                if uow.structures.par_identifiant(TypeIdentifiant.SIRET, siret_propre):
                    raise Conflit(
                        f"Une structure est déjà enregistrée avec le SIRET {siret_propre} : "
                        "ne créez pas de nouvelle inscription, créez un compte personnel puis "
                        "demandez votre rattachement à cette structure, que son gestionnaire "
                        "validera.",
                        champ="siret",
                    )
                if uow.utilisateurs.par_email(compte.email) is not None:
                    raise Conflit(
                        "Un compte existe déjà avec cette adresse électronique.",
                        champ="utilisateur.email",
                    )
                uow.utilisateurs.ajouter(compte)
                uow.structures.ajouter(entreprise)
                self._comptes.envoyer_activation(uow, compte, maintenant)
                uow.commit()
        except DomainError:
            if self._comptes.reglages.captcha_actif:
                self._comptes.bruler_captcha(captcha_id)
            raise
        return InscriptionTic(
            utilisateur=compte,
            structure=entreprise,
            option=choix,
            eligibilite=eligibilite,
            type_beneficiaire=beneficiaire,
        )

    def _titulaire(self, formulaire: Formulaire, saisie: SaisieTitulaire) -> Utilisateur | None:
        """The holder's account, each faulty field reported (`Utilisateur.creer` alone would
        stop at the first)."""
        email = formulaire.lire(lambda: valider_email(saisie.email, "utilisateur.email"))
        if email is not None and email.endswith(f"@{DOMAINE_COMPTES_TECHNIQUES}"):
            formulaire.refuser(
                "Cette adresse électronique est réservée aux jetons d'API.",
                "utilisateur.email",
            )
            email = None
        nom = formulaire.lire(lambda: texte_obligatoire(saisie.nom, "utilisateur.nom", maximum=80))
        prenom = formulaire.lire(
            lambda: texte_obligatoire(saisie.prenom, "utilisateur.prenom", maximum=80)
        )
        # In a tuple: an absent phone (None) is no refusal.
        telephone = formulaire.lire(
            lambda: (texte_optionnel(saisie.telephone, "utilisateur.telephone", maximum=20),)
        )
        if email is None or nom is None or prenom is None or telephone is None:
            return None
        return formulaire.lire(
            lambda: _sous(
                "utilisateur",
                lambda: Utilisateur.creer(
                    id=self._p.ids.nouveau(),
                    email=email,
                    nom=nom,
                    prenom=prenom,
                    telephone=telephone[0],
                    maintenant=self._p.clock.maintenant(),
                ),
            )
        )

    def _eligibilite(self, adresse: Adresse) -> Eligibilite:
        champ = "structure.adresse.code_postal"
        resultat = evaluer_eligibilite(
            self._p.bareme_tic.bareme(),
            adresse.code_postal,
            self._p.clock.aujourdhui().year,
            champ=champ,
        )
        if not resultat.eligible:
            raise _refus(resultat.motif or "Le siège social n'est pas éligible.", champ)
        return resultat


def _verifier_service(service: object) -> None:
    if not isinstance(service, str) or service.strip().upper() != SERVICE_TIC:
        raise _refus(
            "Cette inscription ouvre un compte du service « TIC » (remboursement de la "
            "TIC/TICGN) : choisissez « Service TIC ». Pour un autre service, créez votre "
            "compte depuis l'inscription générale.",
            "service",
        )


def _option(option: object) -> OptionInscriptionTic:
    try:
        return OptionInscriptionTic(option.strip().upper() if isinstance(option, str) else option)
    except ValueError:
        choix = ", ".join(f"{o.value} ({o.libelle})" for o in OptionInscriptionTic)
        raise _refus(f"Choisissez l'option de l'inscription parmi : {choix}.", "option") from None


def _adresse(saisie: SaisieAdresse) -> Adresse:
    champ = "structure.adresse"
    adresse = Adresse.creer(
        ligne1=saisie.ligne1,
        ligne2=saisie.ligne2,
        code_postal=saisie.code_postal,
        ville=saisie.ville,
        pays=saisie.pays,
        champ=champ,
    )
    if adresse.pays != "FR":
        # A SIRET numbers an establishment in France; the refund follows the French siège.
        raise _refus(
            "Une entreprise identifiée par un SIRET a son siège en France : le pays est FR.",
            f"{champ}.pays",
        )
    return adresse


def _type_beneficiaire(code: str | None) -> TypeBeneficiaire | None:
    if isinstance(code, str):
        code = code.strip().upper() or None
    if code is None:
        return None
    return lire_type_beneficiaire(code, "structure.type_beneficiaire")
