"""The « Dépôt flux » tab, on SQLite: a file of three mémoires, one faulty, deposited at the
keyboard, its integration followed by the progress bar, its report read (the refused mémoire
first, with its error's position and field), filtered and exported; the form's refusals
under their fields (no file, a missing path, the attestation sur l'honneur required to send
directly) with nothing stored; the tab hidden from a user who may not file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs
import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, ProgressBar, Select, Static, TabbedContent

from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.ecrans.fichier import EcranFichier
from chorus.adapters.tui.formulaires import id_champ, valeur
from chorus.adapters.tui.onglets.depot_flux import (
    CHAMP_ATTESTATION,
    CHAMP_ENVOI,
    CHAMP_FICHIER,
    CHAMP_FORMAT,
    ONGLET,
    OngletDepotFlux,
)
from chorus.adapters.tui.widgets.choix_fichier import ArbreFiltre, ChoixFichier
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain.entete import ModeDepot
from chorus.domain.flux.flux import Flux, FormatFlux, IssueReference, StatutFlux
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import Pagination
from chorus.services.flux import FluxService
from tests.monde import Monde
from tests.services.flux_aides import fichier_json, ligne_flux, memoire_flux
from tests.tui.aides import (
    TAILLE,
    application,
    attendre,
    cliquer,
    connecter,
    erreur_de,
    ouvrir_onglet,
    saisir,
)

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


class _Arret(Exception):
    """Stops an integration between two units of work."""


def _flux_montre(onglet: OngletDepotFlux) -> Flux | None:
    return onglet.flux


def _onglet(pilot: Pilot[None]) -> OngletDepotFlux:
    return pilot.app.screen.query_one(OngletDepotFlux)


async def _ouvrir_le_depot(pilot: Pilot[None], monde: Monde, email: str) -> OngletDepotFlux:
    await connecter(pilot, email)
    await ouvrir_onglet(pilot, ONGLET)
    onglet = _onglet(pilot)
    await attendre(pilot, lambda: onglet.structure_id == monde.structure.id)
    return onglet


def _fichier(tmp_path: Path, nom: str, *references: str, fautive: str | None = None) -> Path:
    memoires = [
        memoire_flux(
            reference,
            lignes=[ligne_flux(1, quantite="-2")] if reference == fautive else None,
        )
        for reference in references
    ]
    chemin = tmp_path / nom
    chemin.write_bytes(fichier_json(memoires))
    return chemin


async def test_deposer_suivre_et_lire_le_rapport(
    monde: Monde, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fichier(tmp_path, "flux.json", "REF-1", "REF-2", "REF-3", fautive="REF-2")
    # A relative path starts from the current folder, as in the other path fields.
    monkeypatch.chdir(tmp_path)
    # A flux whose integration stopped after its first mémoire (a closed terminal, a
    # crash): resumed from the tab.
    interrompu = monde.chorus.flux.deposer(
        monde.gestionnaire.id,
        structure_id=monde.structure.id,
        format=FormatFlux.JSON,
        nom_fichier="interrompu.json",
        contenu=fichier_json([memoire_flux("OLD-1"), memoire_flux("OLD-2")]),
    )

    def arreter(flux: Flux) -> None:
        if flux.traites >= 1:
            raise _Arret

    with pytest.raises(_Arret):
        FluxService(monde.chorus.ports, taille_du_lot=1).traiter(
            interrompu.numero, progression=arreter
        )
    app = application(monde)
    # One mémoire per unit of work: the bar moves after each, as it does every 500 mémoires
    # of a large file.
    app.services = attrs.evolve(app.services, flux=FluxService(monde.chorus.ports, taille_du_lot=1))
    vus: list[tuple[int, int | None]] = []
    avancer = OngletDepotFlux._avancer

    def suivre(onglet: OngletDepotFlux, flux: Flux) -> None:
        avancer(onglet, flux)
        barre = onglet.query_one("#flux-progression", ProgressBar)
        vus.append((int(barre.progress), None if barre.total is None else int(barre.total)))

    monkeypatch.setattr(OngletDepotFlux, "_avancer", suivre)
    async with app.run_test(size=TAILLE) as pilot:
        onglet = await _ouvrir_le_depot(pilot, monde, monde.gestionnaire.email)
        # The path typed at the keyboard; the format follows its extension.
        pilot.app.screen.query_one(f"#{id_champ(CHAMP_FICHIER)}", Input).focus()
        await pilot.press(*"flux.json")
        assert pilot.app.screen.query_one(f"#{id_champ(CHAMP_FORMAT)}", Select).value == "JSON"
        await pilot.press("f5")

        await attendre(pilot, lambda: onglet.flux is not None and onglet.en_cours is None)
        await attendre(pilot, lambda: onglet.flux is not None and onglet.flux.statut.termine)
        await attendre(pilot, lambda: len(onglet.rapport) == 3)
        flux = onglet.flux
        assert flux is not None
        assert flux.statut is StatutFlux.IN_INTEGRE_PARTIEL
        assert vus[:4] == [(0, 3), (1, 3), (2, 3), (3, 3)]
        barre = pilot.app.screen.query_one("#flux-progression", ProgressBar)
        assert (barre.total, barre.progress) == (3, 3)
        assert "2 intégrés · 0 déjà intégré · 1 refusé" in str(
            pilot.app.screen.query_one("#flux-resume", Static).render()
        )

        # The refused mémoire first, with its error: where, which field, why.
        rapport = pilot.app.screen.query_one("#flux-rapport", TableauPagine)
        assert rapport.cles == ["1", "0", "2"]
        refuse = rapport.cellules("1")
        assert (refuse[1], refuse[2], refuse[3]) == ("REF-2", "Refusé", "")
        detail = str(pilot.app.screen.query_one("#flux-detail", Static).render())
        assert "memoires[1].lignes[0] — quantite :" in detail
        integre = next(r for r in onglet.rapport if r.reference == "REF-1")
        assert integre.issue is IssueReference.INTEGRE
        assert integre.numero_memoire
        assert rapport.cellules("0")[3] == integre.numero_memoire
        assert integre.memoire_id is not None
        memoire = monde.chorus.memoires.obtenir(monde.gestionnaire.id, integre.memoire_id)
        assert memoire.mode_depot is ModeDepot.FLUX
        assert memoire.statut is StatutMemoire.BROUILLON

        # The structure's previous flux: this one.
        historique = pilot.app.screen.query_one("#flux-historique", DataTable)
        await attendre(pilot, lambda: historique.row_count == 2)
        assert flux.numero in historique.rows

        # « Refusés seulement ».
        pilot.app.screen.query_one("#flux-refuses-seulement", Checkbox).value = True
        await pilot.pause()
        assert rapport.cles == ["1"]

        # « Exporter le rapport »: a row per error, one per other mémoire, in file order.
        await cliquer(pilot, "#flux-exporter")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranFichier))
        sortie = tmp_path / "rapport.csv"
        await saisir(pilot, "chemin", "rapport.csv")
        await cliquer(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: not isinstance(pilot.app.screen, EcranFichier))
        lignes = list(csv.reader(io.StringIO(sortie.read_text("utf-8-sig")), delimiter=";"))
        assert lignes[0][:4] == ["Rang", "Référence", "Issue", "Numéro du mémoire"]
        assert [ligne[1] for ligne in lignes[1:]] == ["REF-1", "REF-2", "REF-3"]
        assert lignes[2][2:6] == ["Refusé", "", "memoires[1].lignes[0]", "quantite"]
        assert lignes[1][3] == integre.numero_memoire

        # The stopped flux, chosen among the previous ones, resumes where it stopped.
        historique.focus()
        historique.move_cursor(row=historique.get_row_index(interrompu.numero))
        await pilot.press("enter")
        await attendre(pilot, lambda: onglet.flux is not None and onglet.flux.id == interrompu.id)
        assert onglet.flux is not None
        assert onglet.flux.statut is StatutFlux.IN_EN_TRAITEMENT
        await cliquer(pilot, "#flux-reprendre")
        await attendre(pilot, lambda: onglet.flux is not None and onglet.flux.statut.termine)
        await attendre(pilot, lambda: len(onglet.rapport) == 2)
        repris = _flux_montre(onglet)  # read again: mypy keeps the narrowing above
        assert repris is not None
        assert repris.statut is StatutFlux.IN_INTEGRE
        assert [r.issue for r in onglet.rapport] == [IssueReference.INTEGRE] * 2


async def test_les_refus_du_formulaire_et_l_attestation(monde: Monde, tmp_path: Path) -> None:
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        # A consultant files nothing: the tab is not offered.
        await connecter(pilot, monde.consultant.email)
        onglets = pilot.app.screen.query_one(TabbedContent)
        await attendre(pilot, lambda: not onglets.get_tab(ONGLET).display)
        await pilot.press("f9")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranConnexion))

        onglet = await _ouvrir_le_depot(pilot, monde, monde.gestionnaire.email)
        await cliquer(pilot, "#flux-deposer")
        await attendre(pilot, lambda: erreur_de(pilot, CHAMP_FICHIER) != "")
        assert erreur_de(pilot, CHAMP_FICHIER) == "Indiquez le fichier du flux."
        assert "format" in erreur_de(pilot, CHAMP_FORMAT)

        await saisir(pilot, CHAMP_FICHIER, str(tmp_path / "absent.json"))
        await cliquer(pilot, "#flux-deposer")
        await attendre(pilot, lambda: "n'existe pas" in erreur_de(pilot, CHAMP_FICHIER))

        # A refusal of the service, under the field it names.
        (tmp_path / "vide.json").write_bytes(b"")
        await saisir(pilot, CHAMP_FICHIER, str(tmp_path / "vide.json"))
        await cliquer(pilot, "#flux-deposer")
        await attendre(pilot, lambda: "vide" in erreur_de(pilot, CHAMP_FICHIER))
        assert erreur_de(pilot, CHAMP_FICHIER) == "Le fichier du flux est vide."

        # « Parcourir… » opens at the folder of the path typed, showing the folders and the
        # flux files only (not the SQLite database beside them).
        chemin = _fichier(tmp_path, "envoi.json", "ENV-1")
        await cliquer(pilot, "#flux-parcourir-fichier")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, ChoixFichier))
        arbre = pilot.app.screen.query_one(ArbreFiltre)
        await attendre(pilot, lambda: len(arbre.root.children) > 0)
        noms = {str(noeud.label): noeud for noeud in arbre.root.children}
        assert set(noms) == {"envoi.json", "vide.json", "pieces"}
        arbre.move_cursor(noms["envoi.json"])
        await pilot.press("enter")
        await attendre(pilot, lambda: not isinstance(pilot.app.screen, ChoixFichier))
        assert valeur(pilot.app.screen, CHAMP_FICHIER) == str(chemin)

        # Sending directly needs the attestation sur l'honneur.
        envoi = pilot.app.screen.query_one(f"#{id_champ(CHAMP_ENVOI)}", Checkbox)
        envoi.value = True
        await pilot.pause()
        assert pilot.app.screen.query_one("#flux-bloc-attestation").display
        await cliquer(pilot, "#flux-deposer")
        await attendre(pilot, lambda: erreur_de(pilot, CHAMP_ATTESTATION) != "")
        assert "attestation sur l'honneur" in erreur_de(pilot, CHAMP_ATTESTATION)
        assert erreur_de(pilot, CHAMP_FICHIER) == ""
        page = monde.chorus.flux.lister(monde.gestionnaire.id, monde.structure.id, Pagination())
        assert page.total == 0

        pilot.app.screen.query_one(f"#{id_champ(CHAMP_ATTESTATION)}", Checkbox).value = True
        await cliquer(pilot, "#flux-deposer")
        await attendre(pilot, lambda: onglet.flux is not None and onglet.flux.statut.termine)
        await attendre(pilot, lambda: len(onglet.rapport) == 1)
        assert erreur_de(pilot, CHAMP_ATTESTATION) == ""
        (resultat,) = onglet.rapport
        assert resultat.issue is IssueReference.INTEGRE
        assert resultat.memoire_id is not None
        envoye = monde.chorus.memoires.obtenir(monde.gestionnaire.id, resultat.memoire_id)
        assert envoye.statut is not StatutMemoire.BROUILLON
        assert envoye.numero == resultat.numero_memoire
