"""Contract of the dépôts flux (`uow.flux`), of `MemoireRepository.ajouter_plusieurs` and
of `Sequences.reserver`, through the ports only, on every store."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve, TransitionInvalide
from chorus.domain.flux.flux import (
    Flux,
    FormatFlux,
    IssueReference,
    ReferenceIntegree,
    ResultatReference,
    StatutFlux,
)
from chorus.domain.flux.lecture import ErreurFlux
from chorus.domain.memoire import Memoire
from chorus.ports.requetes import Pagination
from tests.contract.agregats import T0, ajouter, brouillon, entete, ligne, structure
from tests.contract.conftest import Magasin


def un_flux(id: str, numero: str, *, structure_id: str = "s-1", minutes: int = 0) -> Flux:
    return Flux(
        id=id,
        numero=numero,
        structure_id=structure_id,
        deposant_id="u-1",
        deposant="Paul Durand (paul@exemple.fr)",
        format=FormatFlux.CSV,
        nom_fichier="mémoires d'octobre.csv",
        fichier_sha256="a" * 64,
        pieces_sha256=None,
        envoi_direct=False,
        date_depot=T0 + timedelta(minutes=minutes),
    )


def resultat(rang: int, issue: IssueReference = IssueReference.INTEGRE) -> ResultatReference:
    if issue is IssueReference.REFUSE:
        return ResultatReference(
            rang=rang,
            reference=f"REF-{rang}",
            issue=issue,
            erreurs=(
                ErreurFlux(ligne=f"ligne {rang + 2}", champ="quantite", message="« x » invalide"),
                ErreurFlux(ligne=f"ligne {rang + 2}", champ=None, message="Référence « é » ;"),
            ),
        )
    return ResultatReference(
        rang=rang,
        reference=f"REF-{rang}",
        issue=issue,
        numero_memoire=f"TMP2024{rang:09d}",
        memoire_id=f"m-{rang}",
    )


def _ajouter_flux(magasin: Magasin, *flux: Flux) -> None:
    with magasin.uow as uow:
        for f in flux:
            uow.flux.ajouter(f)
        uow.commit()


def _brouillon(id: str, numero: str) -> Memoire:
    return brouillon(id, numero, entete("s-1"), lignes=(ligne(1),))


def test_un_flux_ajoute_se_relit_a_l_identique_apres_reouverture(magasin: Magasin) -> None:
    flux = un_flux("f-1", "FL2024000000001")
    _ajouter_flux(magasin, flux)
    with magasin.rouvrir().lecture() as uow:
        assert uow.flux.obtenir("f-1") == flux
        assert uow.flux.par_numero("FL2024000000001") == flux
        assert uow.flux.par_numero("FL2024000000002") is None


def test_un_flux_inconnu_est_introuvable(magasin: Magasin) -> None:
    with magasin.uow.lecture() as uow, pytest.raises(NonTrouve) as erreur:
        uow.flux.obtenir("f-absent")
    assert erreur.value.champ == "numero_flux"


def test_un_numero_ou_un_id_deja_pris_est_refuse(magasin: Magasin) -> None:
    _ajouter_flux(magasin, un_flux("f-1", "FL2024000000001"))
    with magasin.uow as uow:
        with pytest.raises(Conflit):
            uow.flux.ajouter(un_flux("f-2", "FL2024000000001"))
        with pytest.raises(Conflit):
            uow.flux.ajouter(un_flux("f-1", "FL2024000000002"))


def test_enregistrer_avance_la_version_et_refuse_une_version_perimee(magasin: Magasin) -> None:
    flux = un_flux("f-1", "FL2024000000001")
    _ajouter_flux(magasin, flux)
    with magasin.uow as uow:
        commence = uow.flux.enregistrer(flux.commencer(3, T0))
        uow.commit()
    assert commence.version == 1
    with magasin.uow as uow, pytest.raises(ConflitDeVersion):
        uow.flux.enregistrer(flux.commencer(5, T0))
    with magasin.rouvrir().lecture() as uow:
        assert uow.flux.obtenir("f-1") == commence


def test_un_flux_termine_ne_change_plus(magasin: Magasin) -> None:
    flux = un_flux("f-1", "FL2024000000001")
    _ajouter_flux(magasin, flux)
    with magasin.uow as uow:
        rejete = uow.flux.enregistrer(flux.rejeter("Fichier illisible.", T0))
        uow.commit()
    with magasin.uow as uow, pytest.raises(TransitionInvalide):
        uow.flux.enregistrer(attrs.evolve(rejete, motif_rejet="Autre motif"))
    with magasin.rouvrir().lecture() as uow:
        assert uow.flux.obtenir("f-1").motif_rejet == "Fichier illisible."


def test_les_flux_d_une_structure_du_plus_recent_au_plus_ancien(magasin: Magasin) -> None:
    _ajouter_flux(
        magasin,
        un_flux("f-1", "FL2024000000001", minutes=0),
        un_flux("f-3", "FL2024000000003", minutes=5),
        un_flux("f-2", "FL2024000000002", minutes=5),
        un_flux("f-4", "FL2024000000004", minutes=1, structure_id="s-2"),
    )
    with magasin.uow.lecture() as uow:
        page = uow.flux.pour_structure("s-1", Pagination(page=1, par_page=2))
        suite = uow.flux.pour_structure("s-1", Pagination(page=2, par_page=2))
        autre = uow.flux.pour_structure("s-2", Pagination())
    assert [f.numero for f in page.elements] == ["FL2024000000003", "FL2024000000002"]
    assert page.total == 3
    assert [f.numero for f in suite.elements] == ["FL2024000000001"]
    assert [f.id for f in autre.elements] == ["f-4"]


def test_en_attente_donne_les_flux_non_termines_du_plus_ancien(magasin: Magasin) -> None:
    recu = un_flux("f-1", "FL2024000000001", minutes=9)
    en_cours = un_flux("f-2", "FL2024000000002", minutes=1)
    termine = un_flux("f-3", "FL2024000000003", minutes=0)
    _ajouter_flux(magasin, recu, en_cours, termine)
    with magasin.uow as uow:
        uow.flux.enregistrer(en_cours.commencer(10, T0))
        uow.flux.enregistrer(termine.commencer(0, T0).avancer([]).terminer(T0))
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        assert [f.id for f in uow.flux.en_attente()] == ["f-2", "f-1"]


def test_le_compte_rendu_se_relit_par_rang_et_une_entree_ne_s_ecrit_qu_une_fois(
    magasin: Magasin,
) -> None:
    _ajouter_flux(magasin, un_flux("f-1", "FL2024000000001"), un_flux("f-2", "FL2024000000002"))
    premiers = [resultat(0), resultat(1, IssueReference.REFUSE)]
    suivants = [resultat(2, IssueReference.DEJA_INTEGRE), resultat(3)]
    with magasin.uow as uow:
        uow.flux.ajouter_resultats("f-1", suivants)
        uow.flux.ajouter_resultats("f-1", premiers)
        uow.flux.ajouter_resultats("f-2", [resultat(0)])
        uow.commit()
    with magasin.uow as uow, pytest.raises(Conflit):
        uow.flux.ajouter_resultats("f-1", [resultat(1)])
    with magasin.rouvrir().lecture() as uow:
        assert list(uow.flux.resultats("f-1")) == premiers + suivants
        assert list(uow.flux.resultats("f-2")) == [resultat(0)]
        assert list(uow.flux.resultats("f-absent")) == []


def test_le_registre_ne_donne_que_les_references_dont_le_memoire_existe(
    magasin: Magasin,
) -> None:
    ajouter(magasin.uow, structure("s-1"), _brouillon("m-1", "TMP2024000000001"))
    ajouter(magasin.uow, _brouillon("m-2", "TMP2024000000002"))
    entrees = [
        ReferenceIntegree("s-1", "REF-1", "e1", "m-1", "TMP2024000000001", "FL2024000000001"),
        ReferenceIntegree("s-1", "REF-2", "e2", "m-2", "TMP2024000000002", "FL2024000000001"),
        ReferenceIntegree("s-1", "REF-3", "e3", "m-absent", "TMP2024000000009", "FL1"),
        ReferenceIntegree("s-2", "REF-1", "e4", "m-2", "TMP2024000000002", "FL2024000000002"),
    ]
    with magasin.uow as uow:
        uow.flux.enregistrer_references(entrees)
        uow.commit()
    with magasin.uow as uow:
        uow.memoires.supprimer("m-2")
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        trouvees = uow.flux.references("s-1", ["REF-1", "REF-2", "REF-3", "REF-4"])
        assert dict(trouvees) == {"REF-1": entrees[0]}
        assert dict(uow.flux.references("s-2", ["REF-1"])) == {}
        assert dict(uow.flux.references("s-1", [])) == {}


def test_le_registre_donne_le_numero_actuel_et_se_remplace(magasin: Magasin) -> None:
    ajouter(magasin.uow, structure("s-1"), _brouillon("m-1", "TMP2024000000001"))
    ajouter(magasin.uow, _brouillon("m-2", "TMP2024000000002"))
    with magasin.uow as uow:
        uow.flux.enregistrer_references(
            [ReferenceIntegree("s-1", "REF « 1 »", "e1", "m-1", "TMP2024000000001", "FL1")]
        )
        uow.commit()
    with magasin.uow as uow:
        memoire = uow.memoires.obtenir("m-1")
        uow.memoires.enregistrer(attrs.evolve(memoire, numero="TMP2024000000042"))
        uow.flux.enregistrer_references(
            [ReferenceIntegree("s-1", "REF « 1 »", "e2", "m-2", "TMP2024000000002", "FL2")]
        )
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        assert dict(uow.flux.references("s-1", ["REF « 1 »"])) == {
            "REF « 1 »": ReferenceIntegree(
                "s-1", "REF « 1 »", "e2", "m-2", "TMP2024000000002", "FL2"
            )
        }


def test_un_rollback_n_ecrit_rien_du_flux(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.flux.ajouter(un_flux("f-1", "FL2024000000001"))
        uow.flux.ajouter_resultats("f-1", [resultat(0)])
        uow.flux.enregistrer_references(
            [ReferenceIntegree("s-1", "REF-1", "e1", "m-1", "TMP1", "FL2024000000001")]
        )
    with magasin.rouvrir().lecture() as uow:
        assert uow.flux.par_numero("FL2024000000001") is None
        assert list(uow.flux.resultats("f-1")) == []


def test_ajouter_plusieurs_stocke_chaque_memoire_comme_ajouter(magasin: Magasin) -> None:
    ajouter(magasin.uow, structure("s-1"))
    memoires = [_brouillon(f"m-{i}", f"TMP2024{i:09d}") for i in range(1, 4)]
    with magasin.uow as uow:
        uow.memoires.ajouter_plusieurs(memoires)
        uow.memoires.ajouter_plusieurs([])
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        for memoire in memoires:
            assert uow.memoires.obtenir(memoire.id) == memoire
            assert uow.memoires.par_numero(memoire.numero) == memoire


@pytest.mark.parametrize("conflit", ["numero_stocke", "id_stocke", "doublon_du_lot"])
def test_ajouter_plusieurs_refuse_tout_sur_un_numero_pris(magasin: Magasin, conflit: str) -> None:
    ajouter(magasin.uow, structure("s-1"), _brouillon("m-0", "TMP2024000000000"))
    lot = [_brouillon("m-1", "TMP2024000000001"), _brouillon("m-2", "TMP2024000000002")]
    if conflit == "numero_stocke":
        lot.append(_brouillon("m-3", "TMP2024000000000"))
    elif conflit == "id_stocke":
        lot.append(_brouillon("m-0", "TMP2024000000003"))
    else:
        lot.append(_brouillon("m-3", "TMP2024000000001"))
    with magasin.uow as uow:
        with pytest.raises(Conflit):
            uow.memoires.ajouter_plusieurs(lot)
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        assert uow.memoires.par_numero("TMP2024000000001") is None
        assert uow.memoires.obtenir("m-0").numero == "TMP2024000000000"


def test_reserver_donne_des_valeurs_consecutives_comme_suivant(magasin: Magasin) -> None:
    with magasin.uow as uow:
        assert uow.sequences.suivant("TMP2024") == 1
        assert uow.sequences.reserver("TMP2024", 3) == range(2, 5)
        assert uow.sequences.reserver("TMP2024", 0) == range(5, 5)
        assert uow.sequences.reserver("NEUVE", 2) == range(1, 3)
        uow.commit()
    with magasin.uow as uow:
        assert uow.sequences.suivant("TMP2024") == 5
        uow.sequences.reserver("TMP2024", 10)
    with magasin.rouvrir() as uow:
        # The rolled-back transaction handed out nothing.
        assert uow.sequences.suivant("TMP2024") == 5


def test_les_statuts_d_un_flux_relu_sont_les_siens(magasin: Magasin) -> None:
    flux = un_flux("f-1", "FL2024000000001")
    _ajouter_flux(magasin, flux)
    with magasin.uow as uow:
        f = uow.flux.enregistrer(flux.commencer(2, T0))
        f = uow.flux.enregistrer(
            f.avancer([resultat(0), resultat(1, IssueReference.REFUSE)]).terminer(T0)
        )
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        relu = uow.flux.obtenir("f-1")
    assert relu == f
    assert relu.statut is StatutFlux.IN_INTEGRE_PARTIEL
    assert (relu.integres, relu.refuses, relu.traites, relu.version) == (1, 1, 2, 2)
