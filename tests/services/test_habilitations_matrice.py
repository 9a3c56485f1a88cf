"""THE habilitation matrix: every use case × every level of access → the exact outcome.

The rule (DESIGN.md §3.1, API.md « Another structure's object → 404 »):

- a user who is not a validated member of the structure learns nothing: `NonTrouve`;
- a member lacking the habilitation the action needs is refused explicitly: `AccesRefuse`
  (« A user with no habilitation on a structure sees nothing of it »);
- consultation may read only; modification may do every action on mémoires;
- only the gestionnaire manages the structure (its data, services, bank details, espaces,
  rattachements, habilitations);
- a habilitation limited to a service covers only that service's mémoires.

Every refusal leaves storage exactly as it was (read back by the gestionnaire before and
after); every accepted write changes it, every accepted read does not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final, Literal

import attrs
import pytest

from chorus.adapters.storage.memory import UniteDeTravailEnMemoire
from chorus.domain.errors import AccesRefuse, DomainError, NonTrouve
from chorus.domain.organisation import Application, Profil
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import CleDeTri, FiltresMemoire, Pagination, Tri
from tests.monde import AUJOURDHUI, PDF, PNG, Monde, saisie_ligne

OK: Final = "ok"
AR = AccesRefuse
NT = NonTrouve
Attendu = Literal["ok"] | type[DomainError]

IBAN_2 = "DE89370400440532013000"
BIC_2 = "COBADEFFXXX"


# -- the target of an action, prepared by the gestionnaire before the actor acts ------------


@attrs.frozen
class Cible:
    memoire_id: str = ""
    piece_id: str = ""
    service_id: str | None = None
    piece_structure_id: str = ""
    rattachement_id: str = ""
    habilitation_id: str = ""


def _memoire(monde: Monde, statut: StatutMemoire | None, service_id: str | None) -> Cible:
    """A mémoire of the cabinet (in `service_id`), with one line and one pièce, brought to
    `statut` by the gestionnaire and the back office; None: no mémoire at all."""
    if statut is None:
        return Cible(service_id=service_id)
    g = monde.gestionnaire.id
    memoires = monde.chorus.memoires
    memoire = monde.brouillon(service_id=service_id)
    piece = memoires.joindre_piece(
        g, memoire.id, contenu=PDF + b"annexe", nom_fichier="annexe.pdf", type_piece=TypePiece.AUTRE
    )
    if statut is not StatutMemoire.BROUILLON:
        memoire = memoires.envoyer(g, memoire.id, attestation_sur_honneur=True)
    if statut not in (StatutMemoire.BROUILLON, StatutMemoire.ENVOYE):
        memoire = monde.evenement(memoire, ActionTraitement.MISE_A_DISPOSITION)
    suite = {
        StatutMemoire.SUSPENDU: ActionTraitement.SUSPENSION,
        StatutMemoire.REFUSE: ActionTraitement.REFUS,
        StatutMemoire.CERTIFIE: ActionTraitement.CERTIFICATION,
    }
    if statut in suite:
        memoire = monde.evenement(memoire, suite[statut])
    assert memoire.statut is statut
    return Cible(memoire_id=memoire.id, piece_id=piece.id, service_id=service_id)


def _structure(monde: Monde) -> Cible:
    """What the structure actions need: a RIB in the pool not yet used, a pending
    rattachement, the consultant's habilitation."""
    g = monde.gestionnaire.id
    s = monde.chorus.structures
    rib = s.deposer_piece(
        g,
        monde.structure.id,
        contenu=PDF + b"second RIB",
        nom_fichier="RIB-2.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    nouveau = monde.chorus.utilisateurs.creer_compte(
        email="nouveau@exemple.fr", nom="Nouveau", prenom="Test", actif=True
    )
    demande = s.demander_rattachement(nouveau.id, monde.structure.id).rattachement_de(nouveau.id)
    assert demande is not None
    structure = s.obtenir(g, monde.structure.id)
    (habilitation,) = structure.habilitations_de(monde.consultant.id)
    return Cible(
        piece_structure_id=rib.id,
        rattachement_id=demande.id,
        habilitation_id=habilitation.id,
    )


def photo(monde: Monde) -> tuple[object, ...]:
    """Everything a refusal could have changed, read back by the gestionnaires."""
    g = monde.gestionnaire.id
    page = monde.chorus.consultation.rechercher(
        g, FiltresMemoire(), Tri(CleDeTri.NUMERO, descendant=False), Pagination(1, 500)
    )
    uow = monde.chorus.ports.uow
    assert isinstance(uow, UniteDeTravailEnMemoire)
    return (
        monde.chorus.structures.obtenir(g, monde.structure.id),
        monde.chorus.structures.obtenir(monde.etranger.id, monde.autre_structure.id),
        page.elements,
        tuple(monde.chorus.memoires.obtenir(g, r.id) for r in page.elements),
        # the whole committed store, sequences included: a refused call consumes no number
        uow.etat.copie(),
    )


def constater(
    monde: Monde, attendu: Attendu, ecrit: bool, agir: Callable[[], object]
) -> DomainError | None:
    """Run `agir` and check its outcome and its effect on storage."""
    avant = photo(monde)
    if attendu == OK:
        agir()
        apres = photo(monde)
        if ecrit:
            assert apres != avant, "an accepted write must change storage"
        else:
            assert apres == avant, "an accepted read must not change storage"
        return None
    assert not isinstance(attendu, str)
    with pytest.raises(DomainError) as refus:
        agir()
    assert type(refus.value) is attendu, f"{type(refus.value).__name__}: {refus.value}"
    assert refus.value.message  # a French message for the user
    assert photo(monde) == avant, "a refusal must leave storage unchanged"
    return refus.value


# -- the actors --------------------------------------------------------------------------

ACTEURS_MEMOIRE = (
    "sans_habilitation",
    "consultation",
    "modification",
    "gestionnaire",
    "service_psy-sur-PSY",
    "service_psy-sur-MED",
    "etranger",
)
ACTEURS_STRUCTURE = (
    "sans_habilitation",
    "consultation",
    "modification",
    "gestionnaire",
    "service_psy",
    "etranger",
)


def acteur(monde: Monde, cle: str) -> tuple[Utilisateur, str | None]:
    """The user behind an actor key, and the service of the mémoire they act on."""
    return {
        "sans_habilitation": (monde.sans_habilitation, None),
        "consultation": (monde.consultant, None),
        "modification": (monde.modificateur, None),
        "gestionnaire": (monde.gestionnaire, None),
        "service_psy-sur-PSY": (monde.service_psy, monde.psy_id),
        "service_psy-sur-MED": (monde.service_psy, monde.med_id),
        "service_psy": (monde.service_psy, None),
        "etranger": (monde.etranger, None),
    }[cle]


# -- MemoireService ----------------------------------------------------------------------

Action = Callable[[Monde, Utilisateur, Cible], object]


@attrs.frozen
class UsageMemoire:
    nom: str
    statut: StatutMemoire | None
    agir: Action
    attendus: tuple[Attendu, ...]
    ecrit: bool = True


BROUILLON = StatutMemoire.BROUILLON
# fmt: off
#                      sans consult modif gest psy/PSY psy/MED etranger
LECTURE: Final = (     AR,  OK,     OK,   OK,  OK,     AR,     NT)
ECRITURE: Final = (    AR,  AR,     OK,   OK,  OK,     AR,     NT)
# fmt: on

MATRICE_MEMOIRES = (
    UsageMemoire(
        "obtenir",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.obtenir(a.id, c.memoire_id),
        LECTURE,
        ecrit=False,
    ),
    UsageMemoire(
        "lire_piece",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.lire_piece(a.id, c.memoire_id, c.piece_id),
        LECTURE,
        ecrit=False,
    ),
    UsageMemoire(
        "creer",
        None,
        lambda m, a, c: m.chorus.memoires.creer(a.id, m.entete(service_id=c.service_id)),
        ECRITURE,
    ),
    UsageMemoire(
        "modifier_entete",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.modifier_entete(
            a.id, c.memoire_id, m.entete(service_id=c.service_id, commentaire="Corrigé")
        ),
        ECRITURE,
    ),
    UsageMemoire(
        "supprimer",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.supprimer(a.id, c.memoire_id),
        ECRITURE,
    ),
    UsageMemoire(
        "ajouter_ligne",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.ajouter_ligne(a.id, c.memoire_id, saisie_ligne()),
        ECRITURE,
    ),
    UsageMemoire(
        "modifier_ligne",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.modifier_ligne(
            a.id, c.memoire_id, 1, saisie_ligne(quantite="2")
        ),
        ECRITURE,
    ),
    UsageMemoire(
        "supprimer_ligne",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.supprimer_ligne(a.id, c.memoire_id, 1),
        ECRITURE,
    ),
    UsageMemoire(
        "joindre_piece",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.joindre_piece(
            a.id, c.memoire_id, contenu=PNG, nom_fichier="scan.png", type_piece=TypePiece.DEVIS
        ),
        ECRITURE,
    ),
    UsageMemoire(
        "importer_piece",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.importer_piece(
            a.id, c.memoire_id, m.structure.pieces[0].id
        ),
        ECRITURE,
    ),
    UsageMemoire(
        "retirer_piece",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.retirer_piece(a.id, c.memoire_id, c.piece_id),
        ECRITURE,
    ),
    UsageMemoire(
        "envoyer",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.envoyer(a.id, c.memoire_id, attestation_sur_honneur=True),
        ECRITURE,
    ),
    UsageMemoire(
        "completer-SUSPENDU",
        StatutMemoire.SUSPENDU,
        lambda m, a, c: m.chorus.memoires.completer(a.id, c.memoire_id, commentaire="Voici"),
        ECRITURE,
    ),
    UsageMemoire(
        "joindre_piece-SUSPENDU",
        StatutMemoire.SUSPENDU,
        lambda m, a, c: m.chorus.memoires.joindre_piece(
            a.id,
            c.memoire_id,
            contenu=PNG,
            nom_fichier="complement.png",
            type_piece=TypePiece.AUTRE,
        ),
        ECRITURE,
    ),
    UsageMemoire(
        "abandonner-REFUSE",
        StatutMemoire.REFUSE,
        lambda m, a, c: m.chorus.memoires.abandonner(a.id, c.memoire_id),
        ECRITURE,
    ),
    UsageMemoire(
        "dupliquer-REFUSE",
        StatutMemoire.REFUSE,
        lambda m, a, c: m.chorus.memoires.dupliquer(a.id, c.memoire_id),
        ECRITURE,
    ),
    UsageMemoire(
        "dupliquer-BROUILLON",
        BROUILLON,
        lambda m, a, c: m.chorus.memoires.dupliquer(a.id, c.memoire_id),
        ECRITURE,
    ),
)

CAS_MEMOIRES = [
    pytest.param(usage, cle, attendu, id=f"{usage.nom}-{cle}-{getattr(attendu, '__name__', OK)}")
    for usage in MATRICE_MEMOIRES
    for cle, attendu in zip(ACTEURS_MEMOIRE, usage.attendus, strict=True)
]


@pytest.mark.parametrize(("usage", "cle", "attendu"), CAS_MEMOIRES)
def test_memoires(monde: Monde, usage: UsageMemoire, cle: str, attendu: Attendu) -> None:
    utilisateur, service_id = acteur(monde, cle)
    cible = _memoire(monde, usage.statut, service_id)
    constater(monde, attendu, usage.ecrit, lambda: usage.agir(monde, utilisateur, cible))


def test_memoire_d_une_autre_structure_inconnu_meme_de_son_gestionnaire(monde: Monde) -> None:
    """The other structure's gestionnaire holds every habilitation — on their structure only."""
    autre = monde.chorus.memoires.creer(
        monde.etranger.id,
        monde.entete(
            structure_id=monde.autre_structure.id,
            coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id,
        ),
    )
    for qui in (monde.gestionnaire, monde.modificateur, monde.consultant, monde.service_psy):
        constater(monde, NT, False, partial(monde.chorus.memoires.obtenir, qui.id, autre.id))


def test_rattachement_en_attente_ne_donne_acces_a_rien(monde: Monde) -> None:
    """A user whose rattachement is still pending is not a member: NonTrouve."""
    s = monde.chorus.structures
    attente = monde.chorus.utilisateurs.creer_compte(
        email="attente@exemple.fr", nom="Attente", prenom="Test", actif=True
    )
    s.demander_rattachement(attente.id, monde.structure.id)
    cible = _memoire(monde, BROUILLON, None)
    constater(monde, NT, False, lambda: monde.chorus.memoires.obtenir(attente.id, cible.memoire_id))
    constater(monde, NT, False, lambda: s.obtenir(attente.id, monde.structure.id))
    constater(monde, NT, False, lambda: monde.chorus.memoires.creer(attente.id, monde.entete()))


def test_service_psy_ne_peut_pas_deplacer_un_memoire_vers_un_autre_service(monde: Monde) -> None:
    cible = _memoire(monde, BROUILLON, monde.psy_id)
    for autre_service in (monde.med_id, None):
        constater(
            monde,
            AR,
            True,
            partial(
                monde.chorus.memoires.modifier_entete,
                monde.service_psy.id,
                cible.memoire_id,
                monde.entete(service_id=autre_service),
            ),
        )


def test_service_psy_ne_peut_pas_creer_sans_service(monde: Monde) -> None:
    constater(
        monde,
        AR,
        True,
        lambda: monde.chorus.memoires.creer(monde.service_psy.id, monde.entete(service_id=None)),
    )


# -- StructureService and the liste fiscale --------------------------------------------


@attrs.frozen
class UsageStructure:
    nom: str
    agir: Action
    attendus: tuple[Attendu, ...]
    ecrit: bool = True


# fmt: off
#                      sans consult modif gest psy etranger
GESTION: Final = (     AR,  AR,     AR,   OK,  AR, NT)
# fmt: on

MATRICE_STRUCTURES = (
    # A member without any habilitation « sees nothing » of the structure (DESIGN §3.1).
    UsageStructure(
        "obtenir",
        lambda m, a, c: m.chorus.structures.obtenir(a.id, m.structure.id),
        (AR, OK, OK, OK, OK, NT),
        ecrit=False,
    ),
    UsageStructure(
        "modifier",
        lambda m, a, c: m.chorus.structures.modifier(
            a.id, m.structure.id, raison_sociale="Cabinet Durand et associés"
        ),
        GESTION,
    ),
    UsageStructure(
        "ajouter_service",
        lambda m, a, c: m.chorus.structures.ajouter_service(
            a.id, m.structure.id, code="LEG", libelle="Médecine légale"
        ),
        GESTION,
    ),
    UsageStructure(
        "ajouter_coordonnee_bancaire",
        lambda m, a, c: m.chorus.structures.ajouter_coordonnee_bancaire(
            a.id,
            m.structure.id,
            libelle="Second compte",
            iban=IBAN_2,
            bic=BIC_2,
            piece_jointe_id=c.piece_structure_id,
        ),
        GESTION,
    ),
    UsageStructure(
        "definir_espace_frais_de_justice",
        lambda m, a, c: m.chorus.structures.definir_espace_frais_de_justice(
            a.id, m.structure.id, categorie_prestataire="EXPERT_MEDICAL", regime=None
        ),
        GESTION,
    ),
    UsageStructure(
        "valider_rattachement",
        lambda m, a, c: m.chorus.structures.valider_rattachement(
            a.id, m.structure.id, c.rattachement_id
        ),
        GESTION,
    ),
    UsageStructure(
        "accorder_habilitation",
        lambda m, a, c: m.chorus.structures.accorder_habilitation(
            a.id,
            m.structure.id,
            utilisateur_id=m.sans_habilitation.id,
            application=Application.FRAIS_DE_JUSTICE,
            profil=Profil.CONSULTATION,
        ),
        GESTION,
    ),
    UsageStructure(
        "retirer_habilitation",
        lambda m, a, c: m.chorus.structures.retirer_habilitation(
            a.id, m.structure.id, c.habilitation_id
        ),
        GESTION,
    ),
    UsageStructure(
        "lire_piece",
        lambda m, a, c: m.chorus.structures.lire_piece(a.id, m.structure.id, c.piece_structure_id),
        (AR, OK, OK, OK, OK, NT),
        ecrit=False,
    ),
    UsageStructure(
        "retirer_coordonnee_bancaire",
        lambda m, a, c: m.chorus.structures.retirer_coordonnee_bancaire(
            a.id, m.structure.id, m.structure.coordonnees_bancaires[0].id
        ),
        GESTION,
    ),
    UsageStructure(
        "activer_espace_tic",
        lambda m, a, c: m.chorus.structures.activer_espace_tic(a.id, m.structure.id),
        GESTION,
    ),
    UsageStructure(
        "refuser_rattachement",
        lambda m, a, c: m.chorus.structures.refuser_rattachement(
            a.id, m.structure.id, c.rattachement_id
        ),
        GESTION,
    ),
    # The pool of reusable pièces feeds the mémoires: whoever may modify mémoires of the
    # whole structure may add to it (the service explicitly allows FJ MODIFICATION).
    UsageStructure(
        "deposer_piece",
        lambda m, a, c: m.chorus.structures.deposer_piece(
            a.id,
            m.structure.id,
            contenu=PNG + b"carte grise",
            nom_fichier="carte-grise.png",
            type_piece=TypePiece.AUTRE,
        ),
        (AR, AR, OK, OK, AR, NT),
    ),
    # A read of mémoires: service_psy sees the part of it its service covers.
    UsageStructure(
        "liste_fiscale",
        lambda m, a, c: m.chorus.consultation.liste_fiscale(
            a.id, m.structure.id, AUJOURDHUI.replace(month=1, day=1), AUJOURDHUI
        ),
        (AR, OK, OK, OK, OK, NT),
        ecrit=False,
    ),
)

CAS_STRUCTURES = [
    pytest.param(usage, cle, attendu, id=f"{usage.nom}-{cle}-{getattr(attendu, '__name__', OK)}")
    for usage in MATRICE_STRUCTURES
    for cle, attendu in zip(ACTEURS_STRUCTURE, usage.attendus, strict=True)
]


@pytest.mark.parametrize(("usage", "cle", "attendu"), CAS_STRUCTURES)
def test_structures(monde: Monde, usage: UsageStructure, cle: str, attendu: Attendu) -> None:
    utilisateur, _ = acteur(monde, cle)
    cible = _structure(monde)
    constater(monde, attendu, usage.ecrit, lambda: usage.agir(monde, utilisateur, cible))


def test_structure_inexistante(monde: Monde) -> None:
    constater(monde, NT, False, lambda: monde.chorus.structures.obtenir(monde.gestionnaire.id, "x"))
    constater(
        monde,
        NT,
        False,
        lambda: monde.chorus.memoires.creer(monde.gestionnaire.id, monde.entete(structure_id="x")),
    )


# -- ConsultationService: what each actor sees ------------------------------------------


@pytest.fixture
def visibles(monde: Monde) -> dict[str, str]:
    """Four drafts: the cabinet's without service, in PSY, in MED, and the other
    structure's; returns id → label."""
    autre = monde.chorus.memoires.creer(
        monde.etranger.id,
        monde.entete(
            structure_id=monde.autre_structure.id,
            coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id,
        ),
    )
    return {
        monde.brouillon().id: "cabinet",
        monde.brouillon(service_id=monde.psy_id).id: "PSY",
        monde.brouillon(service_id=monde.med_id).id: "MED",
        autre.id: "autre",
    }


VUE: Final = {
    "sans_habilitation": frozenset[str](),
    "consultation": frozenset({"cabinet", "PSY", "MED"}),
    "modification": frozenset({"cabinet", "PSY", "MED"}),
    "gestionnaire": frozenset({"cabinet", "PSY", "MED"}),
    "service_psy": frozenset({"PSY"}),
    "etranger": frozenset({"autre"}),
}


@pytest.mark.parametrize("cle", ACTEURS_STRUCTURE)
def test_rechercher_ne_montre_que_le_visible(
    monde: Monde, visibles: dict[str, str], cle: str
) -> None:
    utilisateur, _ = acteur(monde, cle)
    page = monde.chorus.consultation.rechercher(
        utilisateur.id, FiltresMemoire(), Tri(), Pagination(1, 500)
    )
    assert {visibles[r.id] for r in page.elements} == VUE[cle]
    assert page.total == len(VUE[cle])


@pytest.mark.parametrize("cle", ACTEURS_STRUCTURE)
def test_synthese_ne_montre_que_le_visible(
    monde: Monde, visibles: dict[str, str], cle: str
) -> None:
    utilisateur, _ = acteur(monde, cle)
    synthese = monde.chorus.consultation.synthese(utilisateur.id)
    vus = [visibles[r.id] for page in synthese.values() for r in page.elements]
    assert sorted(vus) == sorted(VUE[cle])


@pytest.mark.parametrize("cle", ACTEURS_STRUCTURE)
def test_tableau_de_bord_ne_compte_que_le_visible(
    monde: Monde, visibles: dict[str, str], cle: str
) -> None:
    utilisateur, _ = acteur(monde, cle)
    lignes = monde.chorus.consultation.tableau_de_bord(utilisateur.id)
    attendu: dict[str, int] = {}
    for label in VUE[cle]:
        structure = monde.autre_structure if label == "autre" else monde.structure
        attendu[structure.id] = attendu.get(structure.id, 0) + 1
    assert {ligne.structure_id: sum(ligne.compteurs.values()) for ligne in lignes} == attendu
    for ligne in lignes:
        assert ligne.compteurs[StatutMemoire.BROUILLON] == attendu[ligne.structure_id]


def test_liste_fiscale_de_service_psy_ne_montre_que_psy(monde: Monde) -> None:
    """service_psy's liste fiscale (if any) must not disclose the MED payments."""
    payes = {}
    for service_id in (monde.psy_id, monde.med_id):
        memoire = monde.envoye(service_id=service_id)
        memoire = monde.evenement(memoire, ActionTraitement.MISE_A_DISPOSITION)
        memoire = monde.evenement(memoire, ActionTraitement.CERTIFICATION)
        payes[service_id] = monde.evenement(memoire, ActionTraitement.MISE_EN_PAIEMENT)
    liste = monde.chorus.consultation.liste_fiscale(
        monde.service_psy.id, monde.structure.id, AUJOURDHUI, AUJOURDHUI
    )
    assert [ligne.numero for ligne in liste.lignes] == [payes[monde.psy_id].numero]


# -- TraitementService: the back office --------------------------------------------------


def _envoye(monde: Monde) -> str:
    return monde.envoye().id


def _certifie(monde: Monde) -> str:
    return _memoire(monde, StatutMemoire.CERTIFIE, None).memoire_id


def _brouillon(monde: Monde) -> str:
    return monde.brouillon().id


BACK_OFFICE = (
    # id, target, actor, action, expected
    ("agent-MISE_A_DISPOSITION", _envoye, "agent", ActionTraitement.MISE_A_DISPOSITION, OK),
    ("agent_ailleurs-autre_juridiction", _envoye, "agent_ailleurs",
     ActionTraitement.MISE_A_DISPOSITION, NT),
    ("comptable-MISE_A_DISPOSITION", _envoye, "comptable", ActionTraitement.MISE_A_DISPOSITION, AR),
    ("agent-MISE_EN_PAIEMENT", _certifie, "agent", ActionTraitement.MISE_EN_PAIEMENT, AR),
    ("comptable-MISE_EN_PAIEMENT", _certifie, "comptable", ActionTraitement.MISE_EN_PAIEMENT, OK),
    ("prestataire-gestionnaire", _envoye, "gestionnaire", ActionTraitement.MISE_A_DISPOSITION, AR),
    ("prestataire-modificateur", _envoye, "modificateur", ActionTraitement.MISE_A_DISPOSITION, AR),
    ("agent-sur-brouillon", _brouillon, "agent", ActionTraitement.MISE_A_DISPOSITION, NT),
    ("comptable-sur-brouillon", _brouillon, "comptable", ActionTraitement.MISE_EN_PAIEMENT, NT),
)  # fmt: skip


@pytest.mark.parametrize(
    ("preparer", "qui", "action", "attendu"),
    [pytest.param(*cas[1:], id=str(cas[0])) for cas in BACK_OFFICE],
)
def test_back_office(
    monde: Monde,
    preparer: Callable[[Monde], str],
    qui: str,
    action: ActionTraitement,
    attendu: Attendu,
) -> None:
    memoire_id = preparer(monde)
    agent: Utilisateur = getattr(monde, qui)
    evenement = EvenementTraitement.creer(
        action=action,
        reference="EVT-MATRICE",
        date_evenement=monde.horloge.maintenant(),
    )
    constater(
        monde,
        attendu,
        True,
        lambda: monde.chorus.traitement.appliquer_evenement(agent.id, memoire_id, evenement),
    )


def test_back_office_obtenir(monde: Monde) -> None:
    envoye = monde.envoye()
    brouillon = monde.brouillon()
    t = monde.chorus.traitement
    assert t.obtenir(monde.agent.id, envoye.id) == envoye
    assert t.obtenir(monde.comptable.id, envoye.id) == envoye
    constater(monde, NT, False, lambda: t.obtenir(monde.agent_ailleurs.id, envoye.id))
    constater(monde, NT, False, lambda: t.obtenir(monde.agent.id, brouillon.id))
    constater(monde, AR, False, lambda: t.obtenir(monde.gestionnaire.id, envoye.id))
    page = t.rechercher(monde.agent.id, FiltresMemoire(), Tri(), Pagination())
    assert [r.id for r in page.elements] == [envoye.id]
    assert t.rechercher(monde.agent_ailleurs.id, FiltresMemoire(), Tri(), Pagination()).total == 0
    constater(
        monde,
        AR,
        False,
        lambda: t.rechercher(monde.gestionnaire.id, FiltresMemoire(), Tri(), Pagination()),
    )
