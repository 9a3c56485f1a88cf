"""The flux's lifecycle and numbering (pure domain)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chorus.domain.errors import TransitionInvalide
from chorus.domain.flux.flux import (
    MOTIF_FLUX_VIDE,
    MOTIF_TOUT_REFUSE,
    Flux,
    FormatFlux,
    IssueReference,
    ResultatReference,
    StatutFlux,
    numero_flux,
    sequence_flux,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
T1 = T0 + timedelta(minutes=3)


def flux() -> Flux:
    return Flux(
        id="f-1",
        numero="FL2026000000001",
        structure_id="s-1",
        deposant_id="u-1",
        deposant="Paul Durand",
        format=FormatFlux.JSON,
        nom_fichier="lot.json",
        fichier_sha256="a" * 64,
        pieces_sha256=None,
        envoi_direct=False,
        date_depot=T0,
    )


def r(rang: int, issue: IssueReference) -> ResultatReference:
    return ResultatReference(rang=rang, reference=f"R{rang}", issue=issue)


INT, DEJ, REF = IssueReference.INTEGRE, IssueReference.DEJA_INTEGRE, IssueReference.REFUSE


def test_numero_et_sequence_par_annee() -> None:
    assert numero_flux(2026, 12) == "FL2026000000012"
    assert sequence_flux(2026) == "FL2026"
    with pytest.raises(ValueError, match="épuisée"):
        numero_flux(2026, 10**9)


def test_commencer_puis_avancer_compte_chaque_issue() -> None:
    f = flux().commencer(5, T0)
    assert (f.statut, f.total, f.date_debut_traitement, f.pourcentage) == (
        StatutFlux.IN_EN_TRAITEMENT,
        5,
        T0,
        0,
    )
    f = f.avancer([r(0, INT), r(1, REF)])
    assert (f.traites, f.integres, f.refuses, f.pourcentage) == (2, 1, 1, 40)
    f = f.avancer([r(2, DEJ), r(3, INT), r(4, INT)])
    assert (f.traites, f.integres, f.deja_integres, f.refuses) == (5, 3, 1, 1)


@pytest.mark.parametrize(
    ("issues", "statut", "motif"),
    [
        ([INT, DEJ, INT], StatutFlux.IN_INTEGRE, None),
        ([DEJ, DEJ], StatutFlux.IN_INTEGRE, None),
        ([INT, REF, DEJ], StatutFlux.IN_INTEGRE_PARTIEL, None),
        ([DEJ, REF], StatutFlux.IN_INTEGRE_PARTIEL, None),
        ([REF, REF], StatutFlux.IN_REJETE, MOTIF_TOUT_REFUSE),
        ([], StatutFlux.IN_REJETE, MOTIF_FLUX_VIDE),
    ],
)
def test_terminer_donne_le_statut_final(
    issues: list[IssueReference], statut: StatutFlux, motif: str | None
) -> None:
    f = flux().commencer(len(issues), T0).avancer([r(k, i) for k, i in enumerate(issues)])
    termine = f.terminer(T1)
    assert (termine.statut, termine.motif_rejet, termine.date_fin_traitement) == (
        statut,
        motif,
        T1,
    )
    assert termine.termine
    assert termine.pourcentage == 100


def test_les_resultats_doivent_suivre_le_rang_atteint() -> None:
    f = flux().commencer(3, T0).avancer([r(0, INT)])
    with pytest.raises(TransitionInvalide):
        f.avancer([r(2, INT)])
    with pytest.raises(TransitionInvalide):
        f.avancer([r(0, INT)])
    with pytest.raises(TransitionInvalide):
        f.avancer([r(1, INT), r(2, INT), r(3, INT)])


def test_un_flux_ne_se_termine_pas_avant_son_dernier_memoire() -> None:
    with pytest.raises(TransitionInvalide, match="n'a pas fini"):
        flux().commencer(2, T0).avancer([r(0, INT)]).terminer(T1)


def test_les_etapes_hors_de_leur_statut_sont_refusees() -> None:
    with pytest.raises(TransitionInvalide):
        flux().avancer([])
    with pytest.raises(TransitionInvalide):
        flux().terminer(T1)
    with pytest.raises(TransitionInvalide):
        flux().commencer(1, T0).commencer(1, T0)
    termine = flux().commencer(0, T0).avancer([]).terminer(T1)
    with pytest.raises(TransitionInvalide):
        termine.rejeter("Illisible", T1)


def test_rejeter_un_fichier_illisible() -> None:
    rejete = flux().rejeter("Le fichier n'est pas du JSON.", T1)
    assert rejete.statut is StatutFlux.IN_REJETE
    assert rejete.motif_rejet == "Le fichier n'est pas du JSON."
    assert rejete.date_fin_traitement == T1
    assert rejete.date_debut_traitement == T1


def test_un_flux_en_partie_integre_ne_peut_plus_etre_rejete() -> None:
    with pytest.raises(TransitionInvalide, match="en partie intégré"):
        flux().commencer(2, T0).avancer([r(0, INT)]).rejeter("Illisible", T1)
