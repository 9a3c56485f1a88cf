"""The XML flux reader: defusedxml, the namespace, XPath-like positions, errors per mémoire."""

from __future__ import annotations

import pytest

from chorus.adapters.flux.champs import CHAMPS_ENTETE, ESPACE_DE_NOMS
from chorus.adapters.flux.xml_flux import lire_xml
from chorus.domain.flux.lecture import ErreurFlux, FichierIllisible

RACINE = f'<flux version="1.0" xmlns="{ESPACE_DE_NOMS}">'
SECURITE = (
    "Le document XML contient une déclaration de type (DTD) ou des entités : refusé pour des "
    "raisons de sécurité."
)


def flux(corps: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{RACINE}{corps}</flux>'.encode()


def test_valeurs_positions_et_valeurs_absentes() -> None:
    memoires = lire_xml(
        flux(
            "<memoire><reference> R-1 </reference><commentaire/><!-- note -->"
            "<lignes><ligne><quantite>1.50</quantite><frais_divers>"
            "<frais><libelle>Km</libelle><montant>3,20</montant></frais>"
            "<frais><libelle>Timbres</libelle></frais></frais_divers></ligne>"
            "<ligne/></lignes>"
            "<pieces><piece><fichier>a/b.pdf</fichier><type_piece>AUTRE</type_piece>"
            "<numero_ligne>2</numero_ligne></piece></pieces></memoire>"
            "<memoire><reference>R-2</reference></memoire>"
        )
    )
    premier, second = memoires
    assert (premier.rang, premier.position, premier.reference) == (0, "/flux/memoire[1]", "R-1")
    assert list(premier.entete) == list(CHAMPS_ENTETE)
    assert premier.entete["commentaire"] is None
    assert [ligne.position for ligne in premier.lignes] == [
        "/flux/memoire[1]/ligne[1]",
        "/flux/memoire[1]/ligne[2]",
    ]
    assert premier.lignes[0].valeurs["quantite"] == "1.50"
    assert premier.lignes[0].frais_divers == (("Km", "3,20"), ("Timbres", None))
    assert set(premier.lignes[1].valeurs.values()) == {None}
    (piece,) = premier.pieces
    assert (piece.position, piece.fichier, piece.type_piece, piece.designation) == (
        "/flux/memoire[1]/piece[1]",
        "a/b.pdf",
        "AUTRE",
        None,
    )
    assert piece.numero_ligne == "2"
    assert premier.erreurs == ()
    assert (second.rang, second.position, second.reference) == (1, "/flux/memoire[2]", "R-2")


def test_les_erreurs_portent_la_position_et_le_champ() -> None:
    memoires = lire_xml(
        flux(
            "<memoire><reference>R-0</reference></memoire>"
            '<memoire statut="X"><reference>R-1</reference><reference>R-9</reference>'
            "<juridiction>TJ</juridiction><commentaire><b>gras</b></commentaire>"
            "<lignes><ligne><quantite>1</quantite></ligne><ligne><tva>20</tva>"
            "<frais_divers><frais><libelle>Km</libelle><prix>3</prix></frais>"
            "<autre/></frais_divers></ligne><piece/></lignes>"
            "<pieces><piece><fichier>a.pdf</fichier>x</piece></pieces></memoire>"
        )
    )
    assert memoires[0].erreurs == ()
    memoire = memoires[1]
    assert memoire.reference == "R-1"
    assert memoire.erreurs == (
        ErreurFlux("/flux/memoire[2]", "memoire", "<memoire> ne porte aucun attribut."),
        ErreurFlux(
            "/flux/memoire[2]",
            "reference",
            "Le champ « reference » est donné plusieurs fois : une seule valeur est permise.",
        ),
        ErreurFlux(
            "/flux/memoire[2]",
            "juridiction",
            "Champ inconnu « juridiction » (vouliez-vous dire « juridiction_code » ?).",
        ),
        ErreurFlux(
            "/flux/memoire[2]",
            "commentaire",
            "<commentaire> doit contenir une valeur simple, sans élément ni attribut.",
        ),
        ErreurFlux(
            "/flux/memoire[2]",
            "lignes",
            "Élément inattendu <piece> dans <lignes> : seuls des <ligne> y sont permis.",
        ),
        ErreurFlux("/flux/memoire[2]/ligne[2]", "tva", "Champ inconnu « tva »."),
        ErreurFlux(
            "/flux/memoire[2]/ligne[2]",
            "frais_divers",
            "Élément inattendu <autre> dans <frais_divers> : seuls des <frais> y sont permis.",
        ),
        ErreurFlux("/flux/memoire[2]/ligne[2]/frais[1]", "prix", "Champ inconnu « prix »."),
        ErreurFlux(
            "/flux/memoire[2]/piece[1]",
            "piece",
            "Texte inattendu dans <piece> : seuls des éléments y sont permis.",
        ),
    )
    assert memoire.lignes[0].valeurs["quantite"] == "1"
    assert memoire.pieces[0].fichier == "a.pdf"


def test_un_element_d_un_autre_espace_de_noms_est_inconnu() -> None:
    (memoire,) = lire_xml(
        flux('<memoire xmlns:x="urn:autre"><reference>R-1</reference><x:note>n</x:note></memoire>')
    )
    assert memoire.erreurs == (
        ErreurFlux("/flux/memoire[1]", "note (urn:autre)", "Champ inconnu « note (urn:autre) »."),
    )


def test_une_valeur_demesuree_est_refusee_pour_son_memoire_seulement() -> None:
    memoires = lire_xml(
        flux(
            f"<memoire><reference>R-1</reference><commentaire>{'x' * 2_000_000}</commentaire>"
            "</memoire><memoire><reference>R-2</reference></memoire>"
        )
    )
    assert memoires[0].erreurs == (
        ErreurFlux("/flux/memoire[1]", "commentaire", "La valeur dépasse 10\u202f000 caractères."),
    )
    assert memoires[1].erreurs == ()


def test_l_encodage_est_celui_que_le_document_declare() -> None:
    corps = f"{RACINE}<memoire><reference>Réf</reference></memoire></flux>"
    latin = f'<?xml version="1.0" encoding="ISO-8859-1"?>{corps}'
    (memoire,) = lire_xml(latin.encode("latin-1"))
    assert memoire.reference == "Réf"
    utf16 = f'<?xml version="1.0" encoding="UTF-16"?>{corps}'
    (memoire,) = lire_xml(utf16.encode("utf-16"))
    assert memoire.reference == "Réf"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE flux [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<flux version="1.0" xmlns="urn:chorus:flux:memoires:1">
<memoire><commentaire>&lol9;</commentaire></memoire></flux>
"""

ENTITE_EXTERNE = b"""<?xml version="1.0"?>
<!DOCTYPE flux [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<flux version="1.0" xmlns="urn:chorus:flux:memoires:1">
<memoire><commentaire>&secret;</commentaire></memoire></flux>
"""

DTD_EXTERNE = b"""<?xml version="1.0"?>
<!DOCTYPE flux SYSTEM "http://example.invalid/flux.dtd">
<flux version="1.0" xmlns="urn:chorus:flux:memoires:1"/>
"""


@pytest.mark.parametrize(
    "contenu",
    [BILLION_LAUGHS, ENTITE_EXTERNE, DTD_EXTERNE],
    ids=["billion laughs", "entite externe", "DTD externe"],
)
def test_dtd_et_entites_sont_refuses_pour_raison_de_securite(contenu: bytes) -> None:
    with pytest.raises(FichierIllisible) as refus:
        lire_xml(contenu)
    assert refus.value.message == SECURITE


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"  \n\t", "Le fichier est vide."),
        (
            b'<?xml version="1.0"?>\n<flux version="1.0">\n  <memoire>\n</flux>',
            "Le fichier n'est pas un document XML bien formé (ligne 4, colonne 3).",
        ),
        (
            b'<?xml version="1.0" encoding="UTF-8"?><flux version="1.0" '
            b'xmlns="urn:chorus:flux:memoires:1"><memoire><reference>R\xe9f</reference>'
            b"</memoire></flux>",
            "Le fichier n'est pas encodé en UTF-8 (octet invalide ligne 1) : enregistrez-le en "
            'UTF-8 ou déclarez son encodage (<?xml version="1.0" encoding="…"?>).',
        ),
        (
            b'<flux version="1.0"><memoire/></flux>',
            "L'élément racine doit être <flux> dans l'espace de noms urn:chorus:flux:memoires:1 "
            "(trouvé : <flux>).",
        ),
        (
            b'<memoires xmlns="urn:chorus:flux:memoires:1"/>',
            "L'élément racine doit être <flux> dans l'espace de noms urn:chorus:flux:memoires:1 "
            "(trouvé : <memoires>).",
        ),
        (
            b'<flux xmlns="urn:chorus:flux:memoires:1"/>',
            "L'attribut « version » de <flux> est obligatoire (« 1.0 »).",
        ),
        (
            b'<flux version="1.1" xmlns="urn:chorus:flux:memoires:1"/>',
            "Version de format « 1.1 » inconnue : la version prise en charge est « 1.0 ».",
        ),
        (
            b'<flux version="1.0" auteur="moi" xmlns="urn:chorus:flux:memoires:1"/>',
            "Attribut inconnu « auteur » sur <flux>.",
        ),
        (
            b'<flux version="1.0" xmlns="urn:chorus:flux:memoires:1"><lignes/></flux>',
            "Élément inattendu <lignes> dans <flux> : seuls des <memoire> y sont permis.",
        ),
        (
            b'<flux version="1.0" xmlns="urn:chorus:flux:memoires:1">texte<memoire/></flux>',
            "Texte inattendu dans <flux> : seuls des <memoire> y sont permis.",
        ),
    ],
    ids=[
        "vide",
        "blanc",
        "mal forme",
        "encodage",
        "sans espace de noms",
        "autre racine",
        "sans version",
        "version inconnue",
        "attribut inconnu",
        "element inconnu",
        "texte",
    ],
)
def test_un_fichier_illisible_est_refuse_entier(contenu: bytes, message: str) -> None:
    with pytest.raises(FichierIllisible) as refus:
        lire_xml(contenu)
    assert refus.value.message == message


def test_les_attributs_xsi_sont_permis_sur_la_racine() -> None:
    contenu = (
        f'<flux version="1.0" xmlns="{ESPACE_DE_NOMS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ESPACE_DE_NOMS} memoires.xsd"/>'
    ).encode()
    assert lire_xml(contenu) == []
