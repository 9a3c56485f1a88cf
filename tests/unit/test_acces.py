"""The habilitation policy: who may see and change what on a structure."""

from __future__ import annotations

import pytest

from chorus.domain.acces import (
    Perimetre,
    exiger,
    exiger_gestionnaire,
    exiger_membre,
    perimetre,
    peut,
)
from chorus.domain.errors import AccesRefuse, NonTrouve
from chorus.domain.organisation import Application, Profil, Structure
from tests.unit.fabrique import CREATEUR, avec_membre, habiliter, heure, structure

FJ = Application.FRAIS_DE_JUSTICE
C = Profil.CONSULTATION
M = Profil.MODIFICATION


def _monde() -> Structure:
    """A structure with services svc-psy and svc-med and one member at each level."""
    s = structure()
    s = s.ajouter_service(id="svc-psy", code="PSY", libelle="Psychiatrie")
    s = s.ajouter_service(id="svc-med", code="MED", libelle="Médecine")
    for membre in ("consultant", "modificateur", "sans", "psy", "tic"):
        s = avec_membre(s, membre)
    s = habiliter(s, "consultant", C)
    s = habiliter(s, "modificateur", M)
    s = habiliter(s, "psy", M, service_id="svc-psy")
    s = habiliter(s, "tic", M, application=Application.TIC)
    return s.demander_rattachement(id="r-attente", utilisateur_id="attente", maintenant=heure(1))


MONDE = _monde()

# (user, profile required, service) → expected outcome of exiger: None (allowed) or the error
CAS: list[tuple[str, Profil, str | None, type[Exception] | None]] = [
    ("etranger", C, None, NonTrouve),
    ("etranger", M, None, NonTrouve),
    ("attente", C, None, NonTrouve),
    ("sans", C, None, AccesRefuse),
    ("sans", M, "svc-psy", AccesRefuse),
    ("consultant", C, None, None),
    ("consultant", C, "svc-psy", None),
    ("consultant", M, None, AccesRefuse),
    ("consultant", M, "svc-med", AccesRefuse),
    ("modificateur", C, None, None),
    ("modificateur", M, None, None),
    ("modificateur", M, "svc-med", None),
    ("psy", M, "svc-psy", None),
    ("psy", C, "svc-psy", None),
    ("psy", M, "svc-med", AccesRefuse),
    ("psy", C, "svc-med", AccesRefuse),
    ("psy", C, None, AccesRefuse),
    ("tic", C, None, AccesRefuse),
    (CREATEUR, M, None, None),
    (CREATEUR, M, "svc-med", None),
]


@pytest.mark.parametrize(("utilisateur", "profil", "service", "erreur"), CAS)
def test_exiger(
    utilisateur: str, profil: Profil, service: str | None, erreur: type[Exception] | None
) -> None:
    if erreur is None:
        exiger(MONDE, utilisateur, FJ, profil, service)
    else:
        with pytest.raises(erreur):
            exiger(MONDE, utilisateur, FJ, profil, service)


@pytest.mark.parametrize(("utilisateur", "profil", "service", "erreur"), CAS)
def test_peut_concorde_avec_exiger(
    utilisateur: str, profil: Profil, service: str | None, erreur: type[Exception] | None
) -> None:
    assert peut(MONDE, utilisateur, FJ, profil, service) is (erreur is None)


def test_habilitation_tic_ne_couvre_pas_les_frais_de_justice() -> None:
    assert peut(MONDE, "tic", Application.TIC, M)
    assert not peut(MONDE, "tic", FJ, C)
    assert not peut(MONDE, "modificateur", Application.TIC, C)


def test_message_de_refus_explicite() -> None:
    with pytest.raises(AccesRefuse) as erreur:
        exiger(MONDE, "consultant", FJ, M, objet="le mémoire n°MJ00000021178")
    assert "Frais de justice modification" in erreur.value.message
    assert "MJ00000021178" in erreur.value.message


def test_non_membre_n_apprend_rien() -> None:
    with pytest.raises(NonTrouve) as erreur:
        exiger(MONDE, "etranger", FJ, C, objet="le mémoire n°MJ00000021178")
    assert "habilitation" not in erreur.value.message


@pytest.mark.parametrize(
    ("utilisateur", "erreur"),
    [
        (CREATEUR, None),
        ("modificateur", AccesRefuse),
        ("sans", AccesRefuse),
        ("attente", NonTrouve),
        ("etranger", NonTrouve),
    ],
)
def test_exiger_gestionnaire(utilisateur: str, erreur: type[Exception] | None) -> None:
    if erreur is None:
        exiger_gestionnaire(MONDE, utilisateur)
    else:
        with pytest.raises(erreur):
            exiger_gestionnaire(MONDE, utilisateur)


def test_exiger_membre() -> None:
    exiger_membre(MONDE, "sans")
    with pytest.raises(NonTrouve):
        exiger_membre(MONDE, "attente")


# -- périmètre ---------------------------------------------------------------------------


def _autre() -> Structure:
    s = structure(id="s-2", createur_id="autre-gestionnaire")
    s = s.ajouter_service(id="svc-x", code="X", libelle="X")
    s = avec_membre(s, "psy")
    return habiliter(s, "psy", C, service_id="svc-x")


def test_perimetre_consultation() -> None:
    autre = _autre()
    p = perimetre([MONDE, autre], "psy", FJ)
    assert p.structures == frozenset()
    assert p.services == {("s-1", "svc-psy"), ("s-2", "svc-x")}
    assert p.couvre("s-1", "svc-psy")
    assert not p.couvre("s-1", "svc-med")
    assert not p.couvre("s-1", None)
    assert p.toutes_structures == {"s-1", "s-2"}
    assert not p.vide


def test_perimetre_modification() -> None:
    p = perimetre([MONDE, _autre()], "psy", FJ, M)
    assert p.services == {("s-1", "svc-psy")}


def test_perimetre_structure_entiere_absorbe_ses_services() -> None:
    s = habiliter(MONDE, "psy", C)
    p = perimetre([s], "psy", FJ)
    assert p.structures == {"s-1"}
    assert p.services == frozenset()
    assert p.couvre("s-1", None)
    assert p.couvre("s-1", "svc-med")


@pytest.mark.parametrize("utilisateur", ["etranger", "attente", "sans", "tic"])
def test_perimetre_vide(utilisateur: str) -> None:
    assert perimetre([MONDE], utilisateur, FJ).vide


def test_perimetre_consultant_sans_modification() -> None:
    assert perimetre([MONDE], "consultant", FJ).structures == {"s-1"}
    assert perimetre([MONDE], "consultant", FJ, M).vide


def test_perimetre_vide_par_defaut() -> None:
    p = Perimetre()
    assert p.vide
    assert not p.couvre("s-1", None)
    assert p.toutes_structures == frozenset()
