"""Contract of the activity feed (`uow.activites`) and of the users subscribed to the
« suivi d'activité » (`uow.utilisateurs.abonnes_au_suivi`), through the ports only."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from chorus.domain.acces import Perimetre
from chorus.domain.activite import (
    EvenementActivite,
    PerimetreActivite,
    TypeObjet,
    compter,
    dans_la_periode,
    plus_recents,
)
from chorus.domain.errors import Conflit
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Pagination
from tests.contract.agregats import T0, utilisateur
from tests.contract.conftest import Fabrique, Magasin

ETE = timezone(timedelta(hours=2))


def evenement(
    id: str,
    structure_id: str = "s-1",
    *,
    minutes: int = 0,
    service_id: str | None = None,
    tic: bool = False,
    statut: str | None = None,
    montant: Decimal | None = Decimal("158.25"),
    motif: str | None = None,
) -> EvenementActivite:
    type_objet = TypeObjet.DEMANDE_TIC if tic else TypeObjet.MEMOIRE
    code = statut or ("VALIDEE" if tic else "CERTIFIE")
    return EvenementActivite(
        id=id,
        structure_id=structure_id,
        application=type_objet.application,
        service_id=service_id,
        type_objet=type_objet,
        objet_id=f"o-{id}",
        numero=f"N-{id}",
        statut=code,
        libelle_statut=dict(type_objet.statuts)[code],
        date=T0 + timedelta(minutes=minutes),
        motif=motif,
        montant=montant,
    )


def ajouter(uow: UnitOfWork, *evenements: EvenementActivite) -> None:
    with uow:
        uow.activites.ajouter(evenements)
        uow.commit()


def fdj(*structures: str, services: tuple[tuple[str, str], ...] = ()) -> PerimetreActivite:
    return PerimetreActivite(frais_de_justice=Perimetre(frozenset(structures), frozenset(services)))


def tic(*structures: str) -> PerimetreActivite:
    return PerimetreActivite(tic=Perimetre(frozenset(structures)))


def ids(magasin: Magasin, perimetre: PerimetreActivite, **bornes: datetime) -> list[str]:
    with magasin.rouvrir().lecture() as uow:
        page = uow.activites.fil(perimetre, Pagination(1, 500), **bornes)
        assert page.total == len(page.elements)
        return [e.id for e in page.elements]


def test_un_evenement_revient_tel_quel_apres_reouverture(magasin: Magasin) -> None:
    complet = attrs.evolve(
        evenement(
            "m-1-0003", service_id="svc-psy", montant=Decimal("12.10"), motif="Taxé à « 12,10 € »"
        ),
        date=datetime(2024, 6, 14, 12, 0, 0, 1, tzinfo=ETE),
    )
    sans_montant = evenement("d-1-0001", "s-2", tic=True, montant=None)
    ajouter(magasin.uow, complet, sans_montant)

    with magasin.rouvrir().lecture() as uow:
        [lu] = uow.activites.fil(fdj("s-1"), Pagination()).elements
        [lu_tic] = uow.activites.fil(tic("s-2"), Pagination()).elements
    assert lu == complet
    assert str(lu.montant) == "12.10"
    assert lu.date.utcoffset() is not None
    assert lu.date == complet.date
    assert lu_tic == sans_montant


def test_un_id_deja_enregistre_est_refuse_et_rien_du_lot_n_est_ecrit(magasin: Magasin) -> None:
    ajouter(magasin.uow, evenement("e-1"))
    with magasin.uow as uow:
        with pytest.raises(Conflit):
            uow.activites.ajouter([evenement("e-2"), evenement("e-1", minutes=5)])
        uow.commit()
    with magasin.uow as uow, pytest.raises(Conflit):
        uow.activites.ajouter([evenement("e-3"), evenement("e-3")])

    assert ids(magasin, fdj("s-1")) == ["e-1"]


def test_le_fil_ne_montre_que_le_perimetre_le_plus_recent_d_abord(magasin: Magasin) -> None:
    ajouter(
        magasin.uow,
        evenement("a", "s-1", minutes=1),
        evenement("b", "s-1", minutes=3, service_id="psy"),
        evenement("c", "s-1", minutes=2, service_id="med"),
        evenement("d", "s-2", minutes=4),
        evenement("e", "s-1", minutes=5, tic=True),
        # The same instant as « b »: the id breaks the tie, the higher first.
        evenement("f", "s-1", minutes=3),
    )
    assert ids(magasin, fdj("s-1")) == ["f", "b", "c", "a"]
    # A habilitation limited to a service sees that service's mémoires, nothing else.
    assert ids(magasin, fdj(services=(("s-1", "psy"),))) == ["b"]
    assert ids(magasin, fdj("s-2", services=(("s-1", "med"),))) == ["d", "c"]
    # TIC only: the demandes, never the mémoires of the same structure.
    assert ids(magasin, tic("s-1")) == ["e"]
    assert ids(magasin, tic("s-2")) == []
    assert ids(magasin, PerimetreActivite()) == []
    tout = PerimetreActivite(
        frais_de_justice=Perimetre(frozenset({"s-1", "s-2"})), tic=Perimetre(frozenset({"s-1"}))
    )
    assert ids(magasin, tout) == ["e", "d", "f", "b", "c", "a"]


def test_les_bornes_et_les_pages(magasin: Magasin) -> None:
    ajouter(magasin.uow, *(evenement(f"e-{n:02d}", minutes=n) for n in range(12)))
    perimetre = fdj("s-1")
    debut, fin = T0 + timedelta(minutes=3), T0 + timedelta(minutes=7)
    # [du, au[: the lower bound included, the upper one excluded.
    assert ids(magasin, perimetre, du=debut, au=fin) == ["e-06", "e-05", "e-04", "e-03"]
    assert ids(magasin, perimetre, du=fin) == [f"e-{n:02d}" for n in range(11, 6, -1)]
    with magasin.rouvrir().lecture() as uow:
        page = uow.activites.fil(perimetre, Pagination(2, 5))
        derniere = uow.activites.fil(perimetre, Pagination(3, 5))
        au_dela = uow.activites.fil(perimetre, Pagination(4, 5))
    assert [e.id for e in page.elements] == ["e-06", "e-05", "e-04", "e-03", "e-02"]
    assert (page.total, page.page, page.par_page) == (12, 2, 5)
    assert [e.id for e in derniere.elements] == ["e-01", "e-00"]
    assert au_dela.elements == ()
    assert au_dela.total == 12


def test_les_comptes_par_type_et_par_etat(magasin: Magasin) -> None:
    ajouter(
        magasin.uow,
        evenement("a", minutes=1),
        evenement("b", minutes=2, statut="REFUSE"),
        evenement("c", minutes=3, statut="REFUSE", service_id="psy"),
        evenement("d", minutes=4, tic=True),
        evenement("e", "s-2", minutes=5),
    )
    perimetre = PerimetreActivite(
        frais_de_justice=Perimetre(frozenset({"s-1"})), tic=Perimetre(frozenset({"s-1"}))
    )
    with magasin.rouvrir().lecture() as uow:
        tous = uow.activites.compter(perimetre)
        bornes = uow.activites.compter(
            perimetre, du=T0 + timedelta(minutes=2), au=T0 + timedelta(minutes=4)
        )
        psy = uow.activites.compter(fdj(services=(("s-1", "psy"),)))
    assert tous == {
        (TypeObjet.MEMOIRE, "CERTIFIE"): 1,
        (TypeObjet.MEMOIRE, "REFUSE"): 2,
        (TypeObjet.DEMANDE_TIC, "VALIDEE"): 1,
    }
    assert bornes == {(TypeObjet.MEMOIRE, "REFUSE"): 2}
    assert psy == {(TypeObjet.MEMOIRE, "REFUSE"): 1}


def test_le_fil_suit_la_semantique_de_reference(fabrique: Fabrique) -> None:
    """Random events and perimeters: every store answers as the reference filter and
    order (`PerimetreActivite.couvre`, `plus_recents`) on the same events."""
    hasard = random.Random(20261123)
    magasin = fabrique.creer()
    structures = ["s-1", "s-2", "s-3"]
    services = [None, "psy", "med"]
    evenements = [
        evenement(
            f"e-{n:03d}",
            hasard.choice(structures),
            minutes=hasard.randrange(40),
            service_id=None if (est_tic := hasard.random() < 0.3) else hasard.choice(services),
            tic=est_tic,
            statut=hasard.choice(["VALIDEE", "REJETEE"] if est_tic else ["ENVOYE", "REFUSE"]),
        )
        for n in range(120)
    ]
    ajouter(magasin.uow, *evenements)
    for _ in range(12):
        entieres = frozenset(s for s in structures if hasard.random() < 0.4)
        perimetre = PerimetreActivite(
            frais_de_justice=Perimetre(
                entieres,
                frozenset(
                    (s, svc)
                    for s in structures
                    for svc in ("psy", "med")
                    if s not in entieres and hasard.random() < 0.3
                ),
            ),
            tic=Perimetre(frozenset(s for s in structures if hasard.random() < 0.4)),
        )
        du = T0 + timedelta(minutes=hasard.randrange(20))
        au = du + timedelta(minutes=hasard.randrange(1, 25))
        attendus = plus_recents(
            e for e in evenements if perimetre.couvre(e) and dans_la_periode(e, du, au)
        )
        par_page = hasard.randrange(1, 8)
        with magasin.rouvrir().lecture() as uow:
            page = uow.activites.fil(perimetre, Pagination(2, par_page), du=du, au=au)
            nombres = uow.activites.compter(perimetre, du=du, au=au)
        assert list(page.elements) == attendus[par_page : 2 * par_page]
        assert page.total == len(attendus)
        assert {(c.type_objet, c.statut): c.nombre for c in compter(attendus)} == nombres


def _abonne(
    id: str,
    *,
    suivi_quotidien: bool = True,
    suivi_hebdomadaire: bool = True,
    role: RoleAgent | None = None,
    technique_pour: str | None = None,
) -> Utilisateur:
    return attrs.evolve(
        utilisateur(id),
        statut=StatutUtilisateur.ACTIF,
        suivi_quotidien=suivi_quotidien,
        suivi_hebdomadaire=suivi_hebdomadaire,
        role=role,
        technique_pour=technique_pour,
    )


def test_les_abonnes_au_suivi(magasin: Magasin) -> None:
    with magasin.uow as uow:
        for u in (
            _abonne("u-3"),
            _abonne("u-1"),
            _abonne("u-2", suivi_quotidien=False),
            _abonne("u-4", suivi_hebdomadaire=False),
            utilisateur("u-5"),  # not activated yet
            _abonne("u-6", role=RoleAgent.COMPTABLE),
            _abonne("u-7", technique_pour="s-1"),
            _abonne("u-8"),
        ):
            uow.utilisateurs.ajouter(u)
        uow.commit()

    with magasin.rouvrir().lecture() as uow:
        quotidiens = [u.id for u in uow.utilisateurs.abonnes_au_suivi(True, None, 10)]
        hebdomadaires = [u.id for u in uow.utilisateurs.abonnes_au_suivi(False, None, 10)]
        premiers = [u.id for u in uow.utilisateurs.abonnes_au_suivi(True, None, 2)]
        suivants = [u.id for u in uow.utilisateurs.abonnes_au_suivi(True, "u-3", 2)]
        [u1] = uow.utilisateurs.abonnes_au_suivi(True, None, 1)
    assert quotidiens == ["u-1", "u-3", "u-4", "u-8"]
    assert hebdomadaires == ["u-1", "u-2", "u-3", "u-8"]
    assert premiers == ["u-1", "u-3"]
    assert suivants == ["u-4", "u-8"]
    assert u1 == _abonne("u-1")
    assert u1.date_creation == T0.astimezone(UTC)


def test_supprimer_les_evenements_d_un_objet_pour_la_purge(magasin: Magasin) -> None:
    """The retention purge takes a mémoire's events with it: those of that object only,
    the totals and counts following, nothing removed by a unit of work rolled back."""

    def du_purge(
        id: str, minutes: int, statut: str = "CERTIFIE", service_id: str | None = None
    ) -> EvenementActivite:
        return attrs.evolve(
            evenement(id, minutes=minutes, statut=statut, service_id=service_id),
            objet_id="m-purge",
        )

    ajouter(
        magasin.uow,
        du_purge("p-1", minutes=1, statut="ENVOYE"),
        du_purge("p-2", minutes=2, statut="REFUSE", service_id="psy"),
        evenement("a", minutes=3),
        evenement("b", minutes=4, statut="REFUSE", service_id="psy"),
        evenement("c", "s-2", minutes=5),
        evenement("d", minutes=6, tic=True),
    )
    tout = PerimetreActivite(
        frais_de_justice=Perimetre(frozenset({"s-1", "s-2"})), tic=Perimetre(frozenset({"s-1"}))
    )
    psy = fdj(services=(("s-1", "psy"),))
    avant = ["d", "c", "b", "a", "p-2", "p-1"]

    # Rolled back, by rollback or by an error: everything is still there.
    with magasin.uow as uow:
        assert uow.activites.supprimer_objet("m-purge") == 2
        assert [e.id for e in uow.activites.fil(tout, Pagination()).elements] == avant[:4]
        uow.rollback()

    def interrompre() -> None:
        with magasin.uow as uow:
            uow.activites.supprimer_objet("m-purge")
            raise RuntimeError("interrompu")

    with pytest.raises(RuntimeError):
        interrompre()
    assert ids(magasin, tout) == avant
    assert ids(magasin, psy) == ["b", "p-2"]

    with magasin.uow as uow:
        # An event of the object written in the same unit of work goes too.
        uow.activites.ajouter([du_purge("p-3", minutes=7)])
        assert uow.activites.supprimer_objet("m-purge") == 3
        assert uow.activites.supprimer_objet("m-purge") == 0
        assert uow.activites.supprimer_objet("o-inconnu") == 0
        uow.commit()

    assert ids(magasin, tout) == ["d", "c", "b", "a"]
    assert ids(magasin, psy) == ["b"]
    assert ids(magasin, fdj("s-1")) == ["b", "a"]
    with magasin.rouvrir().lecture() as uow:
        # The whole feed's total (a store may keep it in counters) and a page of it.
        page = uow.activites.fil(fdj("s-1", "s-2"), Pagination(1, 2))
        nombres = uow.activites.compter(tout)
        nombres_psy = uow.activites.compter(psy)
    assert ([e.id for e in page.elements], page.total) == (["c", "b"], 3)
    assert nombres == {
        (TypeObjet.MEMOIRE, "CERTIFIE"): 2,
        (TypeObjet.MEMOIRE, "REFUSE"): 1,
        (TypeObjet.DEMANDE_TIC, "VALIDEE"): 1,
    }
    assert nombres_psy == {(TypeObjet.MEMOIRE, "REFUSE"): 1}
