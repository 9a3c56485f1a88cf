"""The assistant « ClaudIA » on the shipped FAQ, with each search adapter (SQLite FTS5 and
its in-memory twin).

The held-out questions below were written before the analysis was tuned and are phrased
unlike the FAQ: typos, missing accents, synonyms, spoken French. At least 25 of the 30 must
rank the expected entry first, above the confidence threshold; the score is printed (run
with ``-s``). Nonsense questions must all fall under the threshold and offer a ticket.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.adapters.recherche.fts5 import RechercheFaqFts5
from chorus.adapters.recherche.memoire import RechercheFaqEnMemoire
from chorus.adapters.referentiels.faq_yaml import FaqDuPaquet
from chorus.domain.errors import NonTrouve, ValidationError
from chorus.ports.recherche_faq import RechercheFaq
from chorus.services.assistant import (
    CATEGORIE_TICKET,
    MESSAGE_INCONNU,
    SOUS_CATEGORIE_TICKET,
    AssistantService,
)

# (question, the entry that answers it). Do not edit to make them pass: tune the analysis.
QUESTIONS_TENUES: list[tuple[str, str]] = [
    ("jai pas recu le mail pour activer mon compte", "activer-compte"),
    ("le lien dactivation ne marche plus il est perimé", "lien-activation-expire"),
    ("mon mdp doit contenir combien de caracteres minimum", "regle-mot-de-passe"),
    ("j'ai oublie mon mot de pase", "mot-de-passe-oublie"),
    ("impossible de me connecter, compte bloque apres plusieurs essais", "compte-verrouille"),
    ("mon collegue veut rejoindre notre structure que doit il faire", "rattacher-structure"),
    ("un colegue peut voir les memoires mais pas les modifier pourquoi", "habilitations-profils"),
    ("je ne vois aucun memoire de ma societe", "pas-d-habilitation"),
    ("ou renseigner mon iban pour etre payé", "coordonnees-bancaires"),
    ("je suis auto entrepreneur non soumis a la tva", "exoneration-tva"),
    ("taille maximum des fichiers joints", "pieces-jointes"),
    ("ma mission est terminee depuis plus d'un an puis-je encore etre payé", "forclusion"),
    (
        "je me suis trompé dans un memoire deja envoye, puis-je le corriger",
        "modifier-memoire-envoye",
    ),
    ("que veut dire le statut suspendu", "memoire-suspendu"),
    ("mon memoire a ete rejeté que faire", "memoire-refuse"),
    ("quand vais je recevoir mon virement", "delai-paiement"),
    ("ils m'ont payé moins que ce que j'avais demandé", "montant-certifie-inferieur"),
    ("comment controler l authenticite d un certficat", "verifier-empreinte"),
    ("combien de temps mes documents sont ils gardés", "archives-conservation"),
    ("extraire la liste des memoires payes pour les impots", "liste-fiscale"),
    ("mon exploitation est en guadeloupe, ai-je droit au remboursment tic", "tic-outre-mer"),
    ("je suis dans la sarthe, eligible pour la campagne 2016 ?", "tic-departements-eligibles"),
    ("combien rembourse-t-on par litre de gasoil en 2019", "tic-taux"),
    ("jusqu a quand deposer ma demande pour le fioul livré en 2021", "tic-delai-depot"),
    ("peut on faire deux demandes la meme année", "tic-une-demande-par-an"),
    ("ma demande tic est rejetée comment la refaire", "tic-rejet-dupliquer"),
    ("acompte de 50 pourcent sur la detaxe gazole", "tic-avance"),
    ("comment contacter quelqu un du support", "creer-ticket"),
    ("le ticket est en action requise qu'est ce que je dois faire", "ticket-action-requise"),
    (
        "je ne veux plus recevoir les mails recapitulatifs chaque semaine",
        "desactiver-suivi-activite",
    ),
]

NON_SENS = [
    "quelle est la recette de la tarte aux pommes",
    "qui a gagné la coupe du monde de football",
    "quel temps fera-t-il demain a paris",
    "comment reparer ma voiture qui fait du bruit",
    "je cherche un appartement a louer a lyon",
    "blablabla xyzzy",
    "combien de calories dans une banane",
    "quelle est la capitale de l'australie",
    "recommande moi un bon film",
    "les chats aiment ils la pluie",
    "quel est le prix d'un billet de train pour marseille",
    "comment planter des tomates dans mon jardin",
    # Written after the first list passed, from what a trial on the demo let through (a
    # FAQ word beside a place, a word corrected into one of the FAQ's).
    "quel temps fait il a brest",
    "ou acheter du pain",
    "un bon restaurant a paris",
    "horaires de la piscine municipale",
    "comment faire une pate a crepes",
    "meilleur forfait mobile pas cher",
    "quand passe le prochain bus",
    "ou trouver une pharmacie de garde",
    "prix du paquet de cigarettes",
    "comment soigner un rhume",
    "resultat du loto",
]

RECHERCHES: dict[str, Callable[[], RechercheFaq]] = {
    "fts5": RechercheFaqFts5,
    "memoire": RechercheFaqEnMemoire,
}


@pytest.fixture(scope="module", params=list(RECHERCHES), ids=lambda nom: f"recherche={nom}")
def assistant(request: pytest.FixtureRequest) -> AssistantService:
    return AssistantService(FaqDuPaquet(), RECHERCHES[request.param]())


def test_les_questions_tenues_trouvent_leur_entree(assistant: AssistantService) -> None:
    assert len(QUESTIONS_TENUES) == 30
    bonnes = []
    lignes = []
    for question, attendue in QUESTIONS_TENUES:
        reponse = assistant.repondre(question)
        premiere = reponse.reponses[0] if reponse.reponses else None
        trouvee = premiere.id if premiere else "(aucune : ticket proposé)"
        if trouvee == attendue:
            bonnes.append(question)
        lignes.append(
            f"{'ok' if trouvee == attendue else '--'} {question!r} → {trouvee} "
            f"({premiere.score if premiere else 0:.3f}), attendue {attendue}"
        )
    bilan = f"{len(bonnes)}/30 questions tenues classent la bonne entrée en tête"
    print("\n".join([bilan, *lignes]))
    assert len(bonnes) >= 25, "\n".join([bilan, *lignes])


@pytest.mark.parametrize("question", NON_SENS)
def test_une_question_hors_sujet_reste_sous_le_seuil(
    assistant: AssistantService, question: str
) -> None:
    reponse = assistant.repondre(question)
    assert reponse.reponses == ()
    assert reponse.proposer_ticket
    assert reponse.message == MESSAGE_INCONNU
    assert reponse.ticket_prerempli is not None
    assert reponse.ticket_prerempli.description == question


def test_une_reponse_porte_sa_confiance_et_ses_liens(assistant: AssistantService) -> None:
    reponse = assistant.repondre("Comment dupliquer un mémoire refusé ?")
    assert not reponse.proposer_ticket
    assert reponse.ticket_prerempli is None
    assert 1 <= len(reponse.reponses) <= 3
    scores = [r.score for r in reponse.reponses]
    assert scores == sorted(scores, reverse=True)
    assert all(assistant.seuil <= s <= 1 for s in scores)
    premiere = reponse.reponses[0]
    assert premiere.id in {"dupliquer-memoire", "memoire-refuse"}
    assert [lien.cible for lien in premiere.liens] == ["guide/memoires#refus"]
    assert premiere.liens[0].titre == "Refus, duplication et abandon"


def test_le_ticket_propose_reprend_la_question(assistant: AssistantService) -> None:
    question = "  Ma question sur les tomates   de mon jardin " + "et des poireaux " * 10
    ticket = assistant.repondre(question).ticket_prerempli
    assert ticket is not None
    assert (ticket.categorie, ticket.sous_categorie) == (CATEGORIE_TICKET, SOUS_CATEGORIE_TICKET)
    assert (CATEGORIE_TICKET, SOUS_CATEGORIE_TICKET) == ("AUTRE", "A_QUESTION")
    assert ticket.description == question.strip()
    assert ticket.resume == " ".join(question.split())[:100]
    assert len(ticket.resume) == 100


@pytest.mark.parametrize("question", ["", "   \n ", "x" * 501, None, 42, "\x00 bonjour"])
def test_une_question_invalide_est_refusee(assistant: AssistantService, question: object) -> None:
    with pytest.raises(ValidationError) as erreur:
        assistant.repondre(question)
    assert erreur.value.champ == "question"


def test_une_question_faite_de_mots_vides_propose_un_ticket(assistant: AssistantService) -> None:
    reponse = assistant.repondre("Comment est-ce que je peux faire ?")
    assert reponse.proposer_ticket
    assert reponse.reponses == ()


def test_le_guide(assistant: AssistantService) -> None:
    assert assistant.section("memoires", "envoi").titre == "Envoyer le mémoire"
    assert assistant.page("tic").titre.startswith("Remboursement de la TIC")
    with pytest.raises(NonTrouve) as page:
        assistant.page("inconnue")
    assert page.value.champ == "page"
    with pytest.raises(NonTrouve) as section:
        assistant.section("tic", "inconnue")
    assert section.value.champ == "ancre"


@settings(max_examples=150, deadline=None)
@given(question=st.text(max_size=600))
def test_toute_question_recoit_une_reponse_ou_un_refus_nommant_la_question(
    assistant: AssistantService, question: str
) -> None:
    refus: ValidationError | None = None
    try:
        reponse = assistant.repondre(question)
    except ValidationError as erreur:
        refus = erreur
    if refus is not None:
        assert refus.champ == "question"
        return
    assert reponse.proposer_ticket == (reponse.reponses == ())
    assert (reponse.ticket_prerempli is None) == bool(reponse.reponses)
    assert all(assistant.seuil <= r.score <= 1 for r in reponse.reponses)
