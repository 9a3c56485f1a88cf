"""`chorus flux`: deposit a file and watch its integration, resume what is pending, print a
report — with exit codes a script can act on (0 integrated, 2 partial, 1 rejected)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from chorus.adapters.console import flux as console_flux
from chorus.cli import main
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.flux.flux import Flux, FormatFlux, StatutFlux
from chorus.ports.requetes import Pagination
from tests import flux_a_deposer as fichiers
from tests.contract.agregats import IBAN
from tests.fiabilite.commun import Monde, ouvert, preparer

AUJOURDHUI = jour_a_paris(datetime.now(UTC))


@pytest.fixture
def stockage(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'chorus.db'}"


@pytest.fixture
def monde(stockage: str) -> Monde:
    return preparer(stockage)


def _ecrire(dossier: Path, nom: str, contenu: bytes) -> str:
    chemin = dossier / nom
    chemin.write_bytes(contenu)
    return str(chemin)


def _invoquer(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["flux", *arguments])


def _trois_dont_un_fautif() -> bytes:
    fautif = fichiers.memoire("REF-000002", IBAN, AUJOURDHUI)
    fautif["lignes"][0]["tarif_ht"] = "cent"
    return fichiers.document(
        [
            fichiers.memoire("REF-000001", IBAN, AUJOURDHUI),
            fautif,
            fichiers.memoire("REF-000003", IBAN, AUJOURDHUI),
        ]
    )


def test_deposer_montre_l_avancement_puis_le_rapport(
    tmp_path: Path, stockage: str, monde: Monde
) -> None:
    chemin = _ecrire(tmp_path, "memoires.json", _trois_dont_un_fautif())
    resultat = _invoquer(
        "deposer", chemin, "--structure", monde.structure_id, "--storage", stockage
    )
    sortie = resultat.output
    assert resultat.exit_code == 2, sortie
    assert "déposé" in sortie
    assert "3 / 3 mémoires traités" in sortie
    assert "Intégré partiellement" in sortie
    assert "Mémoires : 3 ; traités : 3 ; intégrés : 2 ; déjà intégré : 0 ; refusé : 1." in sortie
    assert "REF-000002 (mémoire n° 2 du fichier) :" in sortie
    assert "    memoires[1].lignes[0], tarif_ht : " in sortie
    assert "REF-000001" not in resultat.stdout  # only the refused ones are detailed
    # The progress goes to standard error, the report to standard output.
    assert "mémoires traités" not in resultat.stdout
    with ouvert(stockage) as chorus:
        (flux,) = chorus.flux.lister(monde.acteur_id, monde.structure_id, Pagination()).elements
        assert flux.statut is StatutFlux.IN_INTEGRE_PARTIEL
        assert flux.integres == 2


def test_un_flux_integre_sort_avec_0_et_redepose_n_integre_rien(
    tmp_path: Path, stockage: str, monde: Monde
) -> None:
    chemin = _ecrire(tmp_path, "m.json", fichiers.flux_json(3, IBAN, AUJOURDHUI))
    arguments = ("deposer", chemin, "--structure", "41234567000019", "--storage", stockage)
    premier = _invoquer(*arguments)  # the structure named by its SIRET
    assert premier.exit_code == 0, premier.output
    assert "intégrés : 3" in premier.output
    second = _invoquer(*arguments)
    assert second.exit_code == 0, second.output
    assert "intégré : 0 ; déjà intégrés : 3" in second.output


def test_un_flux_illisible_est_rejete_avec_le_code_1(
    tmp_path: Path, stockage: str, monde: Monde
) -> None:
    chemin = _ecrire(tmp_path, "m.xml", b"<pas-du-flux/>")
    resultat = _invoquer(
        "deposer", chemin, "--structure", monde.structure_id, "--storage", stockage
    )
    assert resultat.exit_code == 1, resultat.output
    assert "Rejeté" in resultat.output
    assert "Motif du rejet : " in resultat.output


@pytest.mark.parametrize(
    ("nom", "options", "code", "attendu"),
    [
        ("m.json", ["--structure", "inconnue"], 1, "Refusé (structure)"),
        ("m.txt", [], 1, "Refusé (format) : "),
        ("m.json", ["--envoi-direct"], 1, "Refusé (attestation_sur_honneur)"),
        ("m.json", ["--utilisateur", "personne@exemple.fr"], 1, "Refusé (utilisateur)"),
        ("m.json", ["--format", "PDF"], 2, "PDF"),
    ],
)
def test_les_refus_du_depot_ne_deposent_rien(
    tmp_path: Path,
    stockage: str,
    monde: Monde,
    nom: str,
    options: list[str],
    code: int,
    attendu: str,
) -> None:
    chemin = _ecrire(tmp_path, nom, fichiers.flux_json(1, IBAN, AUJOURDHUI))
    if "--structure" not in options:
        options = [*options, "--structure", monde.structure_id]
    resultat = _invoquer("deposer", chemin, *options, "--storage", stockage)
    assert resultat.exit_code == code, resultat.output
    assert attendu in resultat.output
    with ouvert(stockage) as chorus:
        assert chorus.flux.lister(monde.acteur_id, monde.structure_id, Pagination()).total == 0


def test_un_fichier_absent_est_signale(tmp_path: Path, stockage: str, monde: Monde) -> None:
    resultat = _invoquer(
        "deposer",
        str(tmp_path / "absent.json"),
        "--structure",
        monde.structure_id,
        "--storage",
        stockage,
    )
    assert resultat.exit_code == 2
    assert "ne peut pas être lu" in resultat.output


def test_traiter_reprend_les_flux_en_attente_puis_rapport(stockage: str, monde: Monde) -> None:
    with ouvert(stockage) as chorus:
        depose = chorus.flux.deposer(
            monde.acteur_id,
            structure_id=monde.structure_id,
            format=FormatFlux.JSON,
            nom_fichier="m.json",
            contenu=_trois_dont_un_fautif(),
        )
    resultat = _invoquer("traiter", "--storage", stockage)
    assert resultat.exit_code == 2, resultat.output
    assert "3 / 3 mémoires traités" in resultat.output
    assert f"Flux {depose.numero} — Intégré partiellement : 2 intégré(s)" in resultat.output
    encore = _invoquer("traiter", "--storage", stockage)
    assert encore.exit_code == 0, encore.output
    assert "Aucun flux en attente." in encore.output

    rapport = _invoquer("rapport", depose.numero, "--tous", "--storage", stockage)
    assert rapport.exit_code == 0, rapport.output
    assert "memoires[1].lignes[0], tarif_ht" in rapport.output
    assert "Mémoires intégrés :" in rapport.output
    assert "REF-000001 → TMP" in rapport.output
    inconnu = _invoquer("rapport", "FL2000000000000", "--storage", stockage)
    assert inconnu.exit_code == 1
    assert "Refusé (numero_flux)" in inconnu.output


def test_l_aide_documente_les_codes_de_sortie() -> None:
    aide = _invoquer("deposer", "--help").output
    for attendu in ("0  flux intégré", "2  flux intégré partiellement", "1  flux rejeté"):
        assert attendu in aide


class _AutreProcessus:
    """A flux the server's loop integrates meanwhile: `traiter` returns it unfinished (the
    chunk was claimed elsewhere); each reading shows 500 more, until it stops at 1,000 —
    the loop killed —, after which `traiter` takes over and ends it."""

    def __init__(self) -> None:
        self.lu = 0
        self.reprises = 0

    def _flux(self, traites: int, statut: StatutFlux = StatutFlux.IN_EN_TRAITEMENT) -> Flux:
        return Flux(
            id="f",
            numero="FL2024000000001",
            structure_id="s",
            deposant_id="u",
            deposant="Camille",
            format=FormatFlux.JSON,
            nom_fichier="m.json",
            fichier_sha256="0" * 64,
            pieces_sha256=None,
            envoi_direct=False,
            date_depot=datetime(2024, 6, 14, tzinfo=UTC),
            statut=statut,
            total=2000,
            traites=traites,
        )

    def traiter(self, numero: str, *, progression: Callable[[Flux], None] | None = None) -> Flux:
        if self.lu < 2:
            return self._flux(0)
        self.reprises += 1
        return self._flux(2000, StatutFlux.IN_INTEGRE)

    def obtenir(self, acteur_id: str, numero: str) -> Flux:
        self.lu += 1
        return self._flux(min(self.lu, 2) * 500)


def test_deposer_suit_un_flux_integre_ailleurs_et_reprend_s_il_s_arrete() -> None:
    autre = _AutreProcessus()
    instants = iter(range(0, 1000, 4))
    vus: list[int] = []
    fini = console_flux.integrer(
        autre,
        "u",
        "FL2024000000001",
        lambda f: vus.append(f.traites),
        dormir=lambda _: None,
        horloge=lambda: float(next(instants)),
    )
    assert fini.statut is StatutFlux.IN_INTEGRE
    assert autre.reprises == 1
    assert vus[:2] == [500, 1000]
