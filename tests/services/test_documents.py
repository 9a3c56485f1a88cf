"""The documents use cases: the certificate rendered once at sending and served as stored, the
mémoire as sent, the liste fiscale, the archives, and the public check of an empreinte against
what is stored."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.files import UniteDeTravailFichiers
from chorus.adapters.storage.memory import UniteDeTravailEnMemoire
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.domain.documents import (
    CertificatAImprimer,
    DocumentPdf,
    ListeFiscaleAImprimer,
    MemoireAImprimer,
    NatureDocument,
)
from chorus.domain.errors import (
    AccesRefuse,
    EmpreinteAlteree,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from chorus.ports.documents import DocumentRenderer
from chorus.ports.requetes import Pagination
from chorus.services.documents import DocumentService
from chorus.services.memoires import MemoireService
from tests.monde import Monde, construire_chorus, construire_monde, saisie_ligne

PAGE = Pagination(page=1, par_page=50)


@pytest.fixture
def documents() -> DocumentRenderer:
    """These tests are about the documents: the world renders them for real."""
    return RenduWeasyPrint()


def _certificat(memoire: Memoire) -> str:
    assert memoire.certificat is not None
    adresse = memoire.certificat.document_sha256
    assert adresse is not None
    return adresse


# -- the certificate ---------------------------------------------------------------------


@pytest.mark.tous_stockages
def test_le_certificat_rendu_a_l_envoi_est_celui_qui_est_servi(monde: Monde) -> None:
    envoye = monde.envoye()
    stocke = monde.chorus.ports.blobs.lire(_certificat(envoye))
    assert stocke.startswith(b"%PDF-")

    premier = monde.chorus.documents.certificat_depot(monde.gestionnaire.id, envoye.id)
    second = monde.chorus.documents.certificat_depot(monde.consultant.id, envoye.id)
    assert premier.contenu == stocke
    assert second.contenu == stocke
    assert premier.nature is NatureDocument.CERTIFICAT_DEPOT
    assert premier.nom_fichier == f"certificat-depot-{envoye.numero}.pdf"
    assert premier.type_media == "application/pdf"


def test_le_certificat_se_rend_a_l_identique(monde: Monde) -> None:
    envoye = monde.envoye()
    rendu = monde.chorus.ports.documents.certificat_depot(CertificatAImprimer.depuis(envoye))
    assert rendu == monde.chorus.ports.blobs.lire(_certificat(envoye))


def test_un_memoire_envoye_avant_l_archivage_des_certificats_recoit_le_meme_rendu() -> None:
    uow = UniteDeTravailEnMemoire()
    monde = construire_monde(uow)
    envoye = monde.envoye()
    stocke = monde.chorus.ports.blobs.lire(_certificat(envoye))
    assert envoye.certificat is not None
    # As a mémoire sent by an earlier version was stored: no address of its certificate.
    ancien = attrs.evolve(envoye, certificat=attrs.evolve(envoye.certificat, document_sha256=None))
    with uow:
        uow.memoires.enregistrer(ancien)
        uow.commit()
    servi = monde.chorus.documents.certificat_depot(monde.gestionnaire.id, envoye.id)
    assert servi.contenu == stocke


class _RenduEnPanne(RenduWeasyPrint):
    def certificat_depot(self, document: CertificatAImprimer) -> bytes:
        raise RuntimeError("plus de place sur le disque")


def test_un_certificat_impossible_a_rendre_laisse_le_brouillon_intact() -> None:
    monde = construire_monde()
    brouillon = monde.brouillon()
    en_panne = attrs.evolve(monde.chorus.ports, documents=_RenduEnPanne())

    with pytest.raises(RuntimeError):
        MemoireService(en_panne).envoyer(
            monde.gestionnaire.id, brouillon.id, attestation_sur_honneur=True
        )
    relu = monde.chorus.memoires.obtenir(monde.gestionnaire.id, brouillon.id)
    assert relu == brouillon
    assert relu.statut is StatutMemoire.BROUILLON
    assert relu.certificat is None


def test_le_certificat_d_archive_ne_se_pose_qu_une_fois(monde: Monde) -> None:
    envoye = monde.envoye()
    with pytest.raises(TransitionInvalide):
        envoye.avec_certificat_archive("0" * 64)
    with pytest.raises(TransitionInvalide):
        monde.brouillon().avec_certificat_archive("0" * 64)


# -- who may download ------------------------------------------------------------------


Telecharger = Callable[..., DocumentPdf]

TELECHARGEMENTS: dict[str, Callable[[Monde], Telecharger]] = {
    "certificat": lambda m: m.chorus.documents.certificat_depot,
    "memoire": lambda m: m.chorus.documents.memoire,
}


@pytest.mark.parametrize("telechargement", TELECHARGEMENTS.values(), ids=TELECHARGEMENTS.keys())
def test_qui_peut_telecharger(monde: Monde, telechargement: Callable[[Monde], Telecharger]) -> None:
    telecharger = telechargement(monde)
    envoye = monde.envoye()
    for autorise in (monde.gestionnaire, monde.modificateur, monde.consultant):
        assert telecharger(autorise.id, envoye.id).contenu
    with pytest.raises(NonTrouve):
        telecharger(monde.etranger.id, envoye.id)
    with pytest.raises(AccesRefuse):
        telecharger(monde.sans_habilitation.id, envoye.id)
    # The agents have their own screens and routes, as for the mémoire itself.
    with pytest.raises(NonTrouve):
        telecharger(monde.agent.id, envoye.id)
    assert telecharger(monde.agent.id, envoye.id, back_office=True).contenu
    assert telecharger(monde.comptable.id, envoye.id, back_office=True).contenu
    with pytest.raises(NonTrouve):
        telecharger(monde.agent_ailleurs.id, envoye.id, back_office=True)
    with pytest.raises(AccesRefuse):
        telecharger(monde.gestionnaire.id, envoye.id, back_office=True)


@pytest.mark.parametrize("telechargement", TELECHARGEMENTS.values(), ids=TELECHARGEMENTS.keys())
def test_un_brouillon_n_a_pas_de_documents(
    monde: Monde, telechargement: Callable[[Monde], Telecharger]
) -> None:
    telecharger = telechargement(monde)
    brouillon = monde.brouillon()
    with pytest.raises(TransitionInvalide) as refus:
        telecharger(monde.gestionnaire.id, brouillon.id)
    assert brouillon.numero in str(refus.value)
    # An agent does not even learn that the draft exists.
    with pytest.raises(NonTrouve):
        telecharger(monde.agent.id, brouillon.id, back_office=True)


def test_un_memoire_d_un_autre_service_n_est_pas_telechargeable(monde: Monde) -> None:
    envoye = monde.envoye(service_id=monde.med_id)
    with pytest.raises(AccesRefuse):
        monde.chorus.documents.memoire(monde.service_psy.id, envoye.id)


# -- the mémoire as sent -----------------------------------------------------------------


@pytest.mark.tous_stockages
def test_le_memoire_envoye_se_telecharge_a_l_identique(monde: Monde) -> None:
    envoye = monde.envoye(commentaire="Expertise du 3 juin")
    premier = monde.chorus.documents.memoire(monde.gestionnaire.id, envoye.id)
    # Later processing does not change the document of what was sent.
    monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION)
    second = monde.chorus.documents.memoire(monde.gestionnaire.id, envoye.id)
    assert premier.contenu.startswith(b"%PDF-")
    assert premier.contenu == second.contenu
    assert premier.nom_fichier == f"memoire-{envoye.numero}.pdf"


class _RenduEspion(RenduWeasyPrint):
    def __init__(self) -> None:
        self.memoires: list[MemoireAImprimer] = []
        self.listes: list[ListeFiscaleAImprimer] = []

    def memoire(self, document: MemoireAImprimer) -> bytes:
        self.memoires.append(document)
        return super().memoire(document)

    def liste_fiscale(self, document: ListeFiscaleAImprimer) -> bytes:
        self.listes.append(document)
        return super().liste_fiscale(document)


def _espionner(monde: Monde) -> _RenduEspion:
    espion = _RenduEspion()
    ports = attrs.evolve(monde.chorus.ports, documents=espion)
    monde.chorus = attrs.evolve(
        monde.chorus, documents=DocumentService(ports, monde.chorus.consultation)
    )
    return espion


def test_le_memoire_est_imprime_avec_les_libelles_des_referentiels(monde: Monde) -> None:
    espion = _espionner(monde)
    envoye = monde.envoye(service_id=monde.psy_id)
    monde.chorus.documents.memoire(monde.gestionnaire.id, envoye.id)
    (document,) = espion.memoires
    libelles = document.libelles
    assert libelles.juridiction == "Tribunal judiciaire de Lyon"
    assert libelles.texte_reference.startswith("A.43-6 – ")
    assert libelles.service is not None
    assert libelles.categorie_prestataire not in (None, "PSYCHIATRE")
    ligne = envoye.lignes[0]
    assert libelles.type_prestation(ligne.type_prestation) != ligne.type_prestation
    assert libelles.autorite_requerante(ligne.autorite_requerante) != ligne.autorite_requerante
    # A code no référentiel knows any more is printed as it was sent.
    assert libelles.type_prestation("CODE_RETIRE") == "CODE_RETIRE"


# -- the liste fiscale -------------------------------------------------------------------


def test_la_liste_fiscale_en_pdf(monde: Monde) -> None:
    espion = _espionner(monde)
    paye = monde.paye()
    aujourdhui = monde.horloge.aujourdhui()
    pdf = monde.chorus.documents.liste_fiscale(
        monde.gestionnaire.id, monde.structure.id, aujourdhui - timedelta(days=30), aujourdhui
    )
    assert pdf.contenu.startswith(b"%PDF-")
    assert pdf.nature is NatureDocument.LISTE_FISCALE
    assert pdf.nom_fichier == (
        f"liste-fiscale-{monde.structure.identifiant}-"
        f"{(aujourdhui - timedelta(days=30)).isoformat()}-{aujourdhui.isoformat()}.pdf"
    )
    (document,) = espion.listes
    assert [ligne.numero for ligne in document.lignes] == [paye.numero]
    assert document.totaux.nombre == 1
    assert document.juridiction("TJ-69123") == "Tribunal judiciaire de Lyon"
    assert document.edite_le == monde.horloge.maintenant()
    assert document.raison_sociale == monde.structure.raison_sociale


def test_la_liste_fiscale_en_pdf_refuse_plus_d_un_an(monde: Monde) -> None:
    espion = _espionner(monde)
    with pytest.raises(ValidationError) as refus:
        monde.chorus.documents.liste_fiscale(
            monde.gestionnaire.id, monde.structure.id, date(2023, 1, 1), date(2024, 1, 1)
        )
    assert refus.value.champ == "au"
    with pytest.raises(NonTrouve):
        monde.chorus.documents.liste_fiscale(
            monde.etranger.id, monde.structure.id, date(2024, 1, 1), date(2024, 6, 1)
        )
    assert espion.listes == []


# -- the archives ------------------------------------------------------------------------


def _envoye_aujourdhui(monde: Monde) -> Memoire:
    """A mémoire sent today, whatever day the clock shows (the world's lines are dated from
    its first day)."""
    qui = monde.gestionnaire.id
    memoire = monde.chorus.memoires.creer(qui, monde.entete())
    hier = monde.horloge.aujourdhui() - timedelta(days=1)
    monde.chorus.memoires.ajouter_ligne(qui, memoire.id, saisie_ligne(date_prestation=hier))
    return monde.chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)


@pytest.mark.tous_stockages
def test_les_archives_montrent_dix_ans_de_memoires_transmis(monde: Monde) -> None:
    ancien = monde.paye()
    monde.horloge.avancer(timedelta(days=365 * 10 - 30))
    recent = _envoye_aujourdhui(monde)
    monde.chorus.memoires.creer(monde.gestionnaire.id, monde.entete())
    documents = monde.chorus.documents

    page = documents.archives(monde.gestionnaire.id, PAGE)
    assert [r.numero for r in page.elements] == [recent.numero, ancien.numero]
    assert page.total == 2
    assert [
        r.numero
        for r in documents.archives(monde.gestionnaire.id, PAGE, numero=ancien.numero).elements
    ] == [ancien.numero]
    assert documents.archives(monde.etranger.id, PAGE).total == 0

    # Ten years and a day after its deposit, the oldest one leaves the archives.
    assert ancien.date_depot is not None
    depot = ancien.date_depot.date()
    monde.horloge.avancer(timedelta(days=40))
    assert documents.archives_depuis() > depot
    assert [r.numero for r in documents.archives(monde.gestionnaire.id, PAGE).elements] == [
        recent.numero
    ]


# -- the public check of an empreinte against what is stored -----------------------------


def _alterer_sqlite(chemin: Path, memoire_id: str, sql: str) -> None:
    """What someone with write access to the database file could do: the immutability
    triggers are dropped first."""
    connexion = sqlite3.connect(chemin)
    with connexion:
        for (nom,) in connexion.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%envoye%'"
        ).fetchall():
            connexion.execute(f"DROP TRIGGER {nom}")
        connexion.execute(sql, {"id": memoire_id})
    connexion.close()


ALTERATIONS_SQL = {
    "commentaire": "UPDATE memoires SET document = json_set(document, '$.entete.commentaire', "
    "'ajouté après coup') WHERE id = :id",
    "juridiction": "UPDATE memoires SET juridiction_code = 'TJ-75056', document = "
    "json_set(document, '$.entete.juridiction_code', 'TJ-75056') WHERE id = :id",
    "quantite": "UPDATE lignes_prestation SET quantite = '2.00' WHERE memoire_id = :id",
    "tarif": "UPDATE lignes_prestation SET tarif_ht = '149.99' WHERE memoire_id = :id",
    "piece": "UPDATE memoires SET document = json_set(document, '$.pieces[0].sha256', "
    "'" + "0" * 64 + "') WHERE id = :id",
    "raison_sociale": "UPDATE memoires SET document = json_set(document, "
    "'$.prestataire.raison_sociale', 'Autre cabinet') WHERE id = :id",
    "iban": "UPDATE memoires SET document = json_set(document, '$.prestataire.iban', "
    "'FR7612739000708574127845163') WHERE id = :id",
    "numero": "UPDATE memoires SET numero = 'MJ99999999999', document = json_set(document, "
    "'$.numero', 'MJ99999999999') WHERE id = :id",
    "date_depot": "UPDATE memoires SET document = json_set(document, "
    "'$.certificat.date_depot', '2024-06-14T10:00:01+00:00') WHERE id = :id",
}


@pytest.mark.parametrize("sql", ALTERATIONS_SQL.values(), ids=ALTERATIONS_SQL.keys())
def test_une_alteration_de_la_base_fait_echouer_la_verification(tmp_path: Path, sql: str) -> None:
    base = tmp_path / "chorus.db"
    monde = construire_monde(UniteDeTravailSqlite(base), BlobsSurDisque(tmp_path / "pieces"))
    envoye = monde.envoye()
    temoin = monde.envoye()
    assert envoye.certificat is not None
    assert temoin.certificat is not None
    verifier = monde.chorus.consultation.verifier_empreinte
    assert verifier(envoye.certificat.empreinte) == envoye.certificat

    _alterer_sqlite(base, envoye.id, sql)
    with pytest.raises(EmpreinteAlteree) as refus:
        verifier(envoye.certificat.empreinte)
    assert refus.value.champ == "empreinte"
    assert envoye.numero in str(refus.value)
    # The other mémoire is still vouched for.
    assert verifier(temoin.certificat.empreinte) == temoin.certificat


def test_une_alteration_du_fichier_fait_echouer_la_verification(tmp_path: Path) -> None:
    dossier = tmp_path / "chorus-files"
    monde = construire_monde(UniteDeTravailFichiers(dossier), BlobsSurDisque(dossier / "pieces"))
    envoye = monde.envoye()
    assert envoye.certificat is not None
    empreinte = envoye.certificat.empreinte
    assert monde.chorus.consultation.verifier_empreinte(empreinte) == envoye.certificat

    (fichier,) = (dossier / "memoires").glob(f"{envoye.id}*.json")
    document = json.loads(fichier.read_text("utf-8"))
    document["lignes"][0]["quantite"] = "3.00"
    fichier.write_text(json.dumps(document), "utf-8")
    # A fresh process on the same folder reads the edited file.
    relu = construire_chorus(UniteDeTravailFichiers(dossier), BlobsSurDisque(dossier / "pieces"))
    with pytest.raises(EmpreinteAlteree):
        relu.consultation.verifier_empreinte(empreinte)


def test_une_alteration_en_memoire_fait_echouer_la_verification() -> None:
    uow = UniteDeTravailEnMemoire()
    monde = construire_monde(uow)
    envoye = monde.envoye()
    assert envoye.certificat is not None
    with uow:
        uow.memoires.enregistrer(
            attrs.evolve(envoye, lignes=(attrs.evolve(envoye.lignes[0], numero_affaire="AUTRE"),))
        )
        uow.commit()
    with pytest.raises(EmpreinteAlteree):
        monde.chorus.consultation.verifier_empreinte(envoye.certificat.empreinte)
