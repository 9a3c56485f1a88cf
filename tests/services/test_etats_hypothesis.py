"""Random sequences of use cases on mémoires, checked against a model of DESIGN §3.2.

A hypothesis state machine drives the services of a fresh `construire_monde()` per run:
drafts are created, edited, given pièces, sent (with or without the attestation), deleted,
duplicated, abandoned, completed, and the back office applies its events — allowed or not,
by the right agent or not, with sound or excessive amounts — and replays earlier ones.

The model keeps each mémoire's expected status (from `statuts.TRANSITIONS`, the table of
DESIGN §3.2) and predicts, for every call, either success or the precise refusal. After
every step it checks that:

(a) a refused call raised exactly the expected `DomainError` class and left the stored
    mémoire as it was (same version, ``==``);
(b) an allowed call landed in the expected status, one version further;
(c) once sent, a mémoire's numero, en-tête, lignes, pièces and certificate never change, and
    any mémoire's history only grows (what was seen before is a prefix);
(d) MJ numbers are distinct and consecutive from MJ00000000001, draft numbers distinct, and
    no number ever belonged to two mémoires (deleted drafts included);
(e) every line's amounts follow the formula and the totals are the sums of the lines.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.domain.errors import (
    AccesRefuse,
    Conflit,
    DomainError,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.lignes import LigneDePrestation, SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.numerotation import numero_definitif
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import TRANSITIONS, Intervenant, StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Tri
from tests.monde import AUJOURDHUI, PDF, PNG, Monde, construire_monde

S = StatutMemoire
A = ActionTraitement
CENTIME = Decimal("0.01")
T = TypeVar("T")

# Who acts for the prestataire; the valid ones come more often.
PRESTATAIRES = (
    "gestionnaire",
    "gestionnaire",
    "gestionnaire",
    "gestionnaire",
    "modificateur",
    "service_psy",
    "consultant",
    "sans_habilitation",
    "etranger",
)
# Which back-office agent sends an event: the one whose role it is, the other role, or an
# agent of another juridiction.
AGENTS = ("le bon", "le bon", "le bon", "l'autre role", "d'ailleurs")

Attendu = type[DomainError] | None


def _arrondi(montant: Decimal) -> Decimal:
    return montant.quantize(CENTIME, rounding=ROUND_HALF_UP)


def _decimaux(maximum: str, minimum: str = "0") -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(minimum),
        max_value=Decimal(maximum),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def saisies(draw: st.DrawFn) -> SaisieLigne:
    """A valid line as a prestataire types it (amounts as text or as Decimal)."""
    prestation = AUJOURDHUI - timedelta(days=draw(st.integers(0, 300)))
    texte_ou_decimal = st.sampled_from((str, lambda d: d))
    ecrire: Callable[[Decimal], Decimal | str] = draw(texte_ou_decimal)
    return SaisieLigne(
        numero_affaire=draw(st.sampled_from(("PARQUET-24-001", "PARQUET-24-002", "JI-2024/7"))),
        date_requisition=prestation - timedelta(days=draw(st.integers(0, 30))),
        autorite_requerante=draw(
            st.sampled_from(("PROCUREUR_REPUBLIQUE", "OFFICIER_POLICE_JUDICIAIRE"))
        ),
        type_prestation="EXPERTISE_PSYCHIATRIQUE",
        date_prestation=prestation,
        quantite=ecrire(draw(_decimaux("20", "0.01"))),
        tarif_ht=ecrire(draw(_decimaux("999.99"))),
        taux_tva=draw(st.sampled_from(("20", "10", "5.5", "2.1", "0"))),
        frais_divers=tuple(
            (libelle, ecrire(montant))
            for libelle, montant in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(("Déplacement", "Affranchissement", "Péage")),
                        _decimaux("200"),
                    ),
                    max_size=2,
                )
            )
        ),
        debours=ecrire(draw(_decimaux("50"))),
    )


def _verifier_ligne(ligne: LigneDePrestation) -> None:
    """(e) for one line: base HT, TVA and TTC by the formula of DESIGN §3.2."""
    frais = sum((f.montant_ht for f in ligne.frais_divers), Decimal(0))
    base = _arrondi(ligne.quantite * ligne.tarif_ht) + frais
    tva = _arrondi(base * ligne.taux_tva.value / 100)
    assert ligne.montant_ht == base
    assert ligne.montant_tva == tva
    assert ligne.montant_ttc == base + tva + ligne.debours


def _verifier_totaux(memoire: Memoire) -> None:
    """(e) for one mémoire: its totals are the sums of its lines."""
    lignes = memoire.lignes
    for ligne in lignes:
        _verifier_ligne(ligne)
    totaux = memoire.totaux
    assert totaux.montant_ht == sum((x.montant_ht for x in lignes), Decimal(0))
    assert totaux.montant_tva == sum((x.montant_tva for x in lignes), Decimal(0))
    assert totaux.montant_debours == sum((x.debours for x in lignes), Decimal(0))
    assert totaux.montant_ttc == sum((x.montant_ttc for x in lignes), Decimal(0))
    assert totaux.net_a_payer == totaux.montant_ttc - memoire.entete.remise_globale_ttc
    assert sum((r.base_ht for r in totaux.recapitulatif_tva), Decimal(0)) == totaux.montant_ht
    for recap in totaux.recapitulatif_tva:
        du_taux = [x for x in lignes if x.taux_tva is recap.taux]
        assert recap.base_ht == sum((x.montant_ht for x in du_taux), Decimal(0))
        assert recap.montant_tva == sum((x.montant_tva for x in du_taux), Decimal(0))
    if memoire.certificat is not None:
        assert memoire.certificat.net_a_payer == totaux.net_a_payer
        assert memoire.certificat.montant_tva == totaux.montant_tva


def _transition_permise(depuis: StatutMemoire, vers: StatutMemoire) -> bool:
    regle = TRANSITIONS.get(vers)
    return regle is not None and depuis in regle[0]


def test_la_table_des_transitions_est_celle_du_design() -> None:
    """The model trusts `TRANSITIONS`: check it against DESIGN §3.2, row by row."""
    P, AC, SC, C = (  # noqa: N806
        Intervenant.PRESTATAIRE,
        Intervenant.ACHEMINEMENT,
        Intervenant.SERVICE_CENTRALISATEUR,
        Intervenant.COMPTABLE,
    )
    assert {vers: (set(depuis), qui) for vers, (depuis, qui) in TRANSITIONS.items()} == {
        S.ENVOYE: ({S.BROUILLON}, P),
        S.MIS_A_DISPOSITION: ({S.ENVOYE}, AC),
        S.SUSPENDU: ({S.MIS_A_DISPOSITION, S.COMPLETE}, SC),
        S.COMPLETE: ({S.SUSPENDU}, P),
        S.CERTIFIE: ({S.MIS_A_DISPOSITION, S.COMPLETE}, SC),
        S.REFUSE: ({S.MIS_A_DISPOSITION, S.SUSPENDU, S.COMPLETE}, SC),
        S.MIS_EN_PAIEMENT: ({S.CERTIFIE}, C),
        S.ABANDONNE: ({S.REFUSE}, P),
        S.DUPLIQUE_POST_REFUS: ({S.REFUSE}, P),
    }


class CycleDeVie(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.monde = self.construire()
        self.chorus = self.monde.chorus
        # the model: expected status of every live mémoire; deleted ones
        self.statuts: dict[str, StatutMemoire] = {}
        self.supprimes: set[str] = set()
        # (c) what each mémoire was when sent, and when last seen
        self.envoyes: dict[str, Memoire] = {}
        self.vus: dict[str, Memoire] = {}
        # (d) every number ever given, to whom; MJ numbers in the order they were given
        self.numeros: dict[str, str] = {}
        self.numeros_mj: list[str] = []
        # events applied (for replays), and a counter for fresh references
        self.appliques: list[tuple[str, EvenementTraitement]] = []
        self.references = 0

    # -- helpers -------------------------------------------------------------------------

    def _utilisateur(self, nom: str) -> Utilisateur:
        utilisateur = getattr(self.monde, nom)
        assert isinstance(utilisateur, Utilisateur)
        return utilisateur

    def _stocke(self, memoire_id: str) -> Memoire | None:
        with self.chorus.ports.uow as uow:
            try:
                return uow.memoires.obtenir(memoire_id)
            except NonTrouve:
                return None

    def _tous_stockes(self) -> dict[str, Memoire]:
        with self.chorus.ports.uow as uow:
            resumes = uow.requetes.tous(CriteresMemoire(filtres=FiltresMemoire()), Tri())
            return {r.id: uow.memoires.obtenir(r.id) for r in resumes}

    def _acces(self, acteur: str, service_id: str | None) -> Attendu:
        """The refusal a prestataire's MODIFICATION use case gives `acteur`, if any."""
        if acteur in ("gestionnaire", "modificateur"):
            return None
        if acteur == "service_psy":
            return None if service_id == self.monde.psy_id else AccesRefuse
        if acteur in ("consultant", "sans_habilitation"):
            return AccesRefuse
        return NonTrouve  # not a member of the structure: it does not exist for them

    def _appeler(self, attendu: Attendu, appel: Callable[[], T]) -> T | None:
        """Run `appel`: it must succeed when nothing is expected, else raise exactly the
        expected class (not merely a subclass or a parent of it)."""
        if attendu is None:
            return appel()
        with pytest.raises(DomainError) as erreur:
            appel()
        assert type(erreur.value) is attendu, (
            f"{type(erreur.value).__name__} ({erreur.value}) au lieu de {attendu.__name__}"
        )
        return None

    def _inchange(self, memoire_id: str, avant: Memoire | None) -> None:
        """(a) a refusal leaves the stored mémoire as it was."""
        apres = self._stocke(memoire_id)
        assert apres == avant
        if apres is not None and avant is not None:
            assert apres.version == avant.version

    def _choisir(self, data: st.DataObject, *favorables: StatutMemoire) -> str:
        """A mémoire to act on: mostly one in a status where the action makes sense, else
        any live one, now and then a deleted one."""
        tirage = data.draw(st.integers(0, 9), label="choix du mémoire")
        if (tirage == 0 and self.supprimes) or not self.statuts:
            return data.draw(st.sampled_from(sorted(self.supprimes)), label="mémoire supprimé")
        propices = sorted(id for id, statut in self.statuts.items() if statut in favorables)
        if tirage >= 4 and propices:
            return data.draw(st.sampled_from(propices), label="mémoire propice")
        return data.draw(st.sampled_from(sorted(self.statuts)), label="mémoire")

    def _modification(
        self,
        memoire_id: str,
        acteur: str,
        regle: Callable[[Memoire], Attendu],
        appel: Callable[[], Memoire | object],
    ) -> tuple[Memoire | None, Memoire | None]:
        """Run a prestataire's use case on a mémoire: the expected refusal is NonTrouve for
        a deleted one, then the access rule, then `regle`. Returns (before, after) on
        success, after checking the version moved by one; (before, None) on refusal."""
        avant = self._stocke(memoire_id)
        if avant is None:
            attendu: Attendu = NonTrouve
        else:
            attendu = self._acces(acteur, avant.entete.service_id) or regle(avant)
        if attendu is not None:
            self._appeler(attendu, appel)
            self._inchange(memoire_id, avant)
            return avant, None
        appel()
        apres = self._stocke(memoire_id)
        assert avant is not None
        assert apres is not None
        assert apres.version == avant.version + 1
        return avant, apres

    def _observer_numero(self, memoire: Memoire) -> None:
        for numero in (memoire.numero, memoire.numero_brouillon):
            if numero is not None:
                assert self.numeros.setdefault(numero, memoire.id) == memoire.id, (
                    f"le numéro {numero} a servi à deux mémoires"
                )

    # -- the draft -----------------------------------------------------------------------

    @initialize(lignes=st.lists(saisies(), min_size=1, max_size=2), combien=st.integers(0, 3))
    def quelques_memoires_envoyes(self, lignes: list[SaisieLigne], combien: int) -> None:
        """Start with a few sent mémoires, so that the back office has work from step one."""
        qui = self.monde.gestionnaire.id
        for _ in range(combien):
            memoire = self.chorus.memoires.creer(qui, self.monde.entete())
            for saisie in lignes:
                memoire = self.chorus.memoires.ajouter_ligne(qui, memoire.id, saisie)
            self.statuts[memoire.id] = S.BROUILLON
            if memoire.totaux.net_a_payer > 0:
                envoye = self.chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)
                self.numeros_mj.append(envoye.numero)
                self.statuts[memoire.id] = S.ENVOYE
                self.envoyes[memoire.id] = envoye

    @rule(
        acteur=st.sampled_from(PRESTATAIRES),
        avec_service=st.booleans(),
        lignes=st.lists(saisies(), max_size=2),
    )
    def creer_brouillon(self, acteur: str, avec_service: bool, lignes: list[SaisieLigne]) -> None:
        """Create a draft, and type its first lines (each an `ajouter_ligne` use case)."""
        service_id = self.monde.psy_id if avec_service else None
        qui = self._utilisateur(acteur)
        attendu = self._acces(acteur, service_id)
        avant = set(self._tous_stockes())
        cree = self._appeler(
            attendu,
            lambda: self.chorus.memoires.creer(qui.id, self.monde.entete(service_id=service_id)),
        )
        if cree is None:
            assert set(self._tous_stockes()) == avant
            return
        assert cree.statut is S.BROUILLON
        assert cree.numero.startswith("TMP2024")
        assert cree.numero_brouillon == cree.numero
        assert cree.id not in avant
        assert self._stocke(cree.id) == cree
        self.statuts[cree.id] = S.BROUILLON
        for numero, saisie in enumerate(lignes, start=1):
            avec = self.chorus.memoires.ajouter_ligne(qui.id, cree.id, saisie)
            assert avec.lignes[-1] == saisie.en_ligne(numero, AUJOURDHUI)
            assert avec.version == numero

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(data=st.data(), acteur=st.sampled_from(PRESTATAIRES), saisie=saisies())
    def ajouter_ligne(self, data: st.DataObject, acteur: str, saisie: SaisieLigne) -> None:
        memoire_id = self._choisir(data)
        qui = self._utilisateur(acteur)

        def regle(m: Memoire) -> Attendu:
            return None if m.statut is S.BROUILLON else TransitionInvalide

        avant, apres = self._modification(
            memoire_id,
            acteur,
            regle,
            lambda: self.chorus.memoires.ajouter_ligne(qui.id, memoire_id, saisie),
        )
        if apres is None:
            return
        assert avant is not None
        assert apres.lignes[:-1] == avant.lignes
        nouvelle = apres.lignes[-1]
        assert nouvelle.numero_ligne == avant.prochain_numero_ligne()
        assert nouvelle == saisie.en_ligne(nouvelle.numero_ligne, AUJOURDHUI)

    def _numero_de_ligne(self, data: st.DataObject, memoire_id: str) -> int:
        """An existing line of the mémoire, or now and then one it does not have."""
        memoire = self._stocke(memoire_id)
        existants = [x.numero_ligne for x in memoire.lignes] if memoire is not None else []
        return data.draw(st.sampled_from([*existants, *existants, 99]))

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(data=st.data(), acteur=st.sampled_from(PRESTATAIRES), saisie=saisies())
    def modifier_ligne(self, data: st.DataObject, acteur: str, saisie: SaisieLigne) -> None:
        memoire_id = self._choisir(data, S.BROUILLON)
        numero = self._numero_de_ligne(data, memoire_id)
        qui = self._utilisateur(acteur)

        def regle(m: Memoire) -> Attendu:
            if m.statut is not S.BROUILLON:
                return TransitionInvalide
            if numero not in {x.numero_ligne for x in m.lignes}:
                return NonTrouve
            return None

        avant, apres = self._modification(
            memoire_id,
            acteur,
            regle,
            lambda: self.chorus.memoires.modifier_ligne(qui.id, memoire_id, numero, saisie),
        )
        if apres is None:
            return
        assert avant is not None
        assert [x.numero_ligne for x in apres.lignes] == [x.numero_ligne for x in avant.lignes]
        assert apres.ligne(numero) == saisie.en_ligne(numero, AUJOURDHUI)
        assert [x for x in apres.lignes if x.numero_ligne != numero] == [
            x for x in avant.lignes if x.numero_ligne != numero
        ]

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(data=st.data(), acteur=st.sampled_from(PRESTATAIRES))
    def supprimer_ligne(self, data: st.DataObject, acteur: str) -> None:
        memoire_id = self._choisir(data, S.BROUILLON)
        numero = self._numero_de_ligne(data, memoire_id)
        qui = self._utilisateur(acteur)

        def regle(m: Memoire) -> Attendu:
            if m.statut is not S.BROUILLON:
                return TransitionInvalide
            if numero not in {x.numero_ligne for x in m.lignes}:
                return NonTrouve
            return None

        avant, apres = self._modification(
            memoire_id,
            acteur,
            regle,
            lambda: self.chorus.memoires.supprimer_ligne(qui.id, memoire_id, numero),
        )
        if apres is None:
            return
        assert avant is not None
        assert apres.lignes == tuple(x for x in avant.lignes if x.numero_ligne != numero)
        # Its pièces stay, attached to the whole mémoire.
        assert [p.id for p in apres.pieces] == [p.id for p in avant.pieces]
        assert all(p.numero_ligne != numero for p in apres.pieces)

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(
        data=st.data(),
        acteur=st.sampled_from(PRESTATAIRES),
        sur_une_ligne=st.booleans(),
        contenu=st.sampled_from((PDF, PNG)),
        type_piece=st.sampled_from(
            (TypePiece.REQUISITION, TypePiece.ATTESTATION_SERVICE_FAIT, TypePiece.AUTRE)
        ),
    )
    def joindre_piece(
        self,
        data: st.DataObject,
        acteur: str,
        sur_une_ligne: bool,
        contenu: bytes,
        type_piece: TypePiece,
    ) -> None:
        memoire_id = self._choisir(data, S.BROUILLON, S.SUSPENDU)
        numero = self._numero_de_ligne(data, memoire_id) if sur_une_ligne else None
        qui = self._utilisateur(acteur)

        def regle(m: Memoire) -> Attendu:
            # A draft takes pièces; a suspended mémoire takes complements; nothing else.
            if m.statut not in (S.BROUILLON, S.SUSPENDU):
                return TransitionInvalide
            if numero is not None and numero not in {x.numero_ligne for x in m.lignes}:
                return ValidationError
            return None

        avant, apres = self._modification(
            memoire_id,
            acteur,
            regle,
            lambda: self.chorus.memoires.joindre_piece(
                qui.id,
                memoire_id,
                contenu=contenu,
                nom_fichier="piece.png" if contenu == PNG else "piece.pdf",
                type_piece=type_piece,
                numero_ligne=numero,
            ),
        )
        if apres is None:
            return
        assert avant is not None
        if avant.statut is S.SUSPENDU:
            assert apres.pieces == avant.pieces
            ajoutees = apres.pieces_complementaires[len(avant.pieces_complementaires) :]
            assert apres.pieces_complementaires[: len(avant.pieces_complementaires)] == (
                avant.pieces_complementaires
            )
        else:
            ajoutees = apres.pieces[len(avant.pieces) :]
            assert apres.pieces[: len(avant.pieces)] == avant.pieces
        assert len(ajoutees) == 1
        assert (ajoutees[0].numero_ligne, ajoutees[0].type_piece) == (numero, type_piece)
        assert self.chorus.ports.blobs.lire(ajoutees[0].sha256) == contenu

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(
        data=st.data(),
        acteur=st.sampled_from(PRESTATAIRES),
        attestation=st.sampled_from((True, True, True, False)),
    )
    def envoyer(self, data: st.DataObject, acteur: str, attestation: bool) -> None:
        memoire_id = self._choisir(data, S.BROUILLON)
        qui = self._utilisateur(acteur)

        def regle(m: Memoire) -> Attendu:
            if m.statut is not S.BROUILLON:
                return TransitionInvalide
            if not attestation or not m.lignes or m.totaux.net_a_payer <= 0:
                return ValidationError
            return None

        avant, apres = self._modification(
            memoire_id,
            acteur,
            regle,
            lambda: self.chorus.memoires.envoyer(
                qui.id, memoire_id, attestation_sur_honneur=attestation
            ),
        )
        if apres is None:
            return
        assert avant is not None
        assert apres.statut is S.ENVOYE
        self.numeros_mj.append(apres.numero)
        assert apres.numero == numero_definitif(len(self.numeros_mj))
        assert apres.numero_brouillon == avant.numero
        assert apres.entete == avant.entete
        assert apres.lignes == avant.lignes
        assert apres.pieces[: len(avant.pieces)] == avant.pieces
        assert [p.type_piece for p in apres.pieces[len(avant.pieces) :]] in (
            [],
            [TypePiece.COORDONNEE_BANCAIRE],
        )
        assert apres.certificat is not None
        assert apres.certificat.numero == apres.numero
        assert apres.historique[:-1] == avant.historique
        self.statuts[memoire_id] = S.ENVOYE
        self.envoyes[memoire_id] = apres

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(data=st.data(), acteur=st.sampled_from(PRESTATAIRES))
    def supprimer_brouillon(self, data: st.DataObject, acteur: str) -> None:
        memoire_id = self._choisir(data, S.BROUILLON)
        qui = self._utilisateur(acteur)
        avant = self._stocke(memoire_id)
        if avant is None:
            attendu: Attendu = NonTrouve
        else:
            attendu = self._acces(acteur, avant.entete.service_id) or (
                None if avant.statut is S.BROUILLON else TransitionInvalide
            )
        self._appeler(attendu, lambda: self.chorus.memoires.supprimer(qui.id, memoire_id))
        if attendu is not None:
            self._inchange(memoire_id, avant)
            return
        assert self._stocke(memoire_id) is None
        del self.statuts[memoire_id]
        self.supprimes.add(memoire_id)

    # -- after sending -------------------------------------------------------------------

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(data=st.data(), acteur=st.sampled_from(PRESTATAIRES))
    def dupliquer(self, data: st.DataObject, acteur: str) -> None:
        memoire_id = self._choisir(data, S.REFUSE)
        qui = self._utilisateur(acteur)
        avant = self._stocke(memoire_id)
        tous_avant = set(self._tous_stockes())
        attendu = NonTrouve if avant is None else self._acces(acteur, avant.entete.service_id)
        copie = self._appeler(attendu, lambda: self.chorus.memoires.dupliquer(qui.id, memoire_id))
        if copie is None:
            self._inchange(memoire_id, avant)
            assert set(self._tous_stockes()) == tous_avant
            return
        assert avant is not None
        assert copie.id not in tous_avant
        assert self._stocke(copie.id) == copie
        assert (copie.statut, copie.parent_id, copie.version) == (S.BROUILLON, avant.id, 0)
        assert copie.numero.startswith("TMP2024")
        assert copie.entete == avant.entete
        assert copie.lignes == avant.lignes
        assert [(p.sha256, p.type_piece, p.numero_ligne) for p in copie.pieces] == [
            (p.sha256, p.type_piece, p.numero_ligne) for p in avant.pieces_a_dupliquer()
        ]
        assert copie.certificat is None
        self.statuts[copie.id] = S.BROUILLON
        original = self._stocke(memoire_id)
        assert original is not None
        if avant.statut is S.REFUSE:
            assert original.statut is S.DUPLIQUE_POST_REFUS
            assert original.version == avant.version + 1
            assert original.historique[:-1] == avant.historique
            self.statuts[memoire_id] = S.DUPLIQUE_POST_REFUS
        else:
            assert original == avant

    def _changer_de_statut(
        self,
        data: st.DataObject,
        acteur: str,
        vers: StatutMemoire,
        appel: Callable[[str, str], Memoire],
    ) -> None:
        """A prestataire's status change (abandon, complete): allowed by the table only."""
        memoire_id = self._choisir(data, *TRANSITIONS[vers][0])
        qui = self._utilisateur(acteur)

        def regle(m: Memoire) -> Attendu:
            return None if _transition_permise(m.statut, vers) else TransitionInvalide

        avant, apres = self._modification(
            memoire_id, acteur, regle, lambda: appel(qui.id, memoire_id)
        )
        if apres is None:
            return
        assert avant is not None
        assert apres.statut is vers
        assert apres.historique[:-1] == avant.historique
        assert apres.historique[-1].intervenant is Intervenant.PRESTATAIRE
        self.statuts[memoire_id] = vers

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(data=st.data(), acteur=st.sampled_from(PRESTATAIRES))
    def abandonner(self, data: st.DataObject, acteur: str) -> None:
        self._changer_de_statut(data, acteur, S.ABANDONNE, self.chorus.memoires.abandonner)

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(
        data=st.data(),
        acteur=st.sampled_from(PRESTATAIRES),
        commentaire=st.sampled_from(("Voici l'attestation.", "Pièce ajoutée ; merci.")),
    )
    def completer(self, data: st.DataObject, acteur: str, commentaire: str) -> None:
        self._changer_de_statut(
            data,
            acteur,
            S.COMPLETE,
            lambda qui, memoire_id: self.chorus.memoires.completer(
                qui, memoire_id, commentaire=commentaire
            ),
        )

    # -- the back office -----------------------------------------------------------------

    def _agent(self, action: ActionTraitement, choix: str) -> Utilisateur:
        paiement = action is A.MISE_EN_PAIEMENT
        if choix == "le bon":
            return self.monde.comptable if paiement else self.monde.agent
        if choix == "l'autre role":
            return self.monde.agent if paiement else self.monde.comptable
        return self.monde.agent_ailleurs

    def _refus_avant_traitement(
        self, avant: Memoire | None, agent: Utilisateur, action: A
    ) -> Attendu:
        """What the back office refuses before looking at the event itself."""
        if avant is None or avant.statut is S.BROUILLON:
            return NonTrouve  # a draft was never transmitted: agents do not know it
        if agent.juridictions and avant.entete.juridiction_code not in agent.juridictions:
            return NonTrouve
        if (agent is self.monde.comptable) != (action is A.MISE_EN_PAIEMENT):
            return AccesRefuse
        return None

    @precondition(lambda self: bool(self.statuts) or bool(self.supprimes))
    @rule(
        data=st.data(),
        action=st.sampled_from(ActionTraitement),
        choix_agent=st.sampled_from(AGENTS),
        montant=st.sampled_from(("aucun", "aucun", "valide", "excessif")),
        avec_motif=st.booleans(),
    )
    def evenement(
        self,
        data: st.DataObject,
        action: ActionTraitement,
        choix_agent: str,
        montant: str,
        avec_motif: bool,
    ) -> None:
        """Any event, on any mémoire, by any agent: allowed or not."""
        memoire_id = self._choisir(data, *(set(S) - {S.BROUILLON}))
        self._traiter(memoire_id, action, self._agent(action, choix_agent), montant, avec_motif)

    @precondition(
        lambda self: any(
            _transition_permise(statut, action.statut)
            for statut in self.statuts.values()
            for action in ActionTraitement
        )
    )
    @rule(
        data=st.data(),
        montant=st.sampled_from(("aucun", "aucun", "valide", "excessif")),
        avec_motif=st.booleans(),
        combien=st.integers(1, 2),
    )
    def evenement_permis(
        self, data: st.DataObject, montant: str, avec_motif: bool, combien: int
    ) -> None:
        """Up to `combien` events the table allows, one after the other on one mémoire, by
        the right agent, so that runs reach every status."""
        memoire_id = data.draw(
            st.sampled_from(
                sorted(
                    memoire_id
                    for memoire_id, statut in self.statuts.items()
                    if any(_transition_permise(statut, a.statut) for a in ActionTraitement)
                )
            )
        )
        for _ in range(combien):
            actions = [
                a
                for a in ActionTraitement
                if _transition_permise(self.statuts[memoire_id], a.statut)
            ]
            if not actions:
                return
            action = data.draw(st.sampled_from(actions))
            self._traiter(memoire_id, action, self._agent(action, "le bon"), montant, avec_motif)

    def _traiter(
        self,
        memoire_id: str,
        action: ActionTraitement,
        agent: Utilisateur,
        montant: str,
        avec_motif: bool,
    ) -> None:
        avant = self._stocke(memoire_id)
        # The amount, and whether it breaks its own rule (certified ≤ asked, paid ≤ certified).
        valeur: Decimal | None = None
        if avant is not None and action in (A.CERTIFICATION, A.MISE_EN_PAIEMENT):
            plafond = (
                avant.totaux.net_a_payer
                if action is A.CERTIFICATION
                else (avant.montant_certifie or Decimal("0.00"))
            )
            if montant == "valide":
                valeur = _arrondi(plafond * Decimal("0.9"))
            elif montant == "excessif":
                valeur = plafond + CENTIME
        montant_refuse = valeur is not None and montant == "excessif"
        self.monde.horloge.avancer(timedelta(minutes=1))
        self.references += 1
        evenement = EvenementTraitement.creer(
            action=action,
            reference=f"EVT-{self.references:05d}",
            date_evenement=self.monde.horloge.maintenant() - timedelta(seconds=30),
            motif="Motif du service" if avec_motif or action.motif_obligatoire else None,
            montant_certifie=valeur if action is A.CERTIFICATION else None,
            montant_paye=valeur if action is A.MISE_EN_PAIEMENT else None,
        )

        attendu = self._refus_avant_traitement(avant, agent, action)
        if attendu is None:
            assert avant is not None
            # The status rule comes first: an amount is only checked on a move the table
            # allows (test_un_evenement_interdit_est_refuse_pour_son_statut).
            if not _transition_permise(avant.statut, action.statut):
                attendu = TransitionInvalide
            elif montant_refuse:
                attendu = ValidationError
            elif (
                action is A.CERTIFICATION
                and valeur is not None
                and valeur < avant.totaux.net_a_payer
                and evenement.motif is None
            ):
                # Taxation below the amount asked must say why.
                attendu = ValidationError
        traite = self._appeler(
            attendu,
            lambda: self.chorus.traitement.appliquer_evenement(agent.id, memoire_id, evenement),
        )
        if traite is None:
            self._inchange(memoire_id, avant)
            return
        assert avant is not None
        apres = self._stocke(memoire_id)
        assert apres == traite
        assert apres.statut is action.statut
        assert apres.version == avant.version + 1
        assert apres.historique[:-1] == avant.historique
        entree = apres.historique[-1]
        assert (entree.reference_evenement, entree.statut) == (evenement.reference, action.statut)
        assert entree.date_evenement == evenement.date_evenement
        assert entree.date_maj == self.monde.horloge.maintenant()
        if action is A.CERTIFICATION:
            attendu_certifie = valeur if valeur is not None else avant.totaux.net_a_payer
            assert apres.montant_certifie == attendu_certifie
        if action is A.MISE_EN_PAIEMENT:
            assert apres.montant_paye == (valeur if valeur is not None else avant.montant_certifie)
            assert apres.date_paiement is not None
        self.statuts[memoire_id] = action.statut
        self.appliques.append((memoire_id, evenement))

    @precondition(lambda self: bool(self.appliques))
    @rule(data=st.data(), meme_action=st.booleans())
    def rejouer(self, data: st.DataObject, meme_action: bool) -> None:
        """An event applied before arrives again: same action, nothing changes; another
        action under the same reference is a conflict."""
        memoire_id, evenement = data.draw(st.sampled_from(self.appliques))
        if not meme_action:
            autre = data.draw(
                st.sampled_from([a for a in ActionTraitement if a is not evenement.action])
            )
            evenement = attrs.evolve(
                evenement, action=autre, motif=evenement.motif or "Motif du service"
            )
        agent = self._agent(evenement.action, "le bon")
        avant = self._stocke(memoire_id)
        self.monde.horloge.avancer(timedelta(minutes=1))
        attendu = None if meme_action else Conflit
        rendu = self._appeler(
            attendu,
            lambda: self.chorus.traitement.appliquer_evenement(agent.id, memoire_id, evenement),
        )
        self._inchange(memoire_id, avant)
        if rendu is not None:
            assert rendu == avant

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def le_modele_et_le_stockage_concordent(self) -> None:
        stockes = self._tous_stockes()
        # (b) every live mémoire is where the model says, and nothing else exists
        assert {id: m.statut for id, m in stockes.items()} == self.statuts
        for memoire in stockes.values():
            # (c) sent: content frozen; any: history only grows
            assert (memoire.id in self.envoyes) == memoire.statut.envoye
            envoye = self.envoyes.get(memoire.id)
            if envoye is not None:
                assert memoire.numero == envoye.numero
                assert memoire.numero_brouillon == envoye.numero_brouillon
                assert memoire.entete == envoye.entete
                assert memoire.lignes == envoye.lignes
                assert memoire.pieces == envoye.pieces
                assert memoire.certificat == envoye.certificat
                assert memoire.historique[: len(envoye.historique)] == envoye.historique
            vu = self.vus.get(memoire.id)
            if vu is not None:
                assert memoire.historique[: len(vu.historique)] == vu.historique
                assert memoire.version >= vu.version
                assert memoire.pieces_complementaires[: len(vu.pieces_complementaires)] == (
                    vu.pieces_complementaires
                )
            assert memoire.historique[-1].statut is memoire.statut
            if memoire.statut is S.BROUILLON:
                assert len(memoire.historique) == 1
                assert memoire.certificat is None
            else:
                assert memoire.certificat is not None
            # (d) numbers
            self._observer_numero(memoire)
            # (e) amounts
            _verifier_totaux(memoire)
        self.vus = stockes
        # (d) MJ numbers: distinct, consecutive from 1, each kept by its mémoire
        mj = sorted(m.numero for m in stockes.values() if m.numero.startswith("MJ"))
        assert mj == [numero_definitif(n) for n in range(1, len(mj) + 1)]
        assert mj == sorted(self.numeros_mj)
        brouillons = [m.numero_brouillon for m in stockes.values()]
        assert len(set(brouillons)) == len(brouillons)
        assert all(n is not None and n.startswith("TMP2024") for n in brouillons)

    def construire(self) -> Monde:
        return construire_monde()


class CycleDeVieSqlite(CycleDeVie):
    """The same machine over a real SQLite database (and pièces on disk)."""

    def construire(self) -> Monde:
        self.dossier = Path(tempfile.mkdtemp(prefix="chorus-etats-"))
        self.uow = UniteDeTravailSqlite(self.dossier / "chorus.db")
        return construire_monde(self.uow, BlobsSurDisque(self.dossier / "pieces"))

    def teardown(self) -> None:
        self.uow.fermer()
        shutil.rmtree(self.dossier, ignore_errors=True)


TestCycleDeVie = CycleDeVie.TestCase
TestCycleDeVie.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TestCycleDeVieSqlite = CycleDeVieSqlite.TestCase
TestCycleDeVieSqlite.settings = settings(
    max_examples=8,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- the precise refusals the model relies on, shown once each --------------------------


def test_un_evenement_interdit_est_refuse_pour_son_statut() -> None:
    """An event the table forbids in the current status is a TransitionInvalide (HTTP 409),
    whatever amount it carries: paying a mémoire that was never certified must say so, not
    that « the amount paid exceeds the certified amount (0 EUR) »."""
    monde = construire_monde()
    memoire = monde.mis_a_disposition()
    with pytest.raises(TransitionInvalide):
        monde.evenement(memoire, A.MISE_EN_PAIEMENT, montant="100.00")
    envoye = monde.envoye()
    with pytest.raises(TransitionInvalide):
        monde.evenement(envoye, A.CERTIFICATION, montant="999999.00")
