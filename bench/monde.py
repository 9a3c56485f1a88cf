"""The world of the benchmark, drawn from a seed: structures, their users, the agents, and which
structure files which mémoire.

Everything here is built through the domain (constructors and methods), so that the
structures and users stored are ones the portal could have made. The distribution is skewed
like real activity: a few very large structures (national interpreters' agencies, telecom
operators, laboratories), many small ones (a psychiatrist, a locksmith…), each working mostly
with the tribunal judiciaire of its département.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import random
from array import array
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import attrs
from stdnum import luhn

import chorus.adapters.storage.sqlite.lignes_sql as module_lignes_sql
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.domain.calendrier import FUSEAU_PORTAIL, ajouter_annees
from chorus.domain.certificat import PrestataireEnvoye
from chorus.domain.entete import TypeTva
from chorus.domain.organisation import (
    Adresse,
    Application,
    CoordonneeBancaire,
    Habilitation,
    Profil,
    Regime,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.referentiels import Juridiction, TypeJuridiction, TypePrestation
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur

# Bump when what the loader (`bench.generateur`) writes changes: cached databases of another
# version are rebuilt. Changes to `monde.py` and `memoires.py` and to the row mapping are
# caught by the key without it (their sources are part of the key); new migrations are
# applied to a cached database when it is opened.
GENERATEUR_VERSION = 1

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Valid French bank details (key and national format), shared by the generated structures.
COMPTES = (
    ("FR7630006000011234567890189", "AGRIFRPP882"),
    ("FR1420041010050500013M02606", "PSSTFRPPLYO"),
)

# How many mémoires of the whole set each catégorie files, roughly (interpreters lead).
POIDS_CATEGORIES = {
    "INTERPRETE_TRADUCTEUR": 26,
    "EXPERT_MEDICAL": 12,
    "PSYCHIATRE": 7,
    "PSYCHOLOGUE": 6,
    "ENQUETEUR_SOCIAL": 5,
    "ENQUETEUR_PERSONNALITE": 7,
    "DELEGUE_MEDIATEUR_PROCUREUR": 6,
    "LABORATOIRE": 4,
    "GARDIEN_SCELLES": 6,
    "DEPANNEUR": 7,
    "OPERATEUR_TELECOM": 1,
    "COMMISSAIRE_DE_JUSTICE": 4,
    "ADMINISTRATEUR_AD_HOC": 3,
    "EXPERT": 5,
    "AUTRE": 1,
}
# The largest structures, by rank: who files tens of thousands of mémoires in reality.
CATEGORIES_DES_PLUS_GRANDES = (
    "INTERPRETE_TRADUCTEUR",
    "OPERATEUR_TELECOM",
    "LABORATOIRE",
    "ENQUETEUR_PERSONNALITE",
    "DEPANNEUR",
    "EXPERT_MEDICAL",
)
_NATURELLES = frozenset(
    {"INTERPRETE_TRADUCTEUR", "EXPERT_MEDICAL", "PSYCHIATRE", "PSYCHOLOGUE", "EXPERT"}
)
_ASSOCIATIVES = frozenset({"ENQUETEUR_PERSONNALITE", "ENQUETEUR_SOCIAL", "ADMINISTRATEUR_AD_HOC"})

_PRENOMS = (
    "Claire", "Paul", "Nadia", "Jean", "Sophie", "Karim", "Élise", "Marc", "Inès", "Hugo",
    "Léa", "Yves", "Amina", "Louis", "Chloé", "Malik", "Anne", "Théo", "Sarah", "Pierre",
)  # fmt: skip
_NOMS = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
)  # fmt: skip
_FORMES = {
    "INTERPRETE_TRADUCTEUR": ("Traductions", "Interprètes"),
    "EXPERT_MEDICAL": ("Cabinet médical", "Médecine légale"),
    "PSYCHIATRE": ("Cabinet de psychiatrie",),
    "PSYCHOLOGUE": ("Cabinet de psychologie",),
    "ENQUETEUR_SOCIAL": ("Association d'enquêtes sociales",),
    "ENQUETEUR_PERSONNALITE": ("Association de contrôle judiciaire", "Service d'enquêtes"),
    "DELEGUE_MEDIATEUR_PROCUREUR": ("Médiation", "Délégués du procureur"),
    "LABORATOIRE": ("Laboratoire", "Biologie"),
    "GARDIEN_SCELLES": ("Fourrière", "Gardiennage"),
    "DEPANNEUR": ("Dépannage", "Remorquage"),
    "OPERATEUR_TELECOM": ("Télécom", "Réseaux"),
    "COMMISSAIRE_DE_JUSTICE": ("Étude de commissaires de justice",),
    "ADMINISTRATEUR_AD_HOC": ("Association d'administrateurs ad hoc",),
    "EXPERT": ("Expertises", "Cabinet d'expertise"),
    "AUTRE": ("Services",),
}
_SERVICES = (
    ("NORD", "Antenne nord"), ("SUD", "Antenne sud"), ("EST", "Antenne est"),
    ("OUEST", "Antenne ouest"), ("NUIT", "Permanence de nuit"), ("URG", "Urgences"),
    ("MIN", "Mineurs"), ("CTX", "Contentieux"),
)  # fmt: skip


@attrs.frozen
class Parametres:
    """What the data set is made of; the cache of generated databases is keyed by them."""

    memoires: int = 1_000_000
    structures: int = 2_000
    annees: int = 10
    graine: int = 20_250_630
    # The last day of the data set: its « today ».
    fin: date = date(2025, 6, 30)

    def en_dict(self) -> dict[str, object]:
        return {
            "memoires": self.memoires,
            "structures": self.structures,
            "annees": self.annees,
            "graine": self.graine,
            "fin": self.fin.isoformat(),
        }

    @property
    def cle(self) -> str:
        """A digest of the parameters, the generator's version, its sources and the
        storage's row mapping: a cached database is reused only when all of them are the
        same. The schema is not part of it: migrations only ever add to it, and the adapter
        applies those a cached database lacks when it opens it, as it would in production."""
        dossier = Path(__file__).resolve().parent
        sources = b"".join(
            chemin.read_bytes()
            for chemin in (
                Path(module_lignes_sql.__file__ or ""),
                dossier / "monde.py",
                dossier / "memoires.py",
            )
        )
        contenu = json.dumps(
            {
                **self.en_dict(),
                "version": GENERATEUR_VERSION,
                "stockage": hashlib.sha256(sources).hexdigest(),
            },
            sort_keys=True,
        )
        return hashlib.sha256(contenu.encode()).hexdigest()[:16]

    @property
    def instant_fin(self) -> datetime:
        """The data set's « now »: 18:00 in Paris on its last day (in UTC, as the system
        clock gives instants; arithmetic on Paris wall-clock times would slip at DST)."""
        return datetime.combine(self.fin, time(18, 0), tzinfo=FUSEAU_PORTAIL).astimezone(UTC)

    @property
    def instant_debut(self) -> datetime:
        debut = ajouter_annees(self.fin, -self.annees) + timedelta(days=1)
        return datetime.combine(debut, time(8, 0), tzinfo=FUSEAU_PORTAIL).astimezone(UTC)


@attrs.frozen
class StructureDuBanc:
    """A structure of the data set and what the generator needs to file its mémoires."""

    rang: int
    structure: Structure
    gestionnaire: Utilisateur
    acteur: str
    categorie: str
    types: tuple[TypePrestation, ...]
    type_tva: TypeTva
    juridictions: tuple[str, ...]
    # Cumulative weights of `juridictions`, for `bisect`.
    poids_juridictions: tuple[float, ...]
    services: tuple[str, ...]
    coordonnee_id: str
    rib: PieceJointe
    prestataire: PrestataireEnvoye
    nombre: int

    def juridiction(self, rng: random.Random) -> str:
        tirage = rng.random() * self.poids_juridictions[-1]
        return self.juridictions[bisect.bisect_right(self.poids_juridictions, tirage)]


@attrs.frozen
class Monde:
    parametres: Parametres
    structures: tuple[StructureDuBanc, ...]
    juridictions: dict[str, Juridiction]
    # Every user who files (gestionnaires, members, the one attached to 20 structures).
    prestataires: tuple[Utilisateur, ...]
    multi: Utilisateur
    rangs_du_multi: tuple[int, ...]
    agent: Utilisateur
    comptable: Utilisateur

    @property
    def juridiction_de_l_agent(self) -> str:
        return sorted(self.agent.juridictions)[0]

    @property
    def rang_typique(self) -> int:
        """The median structure by size: what « a typical structure » is here."""
        return len(self.structures) // 2


def identifiant(rng: random.Random) -> str:
    """An id shaped like the portal's (32 hex digits, as uuid4().hex), drawn from `rng`."""
    return f"{rng.getrandbits(128):032x}"


def _siret(rng: random.Random, deja: set[str]) -> str:
    while True:
        siren = "".join(rng.choice("0123456789") for _ in range(8))
        siren += luhn.calc_check_digit(siren)
        siret = siren + "".join(rng.choice("0123456789") for _ in range(4))
        siret += luhn.calc_check_digit(siret)
        if siren != "356000000" and siret not in deja:
            deja.add(siret)
            return siret


def _code_postal(departement: str) -> str:
    if departement == "2A":
        return "20000"
    if departement == "2B":
        return "20200"
    return departement.ljust(5, "0")


def _sans_accents(texte: str) -> str:
    table = str.maketrans("éèêëàâîïôöûüçÉ", "eeeeaaiioouucE")
    return texte.translate(table).lower().replace(" ", "-").replace("'", "")


def tailles(parametres: Parametres) -> list[int]:
    """How many mémoires each structure files, largest first: a Zipf law (the k-th largest
    files about 1/k of the largest's), at least one each, summing to `memoires`."""
    n, total = parametres.structures, parametres.memoires
    poids = [1.0 / (rang + 1) for rang in range(n)]
    somme = sum(poids)
    nombres = [max(1, int(total * p / somme)) for p in poids]
    ecart = total - sum(nombres)
    rang = 0
    while ecart != 0:
        if ecart > 0:
            nombres[rang % n] += 1
            ecart -= 1
        elif nombres[rang % n] > 1:
            nombres[rang % n] -= 1
            ecart += 1
        rang += 1
    return nombres


def _poids_des_tribunaux(
    rng: random.Random, juridictions: Sequence[Juridiction]
) -> dict[str, float]:
    """The activity of each tribunal: the largest cities first, then a Zipf law."""
    tribunaux = [j.code for j in juridictions if j.type is not TypeJuridiction.CA]
    rng.shuffle(tribunaux)
    grands = [c for c in ("TJ-75056", "TJ-13055", "TJ-69123", "TJ-59350") if c in tribunaux]
    ordre = grands + [c for c in tribunaux if c not in grands]
    return {code: 1.0 / (rang + 1) ** 0.8 for rang, code in enumerate(ordre)}


def _cumuler(poids: Sequence[float]) -> tuple[float, ...]:
    cumul, total = [], 0.0
    for p in poids:
        total += p
        cumul.append(total)
    return tuple(cumul)


def _utilisateur(rng: random.Random, numero: int, maintenant: datetime) -> Utilisateur:
    prenom, nom = rng.choice(_PRENOMS), rng.choice(_NOMS)
    return Utilisateur.creer(
        id=identifiant(rng),
        email=f"{_sans_accents(prenom)}.{_sans_accents(nom)}.{numero}@bench.chorus.fr",
        nom=nom,
        prenom=prenom,
        maintenant=maintenant,
        statut=StatutUtilisateur.ACTIF,
    )


def libelle_acteur(utilisateur: Utilisateur) -> str:
    """As `chorus.services.contexte.libelle_acteur` names the actor of a history entry."""
    nom = f"{utilisateur.nom_complet} ({utilisateur.email})"
    if utilisateur.role is not None:
        return f"{utilisateur.role.libelle} – {nom}"
    return nom


def _rattacher(
    structure: Structure,
    gestionnaire: Utilisateur,
    membre: Utilisateur,
    rng: random.Random,
    maintenant: datetime,
    profil: Profil,
    service_id: str | None = None,
) -> Structure:
    rattachement_id = identifiant(rng)
    structure = structure.demander_rattachement(
        id=rattachement_id, utilisateur_id=membre.id, maintenant=maintenant
    )
    structure = structure.valider_rattachement(rattachement_id, maintenant + timedelta(hours=2))
    return structure.accorder_habilitation(
        Habilitation(
            id=identifiant(rng),
            utilisateur_id=membre.id,
            application=Application.FRAIS_DE_JUSTICE,
            profil=profil,
            service_id=service_id,
        ),
        par=gestionnaire.id,
    )


@functools.cache
def construire_monde(parametres: Parametres) -> Monde:
    """The world of `parametres`, the same at every call and in every process."""
    rng = random.Random(f"{parametres.graine}/monde")
    referentiels = ReferentielsDuPaquet()
    juridictions = {j.code: j for j in referentiels.juridictions()}
    poids_tribunaux = _poids_des_tribunaux(rng, list(juridictions.values()))
    tribunaux = list(poids_tribunaux)
    cumul_tribunaux = _cumuler(list(poids_tribunaux.values()))
    par_cour: dict[str, list[str]] = {}
    for j in juridictions.values():
        if j.cour_appel_code is not None:
            par_cour.setdefault(j.cour_appel_code, []).append(j.code)
    types_par_categorie: dict[str, list[TypePrestation]] = {}
    for t in referentiels.types_prestation():
        types_par_categorie.setdefault(t.categorie_prestataire, []).append(t)
    categories = list(POIDS_CATEGORIES)
    cumul_categories = _cumuler(list(POIDS_CATEGORIES.values()))
    creation = parametres.instant_debut - timedelta(days=30)
    sirets: set[str] = set()
    prestataires: list[Utilisateur] = []
    structures: list[StructureDuBanc] = []
    numero_utilisateur = 0

    def tirer_tribunal() -> str:
        tirage = rng.random() * cumul_tribunaux[-1]
        return tribunaux[bisect.bisect_right(cumul_tribunaux, tirage)]

    for rang, nombre in enumerate(tailles(parametres)):
        if rang < len(CATEGORIES_DES_PLUS_GRANDES):
            categorie = CATEGORIES_DES_PLUS_GRANDES[rang]
        else:
            tirage = rng.random() * cumul_categories[-1]
            categorie = categories[bisect.bisect_right(cumul_categories, tirage)]
        numero_utilisateur += 1
        gestionnaire = _utilisateur(rng, numero_utilisateur, creation)
        prestataires.append(gestionnaire)
        personne = rang >= 200 and categorie in _NATURELLES and rng.random() < 0.5
        siege = juridictions[tirer_tribunal()]
        adresse = Adresse.creer(
            ligne1=f"{rng.randint(1, 120)} rue {rng.choice(('de la République', 'Victor Hugo', 'des Lilas', 'du Palais', 'Jean Jaurès'))}",  # noqa: E501
            code_postal=_code_postal(siege.departement),
            ville=siege.nom.split(" de ", 1)[-1].split(" d'", 1)[-1],
        )
        if personne:
            raison_sociale = f"{gestionnaire.prenom} {gestionnaire.nom}"
            structure = Structure.creer(
                id=identifiant(rng),
                type_structure=TypeStructure.PARTICULIER,
                type_identifiant=TypeIdentifiant.PARTICULIER,
                identifiant=f"{raison_sociale} {rang}",
                raison_sociale=raison_sociale,
                adresse=adresse,
                createur_id=gestionnaire.id,
                rattachement_id=identifiant(rng),
                habilitation_ids=(identifiant(rng), identifiant(rng)),
                maintenant=creation,
            )
            regime = rng.choice((Regime.INDEPENDANT, Regime.COSP))
            type_tva = TypeTva.SANS_TVA if regime is Regime.COSP else TypeTva.EXONERATION
        else:
            forme = rng.choice(_FORMES[categorie])
            raison_sociale = f"{forme} {gestionnaire.nom} {rang + 1}"
            structure = Structure.creer(
                id=identifiant(rng),
                type_structure=(
                    TypeStructure.ASSOCIATION
                    if categorie in _ASSOCIATIVES
                    else TypeStructure.ENTREPRISE
                ),
                type_identifiant=TypeIdentifiant.SIRET,
                identifiant=_siret(rng, sirets),
                raison_sociale=raison_sociale,
                adresse=adresse,
                createur_id=gestionnaire.id,
                rattachement_id=identifiant(rng),
                habilitation_ids=(identifiant(rng), identifiant(rng)),
                maintenant=creation,
            )
            regime = None
            if categorie in _ASSOCIATIVES or categorie == "EXPERT_MEDICAL":
                type_tva = TypeTva.EXONERATION
            else:
                type_tva = (
                    TypeTva.TVA_SUR_DEBITS if rng.random() < 0.8 else TypeTva.TVA_SUR_ENCAISSEMENTS
                )
        structure = structure.definir_espace_frais_de_justice(categorie, regime)
        iban, bic = COMPTES[rang % len(COMPTES)]
        rib = PieceJointe.depuis_contenu(
            id=identifiant(rng),
            contenu=PDF + structure.id.encode(),
            nom_fichier="RIB.pdf",
            type_piece=TypePiece.COORDONNEE_BANCAIRE,
            designation=f"RIB {raison_sociale}",
            date_ajout=creation,
        )
        coordonnee = CoordonneeBancaire.creer(
            id=identifiant(rng),
            libelle="Compte principal",
            iban=iban,
            bic=bic,
            piece_jointe_id=rib.id,
        )
        structure = structure.ajouter_piece(rib).ajouter_coordonnee_bancaire(coordonnee)
        if nombre >= 2_000:
            nombre_services = rng.randint(3, len(_SERVICES))
        elif nombre >= 300 and rng.random() < 0.5:
            nombre_services = rng.randint(1, 2)
        else:
            nombre_services = 0
        for code, libelle in rng.sample(_SERVICES, nombre_services):
            structure = structure.ajouter_service(id=identifiant(rng), code=code, libelle=libelle)
        services = tuple(s.id for s in structure.services)
        membres = 15 if rang < 10 else 3 if rang < 100 else 0
        for _ in range(membres):
            numero_utilisateur += 1
            membre = _utilisateur(rng, numero_utilisateur, creation)
            prestataires.append(membre)
            sur_un_service = services and rng.random() < 0.3
            structure = _rattacher(
                structure,
                gestionnaire,
                membre,
                rng,
                creation,
                rng.choice((Profil.CONSULTATION, Profil.MODIFICATION)),
                rng.choice(services) if sur_un_service else None,
            )
        # A national player works with many courts; the others with their own tribunal,
        # its cour d'appel and the neighbouring tribunaux of the same cour.
        if rang < 10:
            codes = list(dict.fromkeys(tirer_tribunal() for _ in range(40)))[:20]
            poids = [poids_tribunaux[c] for c in codes]
        else:
            voisins = [c for c in par_cour.get(siege.cour_appel_code or "", []) if c != siege.code]
            codes = [siege.code, *rng.sample(voisins, min(2, len(voisins)))]
            poids = [0.75] + [0.1] * (len(codes) - 1)
            if siege.cour_appel_code is not None:
                codes.append(siege.cour_appel_code)
                poids.append(0.05)
        structures.append(
            StructureDuBanc(
                rang=rang,
                structure=structure,
                gestionnaire=gestionnaire,
                acteur=libelle_acteur(gestionnaire),
                categorie=categorie,
                types=tuple(types_par_categorie[categorie]),
                type_tva=type_tva,
                juridictions=tuple(codes),
                poids_juridictions=_cumuler(poids),
                services=services,
                coordonnee_id=coordonnee.id,
                rib=rib,
                prestataire=PrestataireEnvoye(
                    identifiant=structure.identifiant,
                    type_identifiant=structure.type_identifiant.value,
                    raison_sociale=structure.raison_sociale,
                    libelle_coordonnee=coordonnee.libelle,
                    iban=coordonnee.iban,
                    bic=coordonnee.bic,
                ),
                nombre=nombre,
            )
        )

    # A user attached to 20 structures of every size but the very largest (an accountant
    # of a network of interpreters, say), with consultation on each.
    numero_utilisateur += 1
    multi = _utilisateur(rng, numero_utilisateur, creation)
    prestataires.append(multi)
    candidats = list(range(1, min(len(structures), 400)))
    rangs_du_multi = tuple(sorted(rng.sample(candidats, min(20, len(candidats)))))
    for rang in rangs_du_multi:
        s = structures[rang]
        structures[rang] = attrs.evolve(
            s,
            structure=_rattacher(
                s.structure, s.gestionnaire, multi, rng, creation, Profil.CONSULTATION
            ),
        )

    # The agent of the tribunal that receives the most mémoires, and a comptable.
    attendus: dict[str, float] = {}
    for s in structures:
        precedent = 0.0
        for code, cumul in zip(s.juridictions, s.poids_juridictions, strict=True):
            part = (cumul - precedent) / s.poids_juridictions[-1]
            attendus[code] = attendus.get(code, 0.0) + s.nombre * part
            precedent = cumul
    plus_chargee = max(sorted(attendus), key=lambda code: attendus[code])
    agent = Utilisateur.creer(
        id=identifiant(rng),
        email=f"greffe.{plus_chargee.lower()}@justice.bench.chorus.fr",
        nom="Greffe",
        prenom="Service centralisateur",
        maintenant=creation,
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=frozenset({plus_chargee}),
        statut=StatutUtilisateur.ACTIF,
    )
    comptable = Utilisateur.creer(
        id=identifiant(rng),
        email="comptable@dgfip.bench.chorus.fr",
        nom="Public",
        prenom="Comptable",
        maintenant=creation,
        role=RoleAgent.COMPTABLE,
        statut=StatutUtilisateur.ACTIF,
    )
    return Monde(
        parametres=parametres,
        structures=tuple(structures),
        juridictions=juridictions,
        prestataires=tuple(prestataires),
        multi=multi,
        rangs_du_multi=rangs_du_multi,
        agent=agent,
        comptable=comptable,
    )


def affectation(monde: Monde) -> array[int]:
    """For each mémoire, in the order they are filed, the rank of its structure."""
    rng = random.Random(f"{monde.parametres.graine}/affectation")
    rangs = array("I")
    for s in monde.structures:
        rangs.extend([s.rang] * s.nombre)
    liste = rangs.tolist()
    rng.shuffle(liste)
    return array("I", liste)


def rangs_locaux(rangs: array[int]) -> array[int]:
    """For each mémoire, how many of its structure's mémoires were filed before it."""
    vus: dict[int, int] = {}
    locaux = array("I", bytes(4 * len(rangs)))
    for index, rang in enumerate(rangs):
        n = vus.get(rang, 0)
        locaux[index] = n
        vus[rang] = n + 1
    return locaux
