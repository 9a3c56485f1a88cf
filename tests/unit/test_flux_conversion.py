"""The conversion of a mémoire read from a flux: every error with its position and the
flux's field name, and the same mémoire whichever path converts it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chorus.domain.entete import TypeTva
from chorus.domain.flux.conversion import (
    CodesReferentiels,
    Conversion,
    MemoireConvertie,
    convertir,
    empreinte_memoire,
    lire_date,
    normaliser_iban,
    premiers_rangs,
)
from chorus.domain.flux.lecture import ErreurFlux, LigneLue, MemoireLue, PieceLue
from chorus.domain.montants import TauxTva
from chorus.domain.organisation import Structure
from tests.contract.agregats import IBAN, IBAN_POSTE, structure_complete

AUJOURDHUI = date(2024, 6, 14)
STRUCTURE = structure_complete("s-1")
CODES = CodesReferentiels(
    juridictions=frozenset({"TJ-69123", "TJ-75056"}),
    textes_reference=frozenset({"A.43-6"}),
    categories_prestataire=frozenset({"PSYCHIATRE", "INTERPRETE_TRADUCTEUR"}),
    types_prestation=frozenset({"EXPERTISE_PSYCHIATRIQUE"}),
    autorites_requerantes=frozenset({"PROCUREUR_REPUBLIQUE"}),
)


def _service(code: str) -> str:
    return next(s.code for s in STRUCTURE.services if s.code.upper() == code.upper())


def lue_ligne(position: str = "memoires[0].lignes[0]", **valeurs: str | None) -> LigneLue:
    base: dict[str, str | None] = {
        "numero_affaire": "PARQUET-24-001",
        "date_requisition": "2024-06-01",
        "autorite_requerante": "PROCUREUR_REPUBLIQUE",
        "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
        "date_prestation": "2024-06-04",
        "quantite": "2",
        "tarif_ht": "150.00",
        "taux_tva": "20",
        "debours": None,
    }
    base.update(valeurs)
    frais = ()
    return LigneLue(position=position, valeurs=base, frais_divers=frais)


def lue(
    *,
    lignes: tuple[LigneLue, ...] | None = None,
    pieces: tuple[PieceLue, ...] = (),
    erreurs: tuple[ErreurFlux, ...] = (),
    reference: str | None = "REF-1",
    **entete: str | None,
) -> MemoireLue:
    base: dict[str, str | None] = {
        "reference": reference,
        "juridiction_code": "TJ-69123",
        "texte_reference": "A.43-6",
        "type_tva": "TVA_SUR_DEBITS",
        "iban": IBAN,
    }
    base.update(entete)
    return MemoireLue(
        rang=0,
        position="memoires[0]",
        reference=reference,
        entete=base,
        lignes=lignes if lignes is not None else (lue_ligne(),),
        pieces=pieces,
        erreurs=erreurs,
    )


def conversion(memoire: MemoireLue, structure: Structure = STRUCTURE) -> Conversion:
    return convertir(memoire, structure, CODES, aujourdhui=AUJOURDHUI)


def erreurs(memoire: MemoireLue) -> set[tuple[str, str | None]]:
    resultat = conversion(memoire)
    assert resultat.memoire is None
    return {(e.ligne, e.champ) for e in resultat.erreurs}


def convertie(memoire: MemoireLue) -> MemoireConvertie:
    resultat = conversion(memoire)
    assert resultat.erreurs == ()
    assert resultat.memoire is not None
    return resultat.memoire


def test_un_memoire_juste_devient_en_tete_et_lignes() -> None:
    m = convertie(
        lue(
            service_code=_service("psy"),
            iban=" fr76 3000 6000 0112 3456 7890 189 ",
            remise_globale_ttc="1,5",
            lignes=(lue_ligne(quantite="1,25", date_requisition="01/06/2024"),),
        )
    )
    assert m.reference == "REF-1"
    assert m.entete.structure_id == "s-1"
    assert m.entete.service_id == "s-1-svc-psy"
    assert m.entete.coordonnee_bancaire_id == "s-1-cb-1"
    assert m.entete.type_tva is TypeTva.TVA_SUR_DEBITS
    assert m.entete.remise_globale_ttc == Decimal("1.50")
    # The espace's catégorie is taken when the file gives none, as for a hand-entered one.
    assert m.entete.categorie_prestataire == "PSYCHIATRE"
    (ligne,) = m.lignes
    assert (ligne.numero_ligne, ligne.quantite, ligne.taux_tva) == (
        1,
        Decimal("1.25"),
        TauxTva.depuis("20"),
    )
    assert ligne.date_requisition == date(2024, 6, 1)


def test_les_deux_chemins_donnent_le_meme_memoire() -> None:
    memoire = lue(
        service_code=_service("psy"),
        numero_facture="F-12",
        commentaire="  Un commentaire  ",
        lignes=(
            lue_ligne(debours="12,5"),
            LigneLue(
                position="memoires[0].lignes[1]",
                valeurs=dict(lue_ligne().valeurs),
                frais_divers=(("Déplacement", "30.20"), ("Affranchissement", "2")),
            ),
        ),
        pieces=(PieceLue("memoires[0].pieces[0]", "req.pdf", "requisition", None, "2"),),
    )
    rapide = conversion(memoire)
    detaillee = convertir(memoire, STRUCTURE, CODES, aujourdhui=AUJOURDHUI, en_detail=True)
    assert rapide == detaillee
    assert rapide.memoire is not None
    assert rapide.memoire.pieces[0].numero_ligne == 2


def test_chaque_erreur_est_donnee_avec_sa_position_et_son_champ() -> None:
    memoire = lue(
        juridiction_code="TJ-00000",
        type_tva="TVA_INCONNUE",
        service_code="INCONNU",
        iban=IBAN_POSTE.replace("FR14", "FR15"),
        remise_globale_ttc="dix",
        devise=None,
        lignes=(
            lue_ligne(quantite="abc", date_prestation="2024-02-30"),
            lue_ligne(
                "memoires[0].lignes[1]",
                type_prestation="INCONNUE",
                taux_tva="7",
                numero_affaire=None,
            ),
            lue_ligne("memoires[0].lignes[2]", date_prestation="2024-13-01", tarif_ht="1e5"),
        ),
        pieces=(
            PieceLue("memoires[0].pieces[0]", None, "FACTURETTE", None, "9"),
            PieceLue("memoires[0].pieces[1]", "b.pdf", None, None, "x"),
        ),
    )
    assert erreurs(memoire) == {
        ("memoires[0]", "juridiction_code"),
        ("memoires[0]", "type_tva"),
        ("memoires[0]", "service_code"),
        ("memoires[0]", "iban"),
        ("memoires[0]", "remise_globale_ttc"),
        ("memoires[0].lignes[0]", "quantite"),
        ("memoires[0].lignes[0]", "date_prestation"),
        ("memoires[0].lignes[1]", "type_prestation"),
        ("memoires[0].lignes[1]", "taux_tva"),
        ("memoires[0].lignes[1]", "numero_affaire"),
        ("memoires[0].lignes[2]", "date_prestation"),
        ("memoires[0].lignes[2]", "tarif_ht"),
        ("memoires[0].pieces[0]", "fichier"),
        ("memoires[0].pieces[0]", "type_piece"),
        ("memoires[0].pieces[0]", "numero_ligne"),
        ("memoires[0].pieces[1]", "type_piece"),
        ("memoires[0].pieces[1]", "numero_ligne"),
    }


def test_les_messages_sont_en_francais_et_precis() -> None:
    resultat = conversion(
        lue(
            service_code="MED",
            lignes=(lue_ligne(date_prestation="31/02/2024", taux_tva="7"),),
        )
    )
    messages = {(e.champ, e.message) for e in resultat.erreurs}
    assert ("service_code", "Le service MED n'est plus actif.") in messages
    assert ("date_prestation", "La date « 31/02/2024 » n'existe pas.") in messages
    assert any(c == "taux_tva" and "7 % n'existe pas" in m for c, m in messages)


def test_les_regles_des_constructeurs_du_domaine_s_appliquent_ligne_par_ligne() -> None:
    resultat = conversion(
        lue(
            type_tva="SANS_TVA",
            numero_facture="F" * 51,
            lignes=(
                lue_ligne(date_requisition="2024-06-10", date_prestation="2024-06-04"),
                lue_ligne("memoires[0].lignes[1]", date_prestation="2024-07-01", taux_tva="0"),
                lue_ligne("memoires[0].lignes[2]"),
            ),
        )
    )
    assert {(e.ligne, e.champ) for e in resultat.erreurs} == {
        ("memoires[0]", "numero_facture"),
        ("memoires[0].lignes[0]", "date_requisition"),
        ("memoires[0].lignes[0]", "taux_tva"),
        ("memoires[0].lignes[1]", "date_prestation"),
        ("memoires[0].lignes[2]", "taux_tva"),
    }


def test_les_frais_divers_sont_nommes_par_leur_rang() -> None:
    ligne = LigneLue(
        position="memoires[0].lignes[0]",
        valeurs=dict(lue_ligne().valeurs),
        frais_divers=(("Déplacement", "trente"), (None, "2"), ("Péage", "-3")),
    )
    assert erreurs(lue(lignes=(ligne,))) == {
        ("memoires[0].lignes[0]", "frais_divers[0].montant"),
        ("memoires[0].lignes[0]", "frais_divers[1].libelle"),
        ("memoires[0].lignes[0]", "frais_divers[2].montant"),
    }


def test_reference_manquante_ou_trop_longue_et_erreurs_du_lecteur() -> None:
    assert ("memoires[0]", "reference") in erreurs(lue(reference=None))
    assert ("memoires[0]", "reference") in erreurs(lue(reference="R" * 51))
    du_lecteur = ErreurFlux("ligne 3", "inconnu", "Le champ « inconnu » n'existe pas.")
    resultat = conversion(lue(erreurs=(du_lecteur,)))
    assert resultat.erreurs == (du_lecteur,)


def test_la_reference_en_nfc_sans_caractere_de_controle() -> None:
    assert convertie(lue(reference=" Expertise-e\u0301te\u0301 ")).reference == (
        "Expertise-\u00e9t\u00e9"
    )
    assert premiers_rangs([lue(reference="e\u0301")]) == {"\u00e9": 0}
    for reference in ("A\x01B", "A\x00B"):
        # The fast path and the detailed one agree.
        for en_detail in (False, True):
            refus = convertir(
                lue(reference=reference),
                STRUCTURE,
                CODES,
                aujourdhui=AUJOURDHUI,
                en_detail=en_detail,
            )
            assert refus.memoire is None
            assert [(e.champ, e.message) for e in refus.erreurs] == [
                ("reference", "Le texte contient des caractères de contrôle.")
            ]


def test_une_valeur_refusee_par_le_lecteur_n_est_pas_dite_manquante() -> None:
    invalide = "Le texte contient des caractères invalides."
    du_lecteur = (
        ErreurFlux("memoires[0]", "juridiction_code", invalide),
        ErreurFlux("memoires[0].lignes[0]", "quantite", invalide),
    )
    resultat = conversion(
        lue(juridiction_code=None, lignes=(lue_ligne(quantite=None),), erreurs=du_lecteur)
    )
    assert resultat.erreurs == du_lecteur


def test_un_code_de_referentiel_inconnu_est_refuse() -> None:
    assert erreurs(lue(texte_reference="Z.99", categorie_prestataire="ASTROLOGUE")) == {
        ("memoires[0]", "texte_reference"),
        ("memoires[0]", "categorie_prestataire"),
    }
    assert erreurs(lue(lignes=(lue_ligne(autorite_requerante="MAIRE"),))) == {
        ("memoires[0].lignes[0]", "autorite_requerante")
    }


def _empreinte(memoire: MemoireLue, pieces: tuple[str, ...] = ()) -> str:
    return empreinte_memoire(convertie(memoire), pieces)


def test_l_empreinte_ne_depend_que_du_contenu() -> None:
    base = _empreinte(lue())
    assert _empreinte(lue(iban=IBAN.lower())) == base
    assert (
        _empreinte(lue(lignes=(lue_ligne(tarif_ht="150,00", date_prestation="04/06/2024"),)))
        == base
    )
    assert _empreinte(lue(lignes=(lue_ligne(tarif_ht="150.01"),))) != base
    assert _empreinte(lue(numero_facture="F-1")) != base
    assert _empreinte(lue(reference="REF-2")) != base


def test_l_empreinte_compte_le_contenu_des_pieces() -> None:
    avec_piece = lue(pieces=(PieceLue("memoires[0].pieces[0]", "a.pdf", "AUTRE"),))
    assert _empreinte(avec_piece, ("1" * 64,)) != _empreinte(avec_piece, ("2" * 64,))


@pytest.mark.parametrize(
    ("texte", "attendue"),
    [("2026-03-01", date(2026, 3, 1)), ("01/03/2026", date(2026, 3, 1))],
)
def test_lire_date(texte: str, attendue: date) -> None:
    assert lire_date(texte, "date_prestation") == attendue


def test_utilitaires() -> None:
    assert normaliser_iban(" fr76 3000 ") == "FR763000"
    memoires: list[MemoireLue] = [
        MemoireLue(rang=k, position=f"memoires[{k}]", reference=ref, entete={})
        for k, ref in enumerate(["A", "B", "A", None, " B "])
    ]
    assert premiers_rangs(memoires) == {"A": 0, "B": 1}
