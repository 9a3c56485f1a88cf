"""French text analysis for the assistant's full-text search: pure functions, no I/O.

A text becomes *terms* in four steps, the same for the FAQ and for a question:

1. folding: lower case, accents and ligatures removed (« Éligibilité » → ``eligibilite``),
   typographic apostrophes made plain;
2. words: elided articles and pronouns dropped (``l'``, ``d'``, ``qu'``, ``jusqu'`` …), the
   rest split on anything that is not a letter or a digit;
3. stop words dropped, then the synonym table applied (``mdp`` → ``mot passe``, ``virement``
   → ``paiement``), so that two ways of saying one thing meet on one word;
4. Snowball French stemming of the folded word, with two small normalisations (see
   `raciner`).

A question is further corrected against the FAQ's own words (`Vocabulaire.corriger`): a word
the FAQ never uses and whose stem it does not know either is replaced by the nearest word it
does use, within one edit for 4 to 7 letters and two edits from 8 letters on (a transposition
counts as one edit), so that « remboursment » and « habilitaiton » still find their entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import attrs

# Folding -----------------------------------------------------------------------------------

_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "ʼ": "'", "‘": "'", "`": "'"}
)
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|lorsqu|puisqu|quoiqu|presqu)'")
_MOT = re.compile(r"[a-z0-9]+")


def plier(texte: str) -> str:
    """`texte` in lower case without accents nor ligatures, apostrophes made plain."""
    bas = texte.casefold().translate(_LIGATURES)
    decompose = unicodedata.normalize("NFKD", bas)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def mots(texte: str) -> list[str]:
    """The folded words of `texte`, elisions removed (« l'activation » → ``activation``).
    Stop words are kept: see `significatifs`."""
    return _MOT.findall(_ELISION.sub(" ", plier(texte)))


# Stop words --------------------------------------------------------------------------------

# Snowball's French list, folded, with the words every question to a help desk carries
# (« comment faire pour … », « est-ce que je peux … ») and the portal's own name, which
# tells no entry from another.
_LISTE_DES_MOTS_VIDES = """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
    tes toi ton tu un une vos votre vous c d j l m n s t y ete etee etees etes etant etante
    etants etantes suis es est sommes sont serai seras sera serons serez seront serais serait
    serions seriez seraient etais etait etions etiez etaient fus fut fumes futes furent sois
    soit soyons soyez soient fusse fusses fut fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais
    aurait aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie
    aies ait ayons ayez aient eusse eusses eussions eussiez eussent a ca cela ceci celui celle
    ceux celles cet cette ici la
    comment combien quand quel quelle quels quelles quoi lequel laquelle lesquels lesquelles
    pourquoi ou dont est-ce estce
    faire fait faut falloir peut peux puis pouvoir pourrais pourrait pourrions doit dois
    devons devez doivent devoir dois veux veut voudrais voudrait vouloir souhaite souhaiterais
    savoir sais sait connaitre dire veut veulent vais va vas allez aller etre avoir
    jai cest quest sest nai lorsqu puisqu
    recevoir obtenir trouver marche marcher fonctionne fonctionner contenir contient
    utiliser
    bonjour bonsoir merci svp stp madame monsieur
    chorus portail pro
    si aussi tout tous toute toutes bien tres plus encore deja alors donc car comme
    chez entre vers sans sous apres avant jamais toujours depuis pendant durant selon
    parmi lors malgre contre
    quelqu quelque quelques chose choses autre autres
"""
MOTS_VIDES: frozenset[str] = frozenset(_LISTE_DES_MOTS_VIDES.split())


def significatifs(texte: str) -> list[str]:
    """The folded words of `texte` without its stop words."""
    return [m for m in mots(texte) if m not in MOTS_VIDES]


# Synonyms ----------------------------------------------------------------------------------

# Folded word → the words it stands for. Applied to the FAQ and to questions alike, so each
# group meets on one word. Only what means the same thing in this portal: « facture » is a
# mémoire for a prestataire de justice, but also the fuel invoice of a demande TIC, so it
# stands for both.
SYNONYMES: Mapping[str, tuple[str, ...]] = {
    # password, login, email
    "mdp": ("mot", "passe"),
    "motdepasse": ("mot", "passe"),
    "password": ("mot", "passe"),
    "login": ("identifiant",),
    "identifiants": ("identifiant",),
    "mail": ("courriel",),
    "mails": ("courriel",),
    "email": ("courriel",),
    "emails": ("courriel",),
    "mel": ("courriel",),
    "e": (),
    # money
    "paye": ("paiement",),
    "payee": ("paiement",),
    "payes": ("paiement",),
    "payer": ("paiement",),
    "paie": ("paiement",),
    "virement": ("paiement",),
    "virements": ("paiement",),
    "vire": ("paiement",),
    "versement": ("paiement",),
    "verse": ("paiement",),
    "reglement": ("paiement",),
    "regle": ("paiement",),
    "argent": ("paiement",),
    "remboursee": ("remboursement",),
    "rembourse": ("remboursement",),
    "rembourser": ("remboursement",),
    "facture": ("facture", "memoire"),
    "factures": ("facture", "memoire"),
    # rights
    "droits": ("habilitation",),
    "permission": ("habilitation",),
    "permissions": ("habilitation",),
    "autorisation": ("habilitation",),
    "autorisations": ("habilitation",),
    "habilite": ("habilitation",),
    # refusal, lock
    "rejet": ("refus",),
    "rejete": ("refus",),
    "rejetee": ("refus",),
    "rejetes": ("refus",),
    "rejetees": ("refus",),
    "rejeter": ("refus",),
    "refuse": ("refus",),
    "refusee": ("refus",),
    "refuses": ("refus",),
    "bloque": ("verrouille",),
    "bloquee": ("verrouille",),
    "blocage": ("verrouille",),
    "verrouillage": ("verrouille",),
    "voir": ("consultation",),
    "vois": ("consultation",),
    "voit": ("consultation",),
    "consulter": ("consultation",),
    # states
    "suspension": ("suspendu",),
    "suspendre": ("suspendu",),
    "moins": ("inferieur",),
    "reduit": ("inferieur",),
    "etat": ("statut",),
    "etats": ("statut",),
    "collegue": ("utilisateur",),
    "collegues": ("utilisateur",),
    "collaborateur": ("utilisateur",),
    "collaborateurs": ("utilisateur",),
    "salarie": ("utilisateur",),
    "salaries": ("utilisateur",),
    "employe": ("utilisateur",),
    "employes": ("utilisateur",),
    "termine": ("acheve",),
    "terminee": ("acheve",),
    "terminer": ("acheve",),
    "finie": ("acheve",),
    "fini": ("acheve",),
    "livre": ("livraison",),
    "livree": ("livraison",),
    "livres": ("livraison",),
    "livrees": ("livraison",),
    "livrer": ("livraison",),
    "an": ("annee",),
    "ans": ("annee",),
    "annuel": ("annee",),
    "annuelle": ("annee",),
    # receipts
    "recepisse": ("certificat",),
    "accuse": ("certificat",),
    "preuve": ("certificat",),
    # help
    "assistance": ("support",),
    "hotline": ("support",),
    "sollicitation": ("ticket",),
    "reclamation": ("ticket",),
    # fuels
    "gasoil": ("gazole",),
    "gazoil": ("gazole",),
    "gnr": ("gazole", "non", "routier"),
    "diesel": ("gazole",),
    "fuel": ("fioul",),
    "propane": ("gpl",),
    "butane": ("gpl",),
    # time
    "jusqu": ("delai",),
    "limite": ("delai",),
    "echeance": ("delai",),
    "tard": ("delai",),
    # keeping
    "garde": ("conserve",),
    "gardes": ("conserve",),
    "gardee": ("conserve",),
    "gardees": ("conserve",),
    "garder": ("conserve",),
    "stocke": ("conserve",),
    "stockes": ("conserve",),
    "stockage": ("conserve",),
    "authenticite": ("authentique",),
    "perime": ("expire",),
    "perimee": ("expire",),
    "expiree": ("expire",),
    "taille": ("poids",),
    "controler": ("verifier",),
    "controle": ("verifier",),
    # digests
    "semaine": ("hebdomadaire",),
    "hebdo": ("hebdomadaire",),
    "semaines": ("hebdomadaire",),
    "journalier": ("quotidien",),
    "quotidienne": ("quotidien",),
    "recapitulatif": ("resume",),
    "recapitulatifs": ("resume",),
    "desabonner": ("desactiver",),
    "desinscrire": ("desactiver",),
    "arreter": ("desactiver",),
    "stopper": ("desactiver",),
    # cancel, copy
    "annuler": ("abandonner", "supprimer"),
    "copier": ("dupliquer",),
    "copie": ("duplication",),
    "recopier": ("dupliquer",),
    # to sign in
    "connecte": ("connexion",),
    "connecter": ("connexion",),
    "identifier": ("connexion",),
    "logger": ("connexion",),
    # to join
    "rejoindre": ("rattachement",),
    "adherer": ("rattachement",),
    "integrer": ("rattachement",),
    # banking
    "iban": ("rib", "iban"),
    "bancaire": ("rib", "bancaire"),
    "bancaires": ("rib", "bancaire"),
    "entrepreneur": ("entreprise",),
    "assujetti": ("soumis",),
    # taxes
    "ticpe": ("tic",),
    "ticgn": ("tic",),
    "accise": ("tic",),
    "detaxe": ("tic", "remboursement"),
    # account
    "inscription": ("creer", "compte"),
    "inscrire": ("creer", "compte"),
    "enregistrer": ("creer",),
    "ouvrir": ("creer",),
}


def synonymes(mot: str) -> tuple[str, ...]:
    """The words `mot` stands for (itself when it has no synonym)."""
    return SYNONYMES.get(mot, (mot,))


# Stemming ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _racineur() -> Any:
    # Imported on first use: the stemmer's package loads every language it knows, which
    # `chorus tui` would otherwise pay at start-up for an assistant not yet asked anything.
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=16384)
def raciner(mot: str) -> str:
    """The Snowball French stem of the folded word `mot`, normalised so that the forms a
    word takes without its accents meet: a final ``e`` is dropped (``depose`` and ``depos``,
    ``rejete`` and ``rejet``) and a final ``y`` becomes ``i`` (``envoy`` and ``envoi``,
    ``pay`` and ``pai``). Words of three letters or fewer and numbers are kept whole."""
    if len(mot) <= 3 or mot.isdigit():
        return mot
    racine: str = _racineur().stemWord(mot)
    if len(racine) > 3 and racine.endswith("e"):
        racine = racine[:-1]
    if racine.endswith("y"):
        racine = racine[:-1] + "i"
    return racine


def termes(texte: str) -> list[str]:
    """The terms the FAQ's `texte` is indexed under (stop words out, synonyms applied,
    stemmed), in order, repeated as often as they occur."""
    return [raciner(s) for mot in significatifs(texte) for s in synonymes(mot)]


# Typo correction ---------------------------------------------------------------------------


def distance_edition(a: str, b: str, maximum: int) -> int:
    """The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
    substitutions, transpositions of neighbours), or `maximum + 1` as soon as it exceeds
    `maximum`."""
    if abs(len(a) - len(b)) > maximum:
        return maximum + 1
    precedente2: list[int] = []
    precedente = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        courante = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cout = 0 if a[i - 1] == b[j - 1] else 1
            courante[j] = min(precedente[j] + 1, courante[j - 1] + 1, precedente[j - 1] + cout)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                courante[j] = min(courante[j], precedente2[j - 2] + 1)
        if min(courante) > maximum:
            return maximum + 1
        precedente2, precedente = precedente, courante
    return min(precedente[len(b)], maximum + 1)


LONGUEUR_MAXIMALE_CORRIGEE = 30
"""Longer words are never corrected (« anticonstitutionnellement » has 25 letters)."""


def tolerance(mot: str) -> int:
    """How many edits a misspelt word of this length may be away from the word meant: none
    under 4 letters (too many short words are one letter apart), one up to 7, two beyond."""
    if len(mot) < 4:
        return 0
    return 1 if len(mot) <= 7 else 2


def _suppressions(mot: str, profondeur: int) -> set[str]:
    """`mot` and every string obtained from it by deleting up to `profondeur` letters."""
    resultat = {mot}
    niveau = {mot}
    for _ in range(profondeur):
        niveau = {m[:i] + m[i + 1 :] for m in niveau for i in range(len(m))}
        resultat |= niveau
    return resultat


@attrs.frozen
class Vocabulaire:
    """The words the FAQ uses (folded, stop words out), with their frequencies, their stems,
    and a deletion index (SymSpell's idea) that finds the near words of a misspelt one
    without comparing it to every word."""

    frequences: Mapping[str, int]
    racines: frozenset[str]
    _voisins: Mapping[str, tuple[str, ...]]

    @staticmethod
    def depuis_textes(textes: Iterable[str]) -> Vocabulaire:
        """The vocabulary of `textes`, with the synonym table's words."""
        frequences: Counter[str] = Counter()
        for texte in textes:
            frequences.update(significatifs(texte))
        for cle, valeurs in SYNONYMES.items():
            for mot in (cle, *valeurs):
                frequences[mot] += 0
        voisins: dict[str, list[str]] = {}
        for mot in frequences:
            if mot in MOTS_VIDES or len(mot) < 3 or mot.isdigit():
                continue
            # As deep as a correction *to* this word may go (see `corriger`).
            for variante in _suppressions(mot, tolerance(mot) or 1):
                voisins.setdefault(variante, []).append(mot)
        # A synonym's own stem is known too: « droit » is not « droits » misspelt.
        racines = frozenset(
            {raciner(s) for mot in frequences for s in synonymes(mot)}
            | {raciner(mot) for mot in frequences}
        )
        return Vocabulaire(
            frequences=dict(frequences),
            racines=racines,
            voisins={cle: tuple(sorted(valeur)) for cle, valeur in voisins.items()},
        )

    def connu(self, mot: str) -> bool:
        """True when the FAQ uses `mot`, or a word of the same stem."""
        return mot in self.frequences or raciner(mot) in self.racines

    def corriger(self, mot: str) -> str | None:
        """The FAQ's word nearest to the unknown `mot` within its `tolerance`, the most
        frequent one among equally near words (then the first in alphabetical order); None
        when there is none."""
        # « dactivation »: an elided article typed without its apostrophe.
        if (
            len(mot) > 4
            and mot[0] in "cdjlmnst"
            and mot[1] in "aeiouyh"
            and mot[1:] in self.frequences
        ):
            return mot[1:]
        maximum = tolerance(mot)
        # No word of the FAQ is that long: not a typo of one, and its deletions would be
        # costly to enumerate (a public question may hold a 500-letter word).
        if maximum == 0 or len(mot) > LONGUEUR_MAXIMALE_CORRIGEE:
            return None
        candidats: set[str] = set()
        for variante in _suppressions(mot, maximum):
            candidats.update(self._voisins.get(variante, ()))
        meilleurs: list[tuple[int, int, str]] = []
        for candidat in candidats:
            # A misspelt word keeps its first letter: « tarte » is not a typo of « carte ».
            if candidat[0] != mot[0]:
                continue
            # The allowance is the shorter word's: « tic » is no correction of « tique ».
            autorise = min(maximum, tolerance(candidat) or 1)
            distance = distance_edition(mot, candidat, autorise)
            if distance <= autorise:
                meilleurs.append((distance, -self.frequences.get(candidat, 0), candidat))
        return min(meilleurs)[2] if meilleurs else None


@attrs.frozen
class Requete:
    """A question as analysed: its distinct terms in order of appearance, the terms that are
    in no entry of the FAQ (even after correction), and the corrections made."""

    termes: tuple[str, ...]
    inconnus: frozenset[str]
    corrections: Mapping[str, str]
    corriges: frozenset[str] = frozenset()
    """The terms that come only from corrected words: guesses, which a confidence weighs
    less than what was typed."""

    @property
    def vide(self) -> bool:
        return not self.termes


def analyser_question(question: str, vocabulaire: Vocabulaire) -> Requete:
    """The terms to search the FAQ for `question`: as `termes`, with every unknown word
    corrected to the FAQ's nearest word when one is near enough."""
    resultat: list[str] = []
    inconnus: set[str] = set()
    corrections: dict[str, str] = {}
    tapes: set[str] = set()
    for mot in significatifs(question):
        choisi = mot
        corrige = False
        if mot not in SYNONYMES and not vocabulaire.connu(mot):
            correction = vocabulaire.corriger(mot)
            if correction is None:
                if not mot.isdigit():
                    inconnus.add(raciner(mot))
            else:
                corrections[mot] = choisi = correction
                corrige = True
        for synonyme in synonymes(choisi):
            terme = raciner(synonyme)
            if not corrige:
                tapes.add(terme)
            if terme not in resultat:
                resultat.append(terme)
    return Requete(
        termes=tuple(resultat),
        inconnus=frozenset(inconnus & set(resultat)),
        corrections=corrections,
        corriges=frozenset(resultat) - tapes,
    )
