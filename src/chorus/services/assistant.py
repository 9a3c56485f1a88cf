"""The virtual assistant « ClaudIA »: answers French questions from the FAQ, points to the
user guide, and says so when it does not know (offering a support ticket pre-filled with the
question).

How sure it is (`confiance`, between 0 and 1) is the product of two measures of the best
entries the search returns:

- the **coverage** of the question: the share of its significant terms the entry holds,
  each term weighted by its rarity in the FAQ (a word no entry uses weighs most: a question
  about the weather shares « date » with an entry, not « pluie »);
- the **strength** of the match: the search's BM25 score saturated as ``s / (s + S)``, so
  that a faint match on one common term never looks certain.

Entries are ordered by that confidence; under `SEUIL_CONFIANCE` the assistant answers that
it does not know.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import attrs

from chorus.domain.analyse_texte import Requete, Vocabulaire, analyser_question, plier
from chorus.domain.errors import NonTrouve, ValidationError
from chorus.domain.faq import BaseFaq, DocumentFaq, EntreeFaq, PageGuide, SectionGuide
from chorus.ports.recherche_faq import RechercheFaq, SourceFaq

SEUIL_CONFIANCE = 0.25
"""Under this confidence the assistant says it does not know and offers a ticket."""
POIDS_INCONNU = 1.2
"""How much more than the FAQ's rarest word a word it never uses weighs in the confidence."""
FACTEUR_CORRECTION = 0.5
"""What a term found only by correcting a typo covers, against a term typed as such."""
FACTEUR_REPONSE = 0.5
"""What a term found only in an entry's answer covers, against one of its question."""
SATURATION = 2.0
"""The BM25 score at which the strength of a match is one half."""
LONGUEUR_MAXIMALE_QUESTION = 500
NOMBRE_MAXIMAL_DE_REPONSES = 3
CANDIDATS = 10
"""How many entries of the search's ranking are weighed."""

# The ticket the assistant proposes (the shared codes of the support's référentiel).
CATEGORIE_TICKET = "AUTRE"
SOUS_CATEGORIE_TICKET = "A_QUESTION"
LONGUEUR_RESUME_TICKET = 100

MESSAGE_TROUVE = "Voici ce que j'ai trouvé dans l'aide du portail."
MESSAGE_INCONNU = (
    "Je ne connais pas la réponse à cette question. Vous pouvez créer un ticket pour le "
    "support : il est prérempli avec votre question."
)


@attrs.frozen
class LienReponse:
    """A link of an answer to a section of the guide."""

    page: str
    ancre: str
    titre: str
    """The section's title."""

    @property
    def cible(self) -> str:
        """``guide/<page>#<ancre>``, as the FAQ writes it."""
        return f"guide/{self.page}#{self.ancre}"


@attrs.frozen
class ReponseFaq:
    """One entry of the FAQ given as an answer, with the assistant's confidence in it."""

    id: str
    question: str
    reponse: str
    liens: tuple[LienReponse, ...]
    score: float


@attrs.frozen
class TicketPrerempli:
    """What a support ticket proposed by the assistant starts with."""

    categorie: str
    sous_categorie: str
    resume: str
    description: str


@attrs.frozen
class Reponse:
    """The assistant's answer: the entries it is confident enough in (best first), or none
    and the offer of a ticket."""

    reponses: tuple[ReponseFaq, ...]
    proposer_ticket: bool
    message: str
    ticket_prerempli: TicketPrerempli | None


def ticket_prerempli(question: str) -> TicketPrerempli:
    """The ticket for `question`: catégorie « Autre demande », sous-catégorie « Question
    générale », the question as description and, cut to 100 characters, as résumé."""
    texte = " ".join(question.split())
    return TicketPrerempli(
        categorie=CATEGORIE_TICKET,
        sous_categorie=SOUS_CATEGORIE_TICKET,
        resume=texte[:LONGUEUR_RESUME_TICKET],
        description=question.strip(),
    )


@attrs.frozen
class _Connaissances:
    """The FAQ as the assistant weighs it, computed once."""

    base: BaseFaq
    vocabulaire: Vocabulaire
    termes: Mapping[str, frozenset[str]]
    """Each entry's terms, all fields together."""
    titres: Mapping[str, frozenset[str]]
    """Each entry's terms of its question and other phrasings: what it is about."""
    rarete: Mapping[str, float]
    rarete_inconnue: float


def _rarete(presences: int, total: int) -> float:
    return math.log(1 + (total - presences + 0.5) / (presences + 0.5))


class AssistantService:
    """Questions to the FAQ, and the user guide, for everyone (no sign-in needed)."""

    def __init__(
        self,
        source: SourceFaq,
        recherche: RechercheFaq,
        *,
        seuil: float = SEUIL_CONFIANCE,
    ) -> None:
        self._source = source
        self._recherche = recherche
        self._seuil = seuil
        self._connaissances: _Connaissances | None = None

    @property
    def seuil(self) -> float:
        return self._seuil

    def _preparer(self) -> _Connaissances:
        # Built on first use, not at wiring: most commands never ask the assistant anything.
        # Two threads racing here both build the same index; the search swaps it whole.
        connaissances = self._connaissances
        if connaissances is None:
            base = self._source.base()
            documents = [DocumentFaq.depuis(e) for e in base.entrees]
            self._recherche.indexer(documents)
            presences: Counter[str] = Counter()
            for document in documents:
                presences.update(document.tous)
            total = len(documents)
            connaissances = self._connaissances = _Connaissances(
                base=base,
                vocabulaire=Vocabulaire.depuis_textes(
                    texte
                    for e in base.entrees
                    for texte in (e.question, *e.formulations, e.reponse)
                ),
                termes={d.id: d.tous for d in documents},
                titres={d.id: frozenset((*d.question, *d.formulations)) for d in documents},
                rarete={t: _rarete(n, total) for t, n in presences.items()},
                rarete_inconnue=_rarete(0, total),
            )
        return connaissances

    def preparer(self) -> None:
        """Read the FAQ and build its index now (about half a second) rather than on the
        first question: the server and the panel of the terminal call it in the background."""
        self._preparer()

    def analyser(self, question: str) -> Requete:
        """The terms the assistant searches for `question` (for the curious and the tests)."""
        return analyser_question(question, self._preparer().vocabulaire)

    def repondre(self, question: object) -> Reponse:
        """The answers of the FAQ to `question`, best first, with their confidence; none
        and a pre-filled ticket when no entry reaches the threshold. `ValidationError` on
        ``question`` when it is empty or longer than 500 characters."""
        texte = _question(question)
        connaissances = self._preparer()
        requete = analyser_question(texte, connaissances.vocabulaire)
        retenues: list[ReponseFaq] = []
        if not requete.vide:
            trouvailles = self._recherche.rechercher(requete.termes, CANDIDATS)
            pesees = sorted(
                (
                    (self._confiance(connaissances, requete, t.id, t.score), t.id)
                    for t in trouvailles
                ),
                key=lambda paire: (-paire[0], paire[1]),
            )
            for confiance, id_ in pesees[:NOMBRE_MAXIMAL_DE_REPONSES]:
                if confiance < self._seuil:
                    break
                entree = connaissances.base.entree(id_)
                if entree is not None:
                    retenues.append(_reponse(connaissances.base, entree, confiance))
        if retenues:
            return Reponse(
                reponses=tuple(retenues),
                proposer_ticket=False,
                message=MESSAGE_TROUVE,
                ticket_prerempli=None,
            )
        return Reponse(
            reponses=(),
            proposer_ticket=True,
            message=MESSAGE_INCONNU,
            ticket_prerempli=ticket_prerempli(texte),
        )

    @staticmethod
    def _confiance(
        connaissances: _Connaissances, requete: Requete, id_: str, score: float
    ) -> float:
        termes = connaissances.termes.get(id_, frozenset())
        titres = connaissances.titres.get(id_, frozenset())
        poids_total = 0.0
        poids_couvert = 0.0
        for terme in requete.termes:
            poids = connaissances.rarete.get(terme)
            if poids is None:
                # A word no entry uses says the question is about something else.
                poids = connaissances.rarete_inconnue * POIDS_INCONNU
            poids_total += poids
            if terme in termes:
                # A word only the answer's text uses is a weaker sign than one of the
                # question's (« heure » in « une session dure 8 heures »).
                facteur = 1.0 if terme in titres else FACTEUR_REPONSE
                if terme in requete.corriges:
                    facteur *= FACTEUR_CORRECTION
                poids_couvert += poids * facteur
        if poids_total == 0 or score <= 0:
            return 0.0
        couverture = poids_couvert / poids_total
        force = score / (score + SATURATION)
        return round(couverture * force, 4)

    # -- the guide ------------------------------------------------------------------------

    def guide(self) -> tuple[PageGuide, ...]:
        """The pages of the user guide, in reading order."""
        return self._source.base().guide

    def page(self, nom: str) -> PageGuide:
        """The page `nom` of the guide; `NonTrouve` on ``page`` when there is none."""
        page = self._source.base().page(nom)
        if page is None:
            raise NonTrouve(f"Le guide n'a pas de page « {nom} ».", champ="page")
        return page

    def section(self, nom: str, ancre: str) -> SectionGuide:
        """The section `ancre` of the page `nom`; `NonTrouve` naming what is missing."""
        section = self.page(nom).section(ancre)
        if section is None:
            raise NonTrouve(
                f"La page « {nom} » du guide n'a pas de section « {ancre} ».", champ="ancre"
            )
        return section

    def entrees(self) -> tuple[EntreeFaq, ...]:
        """Every entry of the FAQ."""
        return self._source.base().entrees


def _question(question: object) -> str:
    if not isinstance(question, str):
        raise ValidationError("La question doit être un texte.", champ="question")
    texte = question.strip()
    # The length first: folding a huge text is work a refusal should not pay for.
    if len(texte) > LONGUEUR_MAXIMALE_QUESTION:
        raise ValidationError(
            f"La question dépasse {LONGUEUR_MAXIMALE_QUESTION} caractères : "
            "posez-la en quelques mots.",
            champ="question",
        )
    if not texte or not plier(texte).strip():
        raise ValidationError("Posez votre question : elle est vide.", champ="question")
    if "\x00" in texte:
        raise ValidationError("La question contient un caractère invalide.", champ="question")
    return texte


def _reponse(base: BaseFaq, entree: EntreeFaq, confiance: float) -> ReponseFaq:
    liens = []
    for lien in entree.liens:
        section = base.resoudre(lien)
        if section is not None:
            liens.append(LienReponse(page=lien.page, ancre=lien.ancre, titre=section.titre))
    return ReponseFaq(
        id=entree.id,
        question=entree.question,
        reponse=entree.reponse,
        liens=tuple(liens),
        score=confiance,
    )
