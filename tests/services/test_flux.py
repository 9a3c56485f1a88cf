"""The dépôt flux's use cases, on memory and on SQLite: deposit, integration (whole or in
part, resumed after a stop, idempotent), report, habilitations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import attrs
import pytest

from chorus.domain.entete import ModeDepot
from chorus.domain.errors import AccesRefuse, FichierTropVolumineux, NonTrouve, ValidationError
from chorus.domain.flux.flux import (
    MOTIF_FLUX_VIDE,
    Flux,
    FormatFlux,
    IssueReference,
    ResultatReference,
    StatutFlux,
)
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Application, Profil
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import Pagination
from chorus.services.flux import TAILLE_MAXIMUM_FICHIER, FluxService
from tests.monde import AUJOURDHUI, PDF, Monde
from tests.services.flux_aides import archive_zip, fichier_json, ligne_flux, memoire_flux

pytestmark = pytest.mark.tous_stockages


class _Arret(Exception):
    """A crash simulated between two chunks."""


def deposer(
    monde: Monde,
    memoires: Sequence[dict[str, Any]],
    *,
    pieces: bytes | None = None,
    envoi_direct: bool = False,
    acteur: str | None = None,
) -> Flux:
    return monde.chorus.flux.deposer(
        acteur or monde.gestionnaire.id,
        structure_id=monde.structure.id,
        format=FormatFlux.JSON,
        nom_fichier="mémoires.json",
        contenu=fichier_json(memoires),
        pieces=pieces,
        envoi_direct=envoi_direct,
        attestation_sur_honneur=envoi_direct,
    )


def integrer(monde: Monde, memoires: Sequence[dict[str, Any]], **options: Any) -> Flux:
    return monde.chorus.flux.traiter(deposer(monde, memoires, **options).numero)


def rapport(monde: Monde, flux: Flux) -> tuple[ResultatReference, ...]:
    return monde.chorus.flux.rapport(monde.gestionnaire.id, flux.numero)


def memoire(monde: Monde, resultat: ResultatReference) -> Memoire:
    assert resultat.memoire_id is not None
    return monde.chorus.memoires.obtenir(monde.gestionnaire.id, resultat.memoire_id)


def prochain_brouillon(monde: Monde) -> int:
    with monde.chorus.ports.uow as uow:
        return uow.sequences.reserver(f"TMP{AUJOURDHUI.year}", 0).start


# The 30 faults of the 1,000-mémoire flux: (change, position under the mémoire, field).
_FAUTES: list[tuple[dict[str, Any], str, str]] = [
    ({"lignes": [ligne_flux(1, quantite="beaucoup"), ligne_flux(2)]}, ".lignes[0]", "quantite"),
    ({"juridiction_code": "TJ-00000"}, "", "juridiction_code"),
    ({"iban": "FR7630004000031234567890143"}, "", "iban"),
    ({"service_code": "ZZZ"}, "", "service_code"),
    ({"type_tva": "TVA_PARFOIS"}, "", "type_tva"),
    (
        {"lignes": [ligne_flux(1), ligne_flux(2, date_prestation="2024-02-30")]},
        ".lignes[1]",
        "date_prestation",
    ),
]


def _mille(fautifs: dict[int, int]) -> list[dict[str, Any]]:
    memoires = [memoire_flux(f"LAB-{k:04d}") for k in range(1000)]
    for rang, faute in fautifs.items():
        memoires[rang].update(_FAUTES[faute][0])
    return memoires


def test_mille_memoires_dont_trente_fautifs_puis_redepot(monde: Monde) -> None:
    fautifs = {7 + 33 * k: k % len(_FAUTES) for k in range(30)}
    memoires = _mille(fautifs)
    avances: list[int] = []
    flux = monde.chorus.flux.traiter(
        deposer(monde, memoires).numero, progression=lambda f: avances.append(f.traites)
    )
    assert flux.statut is StatutFlux.IN_INTEGRE_PARTIEL
    assert (flux.total, flux.traites, flux.integres, flux.refuses) == (1000, 1000, 970, 30)
    assert avances == [0, 500, 1000]
    entrees = rapport(monde, flux)
    assert [e.rang for e in entrees] == list(range(1000))
    assert [e.reference for e in entrees] == [m["reference"] for m in memoires]
    refuses = {e.rang: e for e in entrees if e.issue is IssueReference.REFUSE}
    assert set(refuses) == set(fautifs)
    for rang, faute in fautifs.items():
        _, sous, champ = _FAUTES[faute]
        assert [(e.ligne, e.champ) for e in refuses[rang].erreurs] == [
            (f"memoires[{rang}]{sous}", champ)
        ]
        assert refuses[rang].numero_memoire is None
    integres = [e for e in entrees if e.issue is IssueReference.INTEGRE]
    numeros = {e.numero_memoire for e in integres}
    assert len(numeros) == 970
    assert all(n is not None and n.startswith("TMP2024") for n in numeros)
    for entree in integres[::97]:
        stocke = memoire(monde, entree)
        assert stocke.numero == entree.numero_memoire
        assert stocke.mode_depot is ModeDepot.FLUX
        assert stocke.statut is StatutMemoire.BROUILLON
        assert len(stocke.lignes) == 2
    suivant = prochain_brouillon(monde)

    encore = integrer(monde, memoires)
    assert encore.statut is StatutFlux.IN_INTEGRE_PARTIEL
    assert (encore.integres, encore.deja_integres, encore.refuses) == (0, 970, 30)
    deuxieme = rapport(monde, encore)
    assert [e.numero_memoire for e in deuxieme if e.issue is IssueReference.DEJA_INTEGRE] == [
        e.numero_memoire for e in integres
    ]
    assert prochain_brouillon(monde) == suivant


def test_meme_reference_contenu_different_refusee(monde: Monde) -> None:
    premier = integrer(monde, [memoire_flux("REF-1"), memoire_flux("REF-2")])
    (numero, _) = (e.numero_memoire for e in rapport(monde, premier))
    change = memoire_flux("REF-1", lignes=[ligne_flux(1, tarif_ht="151.00"), ligne_flux(2)])
    second = integrer(monde, [change, memoire_flux("REF-2"), memoire_flux("REF-3")])
    assert second.statut is StatutFlux.IN_INTEGRE_PARTIEL
    un, deux, trois = rapport(monde, second)
    assert un.issue is IssueReference.REFUSE
    assert [(e.ligne, e.champ) for e in un.erreurs] == [("memoires[0]", "reference")]
    assert un.erreurs[0].message == (
        f"La référence REF-1 a déjà été intégrée (mémoire n° {numero}, flux n° "
        f"{premier.numero}) avec un contenu différent."
    )
    assert (deux.issue, trois.issue) == (IssueReference.DEJA_INTEGRE, IssueReference.INTEGRE)


def test_une_reference_deux_fois_dans_le_fichier(monde: Monde) -> None:
    flux = integrer(monde, [memoire_flux("A"), memoire_flux("B"), memoire_flux("A")])
    premier, _, double = rapport(monde, flux)
    assert premier.issue is IssueReference.INTEGRE
    assert double.issue is IssueReference.REFUSE
    assert [(e.ligne, e.champ) for e in double.erreurs] == [("memoires[2]", "reference")]
    assert "memoires[0]" in double.erreurs[0].message


def test_un_brouillon_supprime_depuis_est_integre_a_nouveau(monde: Monde) -> None:
    premier = integrer(monde, [memoire_flux("A")])
    (entree,) = rapport(monde, premier)
    assert entree.memoire_id is not None
    monde.chorus.memoires.supprimer(monde.gestionnaire.id, entree.memoire_id)
    second = integrer(monde, [memoire_flux("A")])
    (nouvelle,) = rapport(monde, second)
    assert nouvelle.issue is IssueReference.INTEGRE
    assert nouvelle.memoire_id != entree.memoire_id
    assert integrer(monde, [memoire_flux("A")]).deja_integres == 1


def test_un_brouillon_envoye_a_la_main_depuis_reste_deja_integre(monde: Monde) -> None:
    (entree,) = rapport(monde, integrer(monde, [memoire_flux("A")]))
    assert entree.memoire_id is not None
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, entree.memoire_id, attestation_sur_honneur=True
    )
    (encore,) = rapport(monde, integrer(monde, [memoire_flux("A")]))
    assert (encore.issue, encore.numero_memoire) == (IssueReference.DEJA_INTEGRE, envoye.numero)


def test_envoi_direct_comme_a_la_main(monde: Monde) -> None:
    ancienne = (AUJOURDHUI - timedelta(days=400)).isoformat()
    forclos = memoire_flux(
        "B",
        lignes=[
            ligne_flux(1),
            ligne_flux(
                2,
                date_prestation=ancienne,
                date_requisition=(AUJOURDHUI - timedelta(days=401)).isoformat(),
            ),
        ],
    )
    flux = integrer(monde, [memoire_flux("A"), forclos], envoi_direct=True)
    assert flux.envoi_direct
    assert (flux.statut, flux.integres, flux.refuses) == (StatutFlux.IN_INTEGRE_PARTIEL, 1, 1)
    envoye, refuse = rapport(monde, flux)
    assert envoye.numero_memoire is not None
    assert envoye.numero_memoire.startswith("MJ")
    stocke = memoire(monde, envoye)
    assert stocke.statut is StatutMemoire.ENVOYE
    assert stocke.mode_depot is ModeDepot.FLUX
    assert stocke.numero_brouillon is not None
    assert stocke.numero_brouillon.startswith("TMP")
    assert stocke.certificat is not None
    assert stocke.certificat.document_sha256 is not None
    assert stocke.empreinte_recalculee() == stocke.certificat.empreinte
    assert any(p.type_piece is TypePiece.COORDONNEE_BANCAIRE for p in stocke.pieces)
    assert monde.chorus.ports.blobs.existe(stocke.certificat.document_sha256)
    fil = monde.chorus.activite.fil(monde.gestionnaire.id)
    assert any(e.objet_id == stocke.id for e in fil.elements)
    assert refuse.issue is IssueReference.REFUSE
    assert [(e.ligne, e.champ) for e in refuse.erreurs] == [
        ("memoires[1].lignes[1]", "date_prestation")
    ]
    assert "Forclusion" in refuse.erreurs[0].message


def test_envoi_direct_sans_attestation_refuse(monde: Monde) -> None:
    with pytest.raises(ValidationError) as erreur:
        monde.chorus.flux.deposer(
            monde.gestionnaire.id,
            structure_id=monde.structure.id,
            format=FormatFlux.JSON,
            nom_fichier="a.json",
            contenu=fichier_json([memoire_flux("A")]),
            envoi_direct=True,
        )
    assert erreur.value.champ == "attestation_sur_honneur"


def test_pieces_prises_dans_l_archive(monde: Monde) -> None:
    archive = archive_zip({"req/A.pdf": PDF + b"A", "programme.exe": b"MZ\x90\x00"})
    memoires = [
        memoire_flux(
            "A",
            pieces=[
                {"fichier": "req/A.pdf", "type_piece": "REQUISITION", "numero_ligne": "2"},
            ],
        ),
        memoire_flux("B", pieces=[{"fichier": "absent.pdf", "type_piece": "AUTRE"}]),
        memoire_flux("C", pieces=[{"fichier": "programme.exe", "type_piece": "AUTRE"}]),
    ]
    flux = integrer(monde, memoires, pieces=archive)
    a, b, c = rapport(monde, flux)
    assert a.issue is IssueReference.INTEGRE
    (piece,) = memoire(monde, a).pieces
    assert (piece.nom_fichier, piece.type_piece, piece.numero_ligne) == (
        "A.pdf",
        TypePiece.REQUISITION,
        2,
    )
    assert a.memoire_id is not None
    _, contenu = monde.chorus.memoires.lire_piece(monde.gestionnaire.id, a.memoire_id, piece.id)
    assert contenu == PDF + b"A"
    assert [(e.ligne, e.champ) for e in b.erreurs] == [("memoires[1].pieces[0]", "fichier")]
    assert "absent.pdf" in b.erreurs[0].message
    assert [(e.ligne, e.champ) for e in c.erreurs] == [("memoires[2].pieces[0]", "fichier")]


def test_arret_entre_deux_lots_puis_reprise_sans_doublon(monde: Monde) -> None:
    service = FluxService(monde.chorus.ports, taille_du_lot=10)
    flux = deposer(monde, [memoire_flux(f"R-{k}") for k in range(35)])

    def plantage(f: Flux) -> None:
        if f.traites >= 10:
            raise _Arret

    with pytest.raises(_Arret):
        service.traiter(flux.numero, progression=plantage)
    arrete = monde.chorus.flux.obtenir(monde.gestionnaire.id, flux.numero)
    assert (arrete.statut, arrete.traites, arrete.integres) == (
        StatutFlux.IN_EN_TRAITEMENT,
        10,
        10,
    )
    assert len(rapport(monde, arrete)) == 10
    (repris,) = service.traiter_en_attente()
    assert (repris.statut, repris.traites, repris.integres) == (StatutFlux.IN_INTEGRE, 35, 35)
    entrees = rapport(monde, repris)
    assert [e.rang for e in entrees] == list(range(35))
    assert len({e.memoire_id for e in entrees}) == 35
    assert prochain_brouillon(monde) == 36
    assert service.traiter(flux.numero) == repris


def test_un_autre_processus_qui_reprend_le_flux_arrete_celui_ci(monde: Monde) -> None:
    service = FluxService(monde.chorus.ports, taille_du_lot=5)
    flux = deposer(monde, [memoire_flux(f"R-{k}") for k in range(12)])
    autre: list[Flux] = []

    def concurrent(f: Flux) -> None:
        if f.traites == 5 and not autre:
            # Another process takes the flux over here and integrates it to the end.
            autre.append(FluxService(monde.chorus.ports, taille_du_lot=5).traiter(f.numero))

    resultat = service.traiter(flux.numero, progression=concurrent)
    assert autre[0].statut is StatutFlux.IN_INTEGRE
    assert resultat == autre[0]
    assert len({e.memoire_id for e in rapport(monde, resultat)}) == 12
    assert prochain_brouillon(monde) == 13


def test_fichier_illisible_ou_vide_rejete(monde: Monde) -> None:
    illisible = monde.chorus.flux.deposer(
        monde.gestionnaire.id,
        structure_id=monde.structure.id,
        format=FormatFlux.JSON,
        nom_fichier="a.json",
        contenu=b"ceci n'est pas du JSON",
    )
    rejete = monde.chorus.flux.traiter(illisible.numero)
    assert rejete.statut is StatutFlux.IN_REJETE
    assert rejete.motif_rejet
    assert rapport(monde, rejete) == ()
    vide = integrer(monde, [])
    assert (vide.statut, vide.motif_rejet, vide.total) == (StatutFlux.IN_REJETE, MOTIF_FLUX_VIDE, 0)


def test_tout_refuse_rejete(monde: Monde) -> None:
    flux = integrer(monde, [memoire_flux("A", type_tva="X"), memoire_flux("B", type_tva="Y")])
    assert (flux.statut, flux.refuses) == (StatutFlux.IN_REJETE, 2)
    assert flux.motif_rejet


@pytest.mark.parametrize(
    ("changement", "champ"),
    [
        ({"contenu": b""}, "fichier"),
        ({"nom_fichier": "  "}, "nom_fichier"),
        ({"pieces": b""}, "pieces"),
    ],
)
def test_depot_invalide_refuse_sans_rien_ecrire(
    monde: Monde, changement: dict[str, Any], champ: str
) -> None:
    valeurs: dict[str, Any] = {
        "structure_id": monde.structure.id,
        "format": FormatFlux.JSON,
        "nom_fichier": "a.json",
        "contenu": fichier_json([memoire_flux("A")]),
    }
    valeurs.update(changement)
    with pytest.raises(ValidationError) as erreur:
        monde.chorus.flux.deposer(monde.gestionnaire.id, **valeurs)
    assert erreur.value.champ == champ
    assert (
        monde.chorus.flux.lister(monde.gestionnaire.id, monde.structure.id, Pagination()).total == 0
    )


def test_fichier_trop_volumineux(monde: Monde) -> None:
    with pytest.raises(FichierTropVolumineux) as erreur:
        monde.chorus.flux.deposer(
            monde.gestionnaire.id,
            structure_id=monde.structure.id,
            format=FormatFlux.CSV,
            nom_fichier="a.csv",
            contenu=b"x" * (TAILLE_MAXIMUM_FICHIER + 1),
        )
    assert erreur.value.champ == "fichier"
    assert "50 Mo" in erreur.value.message


def test_habilitations_du_depot(monde: Monde) -> None:
    for qui in (monde.consultant, monde.sans_habilitation, monde.service_psy):
        with pytest.raises(AccesRefuse):
            deposer(monde, [memoire_flux("A")], acteur=qui.id)
    with pytest.raises(NonTrouve):
        deposer(monde, [memoire_flux("A")], acteur=monde.etranger.id)
    assert deposer(monde, [memoire_flux("A")], acteur=monde.modificateur.id).deposant_id == (
        monde.modificateur.id
    )


def test_habilitation_retiree_avant_l_integration(monde: Monde) -> None:
    flux = deposer(monde, [memoire_flux("A")], acteur=monde.modificateur.id)
    structure = monde.structure
    habilitation = next(
        h
        for h in structure.habilitations
        if h.utilisateur_id == monde.modificateur.id
        and h.application is Application.FRAIS_DE_JUSTICE
        and h.profil is Profil.MODIFICATION
    )
    monde.chorus.structures.retirer_habilitation(
        monde.gestionnaire.id, structure.id, habilitation.id
    )
    traite = monde.chorus.flux.traiter(flux.numero)
    assert traite.statut is StatutFlux.IN_REJETE
    (entree,) = rapport(monde, traite)
    assert entree.erreurs[0].champ is None
    assert "habilitation" in entree.erreurs[0].message


def test_consultation_du_flux_et_de_son_rapport(monde: Monde) -> None:
    flux = integrer(monde, [memoire_flux("A")])
    assert monde.chorus.flux.obtenir(monde.consultant.id, flux.numero) == flux
    assert len(monde.chorus.flux.rapport(monde.consultant.id, flux.numero)) == 1
    for qui in (monde.etranger, monde.agent):
        with pytest.raises(NonTrouve) as erreur:
            monde.chorus.flux.obtenir(qui.id, flux.numero)
        assert erreur.value.champ == "numero_flux"
    with pytest.raises(AccesRefuse):
        monde.chorus.flux.rapport(monde.sans_habilitation.id, flux.numero)
    with pytest.raises(NonTrouve):
        monde.chorus.flux.obtenir(monde.gestionnaire.id, "FL2024999999999")
    with pytest.raises(NonTrouve):
        monde.chorus.flux.traiter("FL2024999999999")


def test_liste_du_plus_recent_et_traitement_des_flux_en_attente(monde: Monde) -> None:
    premier = deposer(monde, [memoire_flux("A")])
    monde.horloge.avancer(timedelta(minutes=1))
    second = deposer(monde, [memoire_flux("B")])
    page = monde.chorus.flux.lister(monde.gestionnaire.id, monde.structure.id, Pagination())
    assert [f.numero for f in page.elements] == [second.numero, premier.numero]
    traites = monde.chorus.flux.traiter_en_attente()
    assert [f.numero for f in traites] == [premier.numero, second.numero]
    assert all(f.statut is StatutFlux.IN_INTEGRE for f in traites)
    assert monde.chorus.flux.traiter_en_attente() == ()
    with pytest.raises(AccesRefuse):
        monde.chorus.flux.lister(monde.sans_habilitation.id, monde.structure.id, Pagination())


def test_un_service_peut_recevoir_un_faux_lecteur(monde: Monde) -> None:
    from chorus.domain.flux.lecture import FichierIllisible

    class LecteurEnPanne:
        def lire(self, format: FormatFlux, contenu: bytes) -> Sequence[Any]:
            raise FichierIllisible("Lecteur de test : fichier refusé.")

        def pieces(self, archive: bytes) -> dict[str, bytes]:
            return {}

    service = FluxService(attrs.evolve(monde.chorus.ports, lecteur_flux=LecteurEnPanne()))
    flux = deposer(monde, [memoire_flux("A")])
    rejete = service.traiter(flux.numero)
    assert (rejete.statut, rejete.motif_rejet) == (
        StatutFlux.IN_REJETE,
        "Lecteur de test : fichier refusé.",
    )


def test_un_flux_en_echec_ne_bloque_pas_les_suivants(monde: Monde) -> None:
    """A flux whose integration raises (here its reader breaks) is left for the next pass;
    the flux deposited after it are integrated meanwhile, then the error is raised."""
    from chorus.adapters.flux import LecteurDeFlux

    class LecteurCasseSurCsv:
        def __init__(self) -> None:
            self._vrai = LecteurDeFlux()

        def lire(self, format: FormatFlux, contenu: bytes) -> Sequence[Any]:
            if format is FormatFlux.CSV:
                raise RuntimeError("lecteur en panne")
            return self._vrai.lire(format, contenu)

        def pieces(self, archive: bytes) -> Any:
            return self._vrai.pieces(archive)

    service = FluxService(attrs.evolve(monde.chorus.ports, lecteur_flux=LecteurCasseSurCsv()))
    casse = monde.chorus.flux.deposer(
        monde.gestionnaire.id,
        structure_id=monde.structure.id,
        format=FormatFlux.CSV,
        nom_fichier="mémoires.csv",
        contenu=b"reference\nA\n",
    )
    monde.horloge.avancer(timedelta(minutes=1))
    suivant = deposer(monde, [memoire_flux("B")])
    with pytest.raises(RuntimeError, match="lecteur en panne"):
        service.traiter_en_attente()
    assert service.obtenir(monde.gestionnaire.id, suivant.numero).statut is StatutFlux.IN_INTEGRE
    assert service.obtenir(monde.gestionnaire.id, casse.numero).statut is StatutFlux.IN_RECU


def test_un_arret_demande_par_la_progression_n_entame_pas_le_flux_suivant(monde: Monde) -> None:
    premier = deposer(monde, [memoire_flux("A")])
    monde.horloge.avancer(timedelta(minutes=1))
    second = deposer(monde, [memoire_flux("B")])

    def arreter(flux: Flux) -> None:
        raise _Arret

    with pytest.raises(_Arret):
        monde.chorus.flux.traiter_en_attente(progression=arreter)
    assert monde.chorus.flux.obtenir(monde.gestionnaire.id, second.numero).statut is (
        StatutFlux.IN_RECU
    )
    assert monde.chorus.flux.obtenir(monde.gestionnaire.id, premier.numero).traites == 0


def test_un_texte_invalide_refuse_ce_seul_memoire(monde: Monde) -> None:
    """A lone surrogate (« \\ud800 » in JSON) cannot be stored nor quoted: the reader
    refuses it at its field, and the flux still ends instead of failing for ever."""
    flux = integrer(
        monde,
        [
            memoire_flux("\ud800"),
            memoire_flux("B", juridiction_code="TJ\udfff"),
            memoire_flux("C", lignes=[ligne_flux(1, quantite="\ud800"), ligne_flux(2)]),
            memoire_flux("D"),
        ],
    )
    assert flux.statut is StatutFlux.IN_INTEGRE_PARTIEL
    a, b, c, d = rapport(monde, flux)
    invalide = "Le texte contient des caractères invalides."
    assert [(e.ligne, e.champ, e.message) for e in a.erreurs] == [
        ("memoires[0]", "reference", invalide)
    ]
    assert [(e.ligne, e.champ, e.message) for e in b.erreurs] == [
        ("memoires[1]", "juridiction_code", invalide)
    ]
    assert [(e.ligne, e.champ, e.message) for e in c.erreurs] == [
        ("memoires[2].lignes[0]", "quantite", invalide)
    ]
    assert d.issue is IssueReference.INTEGRE


class _LecteurAvecValeurImprevue:
    """The real reader, except that the mémoire « B » carries a value no check foresees
    (a number where the conversion expects a text)."""

    def __init__(self) -> None:
        from chorus.adapters.flux import LecteurDeFlux

        self._vrai = LecteurDeFlux()

    def lire(self, format: FormatFlux, contenu: bytes) -> Sequence[Any]:
        imprevue: Any = 7
        return [
            attrs.evolve(lue, entete={**lue.entete, "type_tva": imprevue})
            if lue.reference == "B"
            else lue
            for lue in self._vrai.lire(format, contenu)
        ]

    def pieces(self, archive: bytes) -> Any:
        return self._vrai.pieces(archive)


def test_une_erreur_imprevue_refuse_ce_seul_memoire(monde: Monde) -> None:
    ports = attrs.evolve(monde.chorus.ports, lecteur_flux=_LecteurAvecValeurImprevue())
    flux = FluxService(ports).traiter(
        deposer(monde, [memoire_flux("A"), memoire_flux("B"), memoire_flux("C")]).numero
    )
    assert flux.statut is StatutFlux.IN_INTEGRE_PARTIEL
    a, b, c = rapport(monde, flux)
    assert (a.issue, b.issue, c.issue) == (
        IssueReference.INTEGRE,
        IssueReference.REFUSE,
        IssueReference.INTEGRE,
    )
    (erreur,) = b.erreurs
    assert (erreur.ligne, erreur.champ) == ("memoires[1]", None)
    assert erreur.message.startswith("Ce mémoire n'a pas pu être vérifié")


class _BlobsEnPanne:
    """A blob store that fails to write (a full disk): reading still works."""

    def __init__(self, vrai: Any) -> None:
        self._vrai = vrai

    def deposer(self, contenu: bytes) -> str:
        raise OSError("disque plein")

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._vrai, nom)


def test_une_panne_du_stockage_n_est_pas_un_refus(monde: Monde) -> None:
    """The chunk's storage failing propagates: the flux stays to be retried, no mémoire is
    refused for it."""
    archive = archive_zip({"A.pdf": PDF + b"A"})
    depose = deposer(
        monde,
        [memoire_flux("A", pieces=[{"fichier": "A.pdf", "type_piece": "AUTRE"}])],
        pieces=archive,
    )
    en_panne = FluxService(
        attrs.evolve(monde.chorus.ports, blobs=_BlobsEnPanne(monde.chorus.ports.blobs))
    )
    with pytest.raises(OSError, match="disque plein"):
        en_panne.traiter(depose.numero)
    arrete = monde.chorus.flux.obtenir(monde.gestionnaire.id, depose.numero)
    assert (arrete.statut, arrete.traites, arrete.refuses) == (StatutFlux.IN_EN_TRAITEMENT, 0, 0)
    assert rapport(monde, arrete) == ()
    assert monde.chorus.flux.traiter(depose.numero).statut is StatutFlux.IN_INTEGRE


def test_la_reference_est_lue_en_nfc_et_sans_caractere_de_controle(monde: Monde) -> None:
    decomposee, composee = "Expertise-e\u0301te\u0301", "Expertise-\u00e9t\u00e9"
    premier = integrer(monde, [memoire_flux(decomposee), memoire_flux("A\x01B")])
    integre, controle = rapport(monde, premier)
    assert (integre.issue, integre.reference) == (IssueReference.INTEGRE, composee)
    assert memoire(monde, integre).entete is not None
    assert [(e.champ, e.message) for e in controle.erreurs] == [
        ("reference", "Le texte contient des caractères de contrôle.")
    ]
    (encore,) = rapport(monde, integrer(monde, [memoire_flux(composee)]))
    assert (encore.issue, encore.memoire_id) == (IssueReference.DEJA_INTEGRE, integre.memoire_id)
    _, double = rapport(
        monde, integrer(monde, [memoire_flux("Zo\u00e9"), memoire_flux("Zoe\u0301")])
    )
    assert [(e.champ, e.ligne) for e in double.erreurs] == [("reference", "memoires[1]")]


def test_redeposer_en_envoi_direct_un_fichier_integre_en_brouillons(monde: Monde) -> None:
    (brouillon,) = rapport(monde, integrer(monde, [memoire_flux("A")]))
    premier_flux = monde.chorus.flux.lister(
        monde.gestionnaire.id, monde.structure.id, Pagination()
    ).elements[0]
    flux = integrer(monde, [memoire_flux("A")], envoi_direct=True)
    assert flux.statut is StatutFlux.IN_REJETE
    (refus,) = rapport(monde, flux)
    assert [(e.ligne, e.champ) for e in refus.erreurs] == [("memoires[0]", "reference")]
    assert refus.erreurs[0].message == (
        f"Le mémoire n° {brouillon.numero_memoire} de cette référence a été intégré comme "
        f"brouillon par le flux n° {premier_flux.numero} : envoyez-le depuis le portail, ou "
        "supprimez le brouillon pour le déposer à nouveau."
    )
    assert memoire(monde, brouillon).statut is StatutMemoire.BROUILLON
    # Once sent by hand, the same deposit finds it already there.
    assert brouillon.memoire_id is not None
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, brouillon.memoire_id, attestation_sur_honneur=True
    )
    (deja,) = rapport(monde, integrer(monde, [memoire_flux("A")], envoi_direct=True))
    assert (deja.issue, deja.numero_memoire) == (IssueReference.DEJA_INTEGRE, envoye.numero)


def test_le_flux_et_son_rapport_lus_ensemble(monde: Monde) -> None:
    flux = integrer(monde, [memoire_flux("A"), memoire_flux("B")])
    lu, entrees = monde.chorus.flux.obtenir_avec_rapport(monde.consultant.id, flux.numero)
    assert (lu, entrees) == (flux, rapport(monde, flux))
    with pytest.raises(AccesRefuse):
        monde.chorus.flux.obtenir_avec_rapport(monde.sans_habilitation.id, flux.numero)
    with pytest.raises(NonTrouve):
        monde.chorus.flux.obtenir_avec_rapport(monde.etranger.id, flux.numero)
