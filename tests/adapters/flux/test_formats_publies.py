"""The published formats: the three examples say the same thing, the schemas accept them,
and what the schemas refuse for its structure the readers report too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import xmlschema

from chorus.adapters.flux import LecteurDeFlux
from chorus.adapters.flux.champs import (
    CHAMPS_ENTETE,
    CHAMPS_FRAIS,
    CHAMPS_LIGNE,
    CHAMPS_PIECE,
    ESPACE_DE_NOMS,
)
from chorus.adapters.flux.csv_flux import COLONNES
from chorus.domain.entete import TypeTva
from chorus.domain.flux.flux import FormatFlux
from chorus.domain.flux.lecture import FichierIllisible
from chorus.domain.pieces import TypePiece
from tests.adapters.flux.outils import contenu, donnee

LECTEUR = LecteurDeFlux()
DOCUMENTATION = Path(__file__).parents[3] / "docs" / "flux.md"


@pytest.fixture(scope="module")
def schema_json() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(donnee("memoires.schema.json"))
    return schema


@pytest.fixture(scope="module")
def validateur_json(schema_json: dict[str, Any]) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(schema_json)


@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(donnee("memoires.xsd").decode("utf-8"))


def test_les_trois_exemples_disent_la_meme_chose() -> None:
    json_lu = LECTEUR.lire(FormatFlux.JSON, donnee("exemple.json"))
    xml_lu = LECTEUR.lire(FormatFlux.XML, donnee("exemple.xml"))
    csv_lu = LECTEUR.lire(FormatFlux.CSV, donnee("exemple.csv"))

    assert [m.reference for m in json_lu] == [
        "INT-2026-0042",
        "EXP-MED-2026-118",
        "LAB-TOX-2026-3301",
    ]
    assert contenu(xml_lu) == contenu(json_lu)
    assert contenu(csv_lu) == contenu(json_lu)
    # The examples show what they are meant to: several lines, frais divers, pièces of a
    # line and of the whole mémoire, and no error anywhere.
    interprete, expert, laboratoire = json_lu
    assert len(interprete.lignes) == 2
    assert expert.lignes[0].frais_divers == (
        ("Déplacement (42 km aller-retour)", "35.20"),
        ("Affranchissement du rapport", "4.50"),
    )
    assert {p.numero_ligne for p in expert.pieces} == {"1", None}
    assert laboratoire.entete["service_code"] == "TOXICO"
    assert all(not m.erreurs for m in (*json_lu, *xml_lu, *csv_lu))


def test_les_positions_de_chaque_format() -> None:
    json_lu = LECTEUR.lire(FormatFlux.JSON, donnee("exemple.json"))
    xml_lu = LECTEUR.lire(FormatFlux.XML, donnee("exemple.xml"))
    csv_lu = LECTEUR.lire(FormatFlux.CSV, donnee("exemple.csv"))

    assert [m.position for m in json_lu] == ["memoires[0]", "memoires[1]", "memoires[2]"]
    assert [ligne.position for ligne in json_lu[0].lignes] == [
        "memoires[0].lignes[0]",
        "memoires[0].lignes[1]",
    ]
    assert [p.position for p in json_lu[1].pieces] == [
        "memoires[1].pieces[0]",
        "memoires[1].pieces[1]",
    ]
    assert [m.position for m in xml_lu] == [
        "/flux/memoire[1]",
        "/flux/memoire[2]",
        "/flux/memoire[3]",
    ]
    assert [ligne.position for ligne in xml_lu[0].lignes] == [
        "/flux/memoire[1]/ligne[1]",
        "/flux/memoire[1]/ligne[2]",
    ]
    assert [p.position for p in xml_lu[1].pieces] == [
        "/flux/memoire[2]/piece[1]",
        "/flux/memoire[2]/piece[2]",
    ]
    # The interpreter's second row comes after the laboratory's: rows of a reference need
    # not follow each other, and each line keeps its own row number.
    assert [m.position for m in csv_lu] == ["ligne 2", "ligne 3", "ligne 4"]
    assert [ligne.position for ligne in csv_lu[0].lignes] == ["ligne 2", "ligne 5"]


def test_le_schema_json_valide_l_exemple(
    validateur_json: jsonschema_rs.Draft202012Validator,
) -> None:
    assert [
        e.message for e in validateur_json.iter_errors(json.loads(donnee("exemple.json")))
    ] == []


def test_le_xsd_valide_l_exemple(xsd: xmlschema.XMLSchema) -> None:
    xsd.validate(donnee("exemple.xml").decode("utf-8"))
    assert xsd.target_namespace == ESPACE_DE_NOMS


def test_les_schemas_nomment_les_champs_et_les_codes_du_domaine(
    schema_json: dict[str, Any], xsd: xmlschema.XMLSchema
) -> None:
    definitions = schema_json["$defs"]
    assert list(definitions["memoire"]["properties"]) == [*CHAMPS_ENTETE, "lignes", "pieces"]
    assert list(definitions["ligne"]["properties"]) == [*CHAMPS_LIGNE, "frais_divers"]
    frais = definitions["ligne"]["properties"]["frais_divers"]["items"]
    assert list(frais["properties"]) == list(CHAMPS_FRAIS)
    assert list(definitions["piece"]["properties"]) == list(CHAMPS_PIECE)
    assert definitions["memoire"]["properties"]["type_tva"]["enum"] == [t.value for t in TypeTva]
    assert definitions["piece"]["properties"]["type_piece"]["enum"] == [t.value for t in TypePiece]

    types: Any = xsd.types

    def enfants(nom_type: str) -> list[str]:
        return [e.local_name for e in types[nom_type].content.iter_elements()]

    assert enfants("Memoire") == [*CHAMPS_ENTETE, "lignes", "pieces"]
    assert enfants("Ligne") == [*CHAMPS_LIGNE, "frais_divers"]
    assert enfants("Frais") == list(CHAMPS_FRAIS)
    assert enfants("Piece") == list(CHAMPS_PIECE)
    assert list(types["TypeTva"].enumeration) == [t.value for t in TypeTva]
    assert list(types["TypePiece"].enumeration) == [t.value for t in TypePiece]


def test_la_documentation_decrit_chaque_champ_et_chaque_colonne() -> None:
    documentation = DOCUMENTATION.read_text(encoding="utf-8")
    for nom in (*COLONNES, *CHAMPS_FRAIS, *CHAMPS_PIECE, "memoires.schema.json", "memoires.xsd"):
        assert f"`{nom}`" in documentation, nom


def _exemples_de_la_documentation(langage: str) -> list[str]:
    texte = DOCUMENTATION.read_text(encoding="utf-8")
    return re.findall(rf"```{langage}\n(.*?)```", texte, flags=re.DOTALL)


def test_les_exemples_de_la_documentation_sont_lus_sans_erreur(
    validateur_json: jsonschema_rs.Draft202012Validator, xsd: xmlschema.XMLSchema
) -> None:
    (exemple_json,) = _exemples_de_la_documentation("json")
    (exemple_xml,) = _exemples_de_la_documentation("xml")
    (exemple_csv,) = _exemples_de_la_documentation("csv")
    assert validateur_json.is_valid(json.loads(exemple_json))
    xsd.validate(exemple_xml)
    for format, exemple, nombre in (
        (FormatFlux.JSON, exemple_json, 1),
        (FormatFlux.XML, exemple_xml, 1),
        (FormatFlux.CSV, exemple_csv, 2),
    ):
        memoires = LECTEUR.lire(format, exemple.encode())
        assert len(memoires) == nombre
        assert all(m.erreurs == () and m.lignes for m in memoires)


def _memoire_json(**autres: Any) -> dict[str, Any]:
    memoire: dict[str, Any] = {
        "reference": "R-1",
        "juridiction_code": "TJ-69123",
        "texte_reference": "A.43-7",
        "type_tva": "TVA_SUR_DEBITS",
    }
    memoire.update(autres)
    return memoire


_LIGNE_JSON = {
    "numero_affaire": "PV 1",
    "date_requisition": "2026-10-05",
    "autorite_requerante": "OFFICIER_POLICE_JUDICIAIRE",
    "type_prestation": "TRADUCTION_PAGE",
    "date_prestation": "2026-10-06",
    "quantite": "1",
    "tarif_ht": "25.00",
    "taux_tva": "20",
}

REFUS_JSON: dict[str, Any] = {
    "champ inconnu du mémoire": {"version": "1.0", "memoires": [_memoire_json(juridiction="X")]},
    "champ inconnu d'une ligne": {
        "version": "1.0",
        "memoires": [_memoire_json(lignes=[{**_LIGNE_JSON, "tva": "20"}])],
    },
    "lignes qui ne sont pas une liste": {
        "version": "1.0",
        "memoires": [_memoire_json(lignes=_LIGNE_JSON)],
    },
    "valeur qui est un objet": {
        "version": "1.0",
        "memoires": [_memoire_json(commentaire={"texte": "x"})],
    },
    "valeur booléenne": {"version": "1.0", "memoires": [_memoire_json(numero_facture=True)]},
    "frais divers qui ne sont pas des objets": {
        "version": "1.0",
        "memoires": [_memoire_json(lignes=[{**_LIGNE_JSON, "frais_divers": ["Déplacement"]}])],
    },
    "champ inconnu d'une pièce": {
        "version": "1.0",
        "memoires": [_memoire_json(pieces=[{"fichier": "a.pdf", "type_piece": "AUTRE", "x": 1}])],
    },
    "mémoire qui n'est pas un objet": {"version": "1.0", "memoires": ["R-1"]},
    "version inconnue": {"version": "2.0", "memoires": []},
    "sans version": {"memoires": []},
    "racine qui n'est pas un objet": [_memoire_json()],
    "champ inconnu à la racine": {"version": "1.0", "memoires": [], "auteur": "moi"},
    "mémoires qui ne sont pas une liste": {"version": "1.0", "memoires": _memoire_json()},
}


@pytest.mark.parametrize("document", REFUS_JSON.values(), ids=REFUS_JSON.keys())
def test_ce_que_le_schema_json_refuse_le_lecteur_le_signale(
    validateur_json: jsonschema_rs.Draft202012Validator, document: Any
) -> None:
    assert not validateur_json.is_valid(document)
    try:
        memoires = LECTEUR.lire(FormatFlux.JSON, json.dumps(document).encode())
    except FichierIllisible:
        return
    assert any(m.erreurs for m in memoires)


def _xml(memoires: str, racine: str = f'<flux version="1.0" xmlns="{ESPACE_DE_NOMS}">') -> str:
    return f"{racine}{memoires}</flux>"


_ENTETE_XML = (
    "<reference>R-1</reference><juridiction_code>TJ-69123</juridiction_code>"
    "<texte_reference>A.43-7</texte_reference><type_tva>TVA_SUR_DEBITS</type_tva>"
)
_LIGNE_XML = "".join(f"<{k}>{v}</{k}>" for k, v in _LIGNE_JSON.items())

REFUS_XML = {
    "élément inconnu du mémoire": _xml(
        f"<memoire>{_ENTETE_XML}<juridiction>X</juridiction></memoire>"
    ),
    "élément inconnu d'une ligne": _xml(
        f"<memoire>{_ENTETE_XML}<lignes><ligne>{_LIGNE_XML}<tva>20</tva></ligne></lignes></memoire>"
    ),
    "ligne hors de <lignes>": _xml(f"<memoire>{_ENTETE_XML}<ligne>{_LIGNE_XML}</ligne></memoire>"),
    "élément dans une valeur": _xml(
        f"<memoire>{_ENTETE_XML}<commentaire><b>gras</b></commentaire></memoire>"
    ),
    "champ répété": _xml(f"<memoire>{_ENTETE_XML}<reference>R-2</reference></memoire>"),
    "attribut sur un mémoire": _xml(f'<memoire id="1">{_ENTETE_XML}</memoire>'),
    "texte dans un mémoire": _xml(f"<memoire>{_ENTETE_XML}du texte</memoire>"),
    "frais en attribut": _xml(
        f"<memoire>{_ENTETE_XML}<lignes><ligne>{_LIGNE_XML}<frais_divers>"
        '<frais libelle="Déplacement" montant="12.00"/></frais_divers></ligne></lignes></memoire>'
    ),
    "sans espace de noms": _xml(f"<memoire>{_ENTETE_XML}</memoire>", '<flux version="1.0">'),
    "sans version": _xml(f"<memoire>{_ENTETE_XML}</memoire>", f'<flux xmlns="{ESPACE_DE_NOMS}">'),
    "version inconnue": _xml("", f'<flux version="2.0" xmlns="{ESPACE_DE_NOMS}">'),
    "élément inconnu à la racine": _xml("<auteur>moi</auteur>"),
}


@pytest.mark.parametrize("document", REFUS_XML.values(), ids=REFUS_XML.keys())
def test_ce_que_le_xsd_refuse_le_lecteur_le_signale(
    xsd: xmlschema.XMLSchema, document: str
) -> None:
    assert not xsd.is_valid(document)
    try:
        memoires = LECTEUR.lire(FormatFlux.XML, document.encode())
    except FichierIllisible:
        return
    assert any(m.erreurs for m in memoires)


def test_un_document_minimal_est_valide_pour_les_schemas_et_le_lecteur(
    validateur_json: jsonschema_rs.Draft202012Validator, xsd: xmlschema.XMLSchema
) -> None:
    # The reverse of the refusals above: the cases are refused for what they change.
    document = {"version": "1.0", "memoires": [_memoire_json(lignes=[_LIGNE_JSON])]}
    assert validateur_json.is_valid(document)
    (lu,) = LECTEUR.lire(FormatFlux.JSON, json.dumps(document).encode())
    assert lu.erreurs == ()
    xml = _xml(f"<memoire>{_ENTETE_XML}<lignes><ligne>{_LIGNE_XML}</ligne></lignes></memoire>")
    assert xsd.is_valid(xml)
    (lu_xml,) = LECTEUR.lire(FormatFlux.XML, xml.encode())
    assert lu_xml.erreurs == ()
