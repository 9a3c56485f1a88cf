"""Downloading the PDF documents from the terminal — the certificat de dépôt, the mémoire as
sent, the liste fiscale — and the Archives tab: each file written is compared byte for byte
with what the use case answers (and, for the certificate, with the stored blob)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.memoire import EcranMemoire
from chorus.adapters.tui.ecrans.traitement import EcranTraitementMemoire
from chorus.adapters.tui.formulaires import id_champ
from chorus.adapters.tui.onglets.liste_fiscale import periode_par_defaut
from chorus.adapters.tui.onglets.liste_memoires import TableMemoires
from chorus.adapters.tui.widgets.modales import EnregistrerSous
from chorus.domain.conservation import fin_de_conservation
from chorus.domain.memoire import Memoire
from chorus.ports.requetes import Pagination
from tests.monde import AUJOURDHUI, MAINTENANT, Monde
from tests.tui.aides import (
    TAILLE,
    application,
    attendre,
    cles,
    cliquer,
    connecter,
    erreur_de,
    ouvrir_detail,
    ouvrir_onglet,
    saisir,
)

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]

DOCUMENTS = {"telecharger_certificat", "telecharger_memoire"}


def notifications(app: ChorusApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages the application notifies from now on (a notification fades away after
    a few seconds: it is recorded rather than looked for on the screen)."""
    messages: list[str] = []
    notifier = app.notify

    def noter(message: str, **options: Any) -> None:
        messages.append(message)
        notifier(message, **options)

    monkeypatch.setattr(app, "notify", noter)
    return messages


def sortie(tmp_path: Path) -> Path:
    # Not tmp_path itself: the SQLite world keeps its database and blobs there.
    dossier = tmp_path / "sortie"
    dossier.mkdir()
    return dossier


async def enregistrer_sous(
    pilot: Pilot[None], chemin: Path, *, nom_propose: str, clavier: bool = True
) -> None:
    """In the « Enregistrer sous… » window that opens, check the name proposed (in the
    current folder, as for a pièce), then save to `chemin` and wait until written."""
    app = pilot.app
    await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
    propose = app.screen.query_one(f"#{id_champ('chemin')}", Input).value
    assert propose == str(Path.cwd() / nom_propose)
    await saisir(pilot, "chemin", str(chemin))
    if clavier:
        await pilot.press("ctrl+s")
    else:
        await cliquer(pilot, "#enregistrer")
    await attendre(pilot, lambda: not isinstance(app.screen, EnregistrerSous))


def certificat_stocke(monde: Monde, memoire: Memoire) -> bytes:
    """The certificate's PDF as the blob store has held it since the sending."""
    certificat = memoire.certificat
    assert certificat is not None
    assert certificat.document_sha256 is not None
    return monde.chorus.ports.blobs.lire(certificat.document_sha256)


# -- the prestataire's detail ------------------------------------------------------------


async def test_telecharger_les_documents_d_un_memoire_envoye(
    monde: Monde, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brouillon = monde.brouillon()
    envoye = monde.mis_a_disposition()
    documents = monde.chorus.documents
    # A member with the « consultation » habilitation: reading is enough.
    lecteur = monde.consultant
    attendu_certificat = documents.certificat_depot(lecteur.id, envoye.id)
    attendu_memoire = documents.memoire(lecteur.id, envoye.id)
    dossier = sortie(tmp_path)
    app = application(monde)
    messages = notifications(app, monkeypatch)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, lecteur.email)

        # A draft has no documents: neither button nor key.
        ecran = await ouvrir_detail(pilot, brouillon)
        assert not ecran.actions & DOCUMENTS
        for action in DOCUMENTS:
            assert not ecran.query_one(f"#{action}").display
        await pilot.press("t", "p")
        await pilot.pause()
        assert app.screen is ecran
        await pilot.press("escape")

        ecran = await ouvrir_detail(pilot, envoye)
        assert ecran.actions >= DOCUMENTS
        for action in DOCUMENTS:
            assert ecran.query_one(f"#{action}").display

        # « t », into a folder: the certificate keeps its name there.
        await pilot.press("t")
        await enregistrer_sous(pilot, dossier, nom_propose=attendu_certificat.nom_fichier)
        await attendre(pilot, lambda: app.screen is ecran)
        ecrit = (dossier / attendu_certificat.nom_fichier).read_bytes()
        assert ecrit.startswith(b"%PDF")
        assert ecrit == attendu_certificat.contenu
        assert ecrit == certificat_stocke(monde, envoye)
        assert any(
            message.startswith("Certificat de dépôt enregistré dans « ")
            and str(dossier / attendu_certificat.nom_fichier) in message
            for message in messages
        )

        # The button, to a file named by the user.
        cible = dossier / "mémoire envoyé.pdf"
        await cliquer(pilot, "#telecharger_memoire")
        await enregistrer_sous(pilot, cible, nom_propose=attendu_memoire.nom_fichier, clavier=False)
        await attendre(pilot, lambda: app.screen is ecran)
        assert cible.read_bytes() == attendu_memoire.contenu
        assert any(str(cible) in message for message in messages)

        # An existing file is never overwritten: refused under the path, the window stays.
        await cliquer(pilot, "#telecharger_certificat")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        await saisir(pilot, "chemin", str(cible))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "existe déjà" in erreur_de(pilot, "chemin"))
        assert isinstance(app.screen, EnregistrerSous)
        assert cible.read_bytes() == attendu_memoire.contenu
        assert sorted(f.name for f in dossier.iterdir()) == sorted(
            [attendu_certificat.nom_fichier, cible.name]
        )
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is ecran)


# -- the back office ---------------------------------------------------------------------


async def test_l_agent_telecharge_les_documents(monde: Monde, tmp_path: Path) -> None:
    envoye = monde.mis_a_disposition()
    documents = monde.chorus.documents
    attendu_certificat = documents.certificat_depot(monde.agent.id, envoye.id, back_office=True)
    attendu_memoire = documents.memoire(monde.agent.id, envoye.id, back_office=True)
    dossier = sortie(tmp_path)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        app.ouvrir_traitement(envoye.id)
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, EcranTraitementMemoire) and app.screen.memoire is not None
            ),
        )
        ecran = app.screen

        await pilot.press("ctrl+t")
        await enregistrer_sous(pilot, dossier, nom_propose=attendu_certificat.nom_fichier)
        await attendre(pilot, lambda: app.screen is ecran)
        ecrit = (dossier / attendu_certificat.nom_fichier).read_bytes()
        assert ecrit == attendu_certificat.contenu
        assert ecrit == certificat_stocke(monde, envoye)

        await cliquer(pilot, "#telecharger_memoire")
        await enregistrer_sous(pilot, dossier, nom_propose=attendu_memoire.nom_fichier)
        await attendre(pilot, lambda: app.screen is ecran)
        assert (dossier / attendu_memoire.nom_fichier).read_bytes() == attendu_memoire.contenu

        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        await saisir(pilot, "chemin", str(dossier))
        await cliquer(pilot, "#enregistrer")
        await attendre(pilot, lambda: "existe déjà" in erreur_de(pilot, "chemin"))
        assert (dossier / attendu_memoire.nom_fichier).read_bytes() == attendu_memoire.contenu


# -- the liste fiscale -------------------------------------------------------------------


async def test_la_liste_fiscale_en_pdf(monde: Monde, tmp_path: Path) -> None:
    paye = monde.paye()
    documents = monde.chorus.documents
    du, au = periode_par_defaut(AUJOURDHUI)
    attendu = documents.liste_fiscale(monde.gestionnaire.id, monde.structure.id, du, au)
    # Before the payment, recorded today: a period with no mémoire.
    avant = documents.liste_fiscale(
        monde.gestionnaire.id, monde.structure.id, date(2024, 1, 1), date(2024, 5, 31)
    )
    assert avant.contenu != attendu.contenu
    dossier = sortie(tmp_path)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        await ouvrir_onglet(pilot, "liste-fiscale")
        await attendre(pilot, lambda: cles(pilot, "liste-fiscale-lignes") == [paye.numero])

        await cliquer(pilot, "#liste-fiscale-exporter-pdf")
        await enregistrer_sous(pilot, dossier, nom_propose=attendu.nom_fichier, clavier=False)
        assert (dossier / attendu.nom_fichier).read_bytes() == attendu.contenu

        # Over a year: refused under « au », no window, nothing written.
        await saisir(pilot, "liste_fiscale.du", "01/01/2023")
        await saisir(pilot, "liste_fiscale.au", "14/06/2024")
        # Where the user typed it: the tab's keys apply there.
        app.screen.query_one(f"#{id_champ('liste_fiscale.au')}", Input).focus()
        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: "un an" in erreur_de(pilot, "liste_fiscale.au"))
        await pilot.pause()
        assert not isinstance(app.screen, EnregistrerSous)
        assert [f.name for f in dossier.iterdir()] == [attendu.nom_fichier]
        assert cles(pilot, "liste-fiscale-lignes") == [paye.numero]

        # The period typed is the one exported, and the list shows it too.
        await saisir(pilot, "liste_fiscale.du", "01/01/2024")
        await saisir(pilot, "liste_fiscale.au", "31/05/2024")
        await pilot.press("ctrl+p")
        await enregistrer_sous(pilot, dossier, nom_propose=avant.nom_fichier)
        assert (dossier / avant.nom_fichier).read_bytes() == avant.contenu
        assert cles(pilot, "liste-fiscale-lignes") == []
        assert erreur_de(pilot, "liste_fiscale.au") == ""


# -- the archives ------------------------------------------------------------------------


def _rangee(pilot: Pilot[None], memoire_id: str) -> dict[str, str]:
    table = pilot.app.screen.query_one("#archives-resultats", TableMemoires)
    return {
        str(colonne.key.value): str(table.get_cell(memoire_id, colonne.key))
        for colonne in table.ordered_columns
    }


async def test_les_archives_et_leurs_documents(monde: Monde, tmp_path: Path) -> None:
    ancien = monde.envoye()  # deposited ten years and a day before « today », below
    monde.horloge.avancer(timedelta(days=300))
    envoye = monde.envoye()
    monde.horloge.avancer(timedelta(days=1))
    refuse = monde.refuse()
    brouillon = monde.brouillon()
    # Ten years and one day after the first deposit: it is no longer in the archives.
    monde.horloge.regler(MAINTENANT.replace(year=MAINTENANT.year + 10) + timedelta(days=1))
    documents = monde.chorus.documents
    archives = documents.archives(monde.gestionnaire.id, Pagination())
    assert [r.id for r in archives.elements] == [refuse.id, envoye.id]
    attendu_certificat = documents.certificat_depot(monde.gestionnaire.id, envoye.id)
    attendu_memoire = documents.memoire(monde.gestionnaire.id, envoye.id)
    dossier = sortie(tmp_path)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        await ouvrir_onglet(pilot, "archives")
        await attendre(pilot, lambda: cles(pilot, "archives-resultats") == [refuse.id, envoye.id])
        assert ancien.id not in cles(pilot, "archives-resultats")
        assert brouillon.id not in cles(pilot, "archives-resultats")

        # Kept until ten years after the deposit, day for day.
        for memoire in (envoye, refuse):
            fin = fin_de_conservation(
                monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire.id)
            )
            assert fin is not None
            assert _rangee(pilot, memoire.id)["conservation"] == f"{fin:%d/%m/%Y}"
        assert _rangee(pilot, envoye.id)["conservation"] == "10/04/2035"
        table = pilot.app.screen.query_one("#archives-resultats", DataTable)
        assert [c.label.plain for c in table.ordered_columns][5] == "Conservé jusqu'au"

        # The documents of the row chosen.
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("ctrl+t")
        await enregistrer_sous(pilot, dossier, nom_propose=attendu_certificat.nom_fichier)
        ecrit = (dossier / attendu_certificat.nom_fichier).read_bytes()
        assert ecrit == attendu_certificat.contenu
        assert ecrit == certificat_stocke(monde, envoye)

        await cliquer(pilot, "#archives-telecharger_memoire")
        await enregistrer_sous(
            pilot, dossier, nom_propose=attendu_memoire.nom_fichier, clavier=False
        )
        assert (dossier / attendu_memoire.nom_fichier).read_bytes() == attendu_memoire.contenu

        # Entrée opens it.
        table.focus()
        await pilot.press("enter")
        await attendre(
            pilot,
            lambda: isinstance(app.screen, EcranMemoire) and app.screen.memoire_id == envoye.id,
        )
