"""F1: what each screen is for and the keys that drive it — and, since F1 is the one key no
screen takes for itself, the way to the assistant, the support, the news and the activity
from every screen (some screens give F5 to F8 an action of their own)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown

AIDE = """\
# Aide — Chorus Portail Pro

## Touches
| Touche | Action |
| --- | --- |
| **F1** | cette aide ; depuis tout écran, l'accès à l'assistant, au support… (F5 à F8 ici) |
| **F2** | l'espace des mémoires (prestataire) ou la file de traitement (agent) |
| **F3** | la gestion de la structure (gestionnaire) et mes structures |
| **F4** | changer de structure |
| **F5** | l'assistant virtuel ClaudIA (questions et guide), même avant la connexion |
| **F6** | le support : vos tickets, ou la file des tickets pour un agent |
| **F7** | les actualités du portail, même avant la connexion |
| **F8** | mon activité : les changements d'état et les courriels de suivi |
| **F12** | l'espace des demandes de remboursement TIC/TICGN |
| **F9** | se déconnecter |
| **Tab** / **Maj+Tab** | champ suivant / précédent |
| **Entrée** | valider le champ ou ouvrir la ligne choisie |
| **Échap** | fermer la fenêtre ou revenir en arrière |
| **Ctrl+Q** | quitter |

Sur les écrans qui donnent à F5, F6, F7 ou F8 une action propre (Actualiser, Effacer les
critères, Exporter, Suivant…), c'est elle qui l'emporte : passez alors par **F1**.

## L'espace des mémoires
- **Synthèse** : ce qui attend une action de votre part (brouillons, mémoires suspendus,
  mémoires refusés), avec abandon, suppression, téléchargement et duplication.
- **Rechercher** : tous les critères du portail ; résultats par pages ; export CSV vers le
  fichier de votre choix.
- **Saisir mémoire** : 1. en-tête, 2. lignes de prestation, 3. pièces jointes,
  4. récapitulatif puis « Valider et envoyer » avec l'attestation sur l'honneur. Le numéro
  définitif `MJ…` et l'empreinte du certificat de dépôt s'affichent alors.
- **Tableau de bord** : le nombre de mémoires par état et par structure ; choisir un nombre
  ouvre la liste correspondante.
- **Liste fiscale** : les mémoires mis en paiement sur une période d'un an au plus, avec les
  totaux ; export CSV (**F6**) ou PDF (**Ctrl+P**) de la période saisie.
- **Archives** : les mémoires transmis, consultables et téléchargeables 10 ans, avec la date
  jusqu'à laquelle chacun est conservé ; **Ctrl+T** enregistre le certificat de dépôt du
  mémoire choisi, **Ctrl+P** le mémoire en PDF.
- **Dépôt flux** (habilitation « modification » sur la structure) : un fichier JSON, XML ou
  CSV de mémoires et, au besoin, le ZIP de leurs pièces (« Parcourir… » ou le chemin) ;
  **F5** le dépose, la barre suit son intégration, puis le rapport montre les mémoires
  refusés d'abord avec chacune de leurs erreurs ; **F6** exporte le rapport en CSV. Les flux
  déjà déposés de la structure s'ouvrent d'Entrée.

Le détail d'un mémoire envoyé propose les mêmes téléchargements (**T** : certificat de
dépôt, **P** : mémoire en PDF), enregistrés dans le fichier de votre choix ; un fichier
existant n'est jamais remplacé.

La date de modification de vos dossiers correspond à la date de mise à jour du statut et non
pas à la date de l'événement.

## Les demandes de remboursement TIC/TICGN
Un compte TIC se crée depuis l'écran de connexion (« Créer un compte TIC ») : SIRET, code de
vérification, service TIC, option, vos données et celles de la société, puis « Finaliser
l'inscription » ; le lien du courriel d'activation (valable 60 minutes) se colle dans
« Activer mon compte », où vous choisissez mot de passe et question secrète.

- **Mon suivi** : les derniers événements de vos demandes (réception, instruction,
  validation, rejet avec son motif, mise en paiement).
- **Tableau de bord** : le nombre de demandes par statut et par structure ; choisir un
  nombre ouvre la liste correspondante.
- **Rechercher** : par numéro, structure, année, produit, statut et date de dépôt ; export
  CSV, XLSX (Excel) ou ODS (Calc) dans le fichier de votre choix.
- **Créer une demande** : 1. en-tête (coordonnée bancaire, année des livraisons, attestation
  de non-difficulté, avance), 2. une ligne par facture (**Ctrl+N** ; le taux et le montant
  s'affichent pendant la saisie), 3. pièces jointes (fichier ou pièce du compte, sur une
  ligne ou sur la demande), 4. récapitulatif et « Envoyer ». Une fois envoyée, la demande
  n'est plus modifiable : enregistrez son certificat de dépôt (« Exporter en pdf »).

Le détail d'une demande propose **H** « Historique » (avec le motif d'un rejet), **D**
« Dupliquer » une demande rejetée pour la corriger, **P** « Exporter en pdf » le certificat de
dépôt, **M** modifier et **S** supprimer un brouillon.

## Mon activité
**F8** liste les changements d'état des mémoires et des demandes TIC/TICGN des structures où
vous êtes habilité (un service seulement si votre habilitation s'y limite), du plus récent
au plus ancien, vingt par page (**[** et **]** changent de page) ; **Entrée** ouvre la ligne
choisie. Les deux interrupteurs règlent vos courriels de « suivi d'activité » : quotidien
(les changements de la veille) et hebdomadaire (ceux de la semaine passée, du lundi au
dimanche) ; sans changement, aucun courriel.

## Les actualités
**F7** ouvre les actualités du portail, de la plus récente à la plus ancienne, cinq par page
(**[** et **]** changent de page) ; les trois dernières s'affichent aussi à côté du
formulaire de connexion. Les administrateurs y arrivent après la connexion et les publient
par « Publier une actualité » (**Ctrl+N**), par l'API ou par la commande
`chorus admin publier-actualite`.

## Back office
Les agents voient la file des mémoires de leurs juridictions : mise à disposition,
suspension, certification (avec le montant), refus (avec le motif) ; le comptable les met en
paiement. **Ctrl+T** et **Ctrl+P** y enregistrent le certificat de dépôt et le mémoire en PDF.

Un refus s'affiche sous le champ en cause ; rien de ce que vous avez saisi n'est perdu.
"""


# The application's actions the help leads to: (button id, label, action).
_ACCES = (
    ("aide-assistant", "Assistant ClaudIA (F5)", "assistant"),
    ("aide-support", "Support (F6)", "support"),
    ("aide-actualites", "Actualités (F7)", "actualites"),
    ("aide-activite", "Mon activité (F8)", "activite"),
)


class EcranAide(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Fermer"),
        Binding("f5", "ouvrir('assistant')", "Assistant", show=False),
        Binding("f6", "ouvrir('support')", "Support", show=False),
        Binding("f7", "ouvrir('actualites')", "Actualités", show=False),
        Binding("f8", "ouvrir('activite')", "Activité", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="carte", id="aide"):
            with Horizontal(id="aide-acces"):
                for identifiant, libelle, action in _ACCES:
                    if self.app.check_action(action, ()) is not False:
                        yield Button(libelle, id=identifiant)
            yield Markdown(AIDE)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        for identifiant, _, action in _ACCES:
            if event.button.id == identifiant:
                event.stop()
                self.action_ouvrir(action)

    def action_ouvrir(self, action: str) -> None:
        """Leave the help for the screen of `action` (opened over the one F1 came from)."""
        if self.app.check_action(action, ()) is False:
            return
        self.dismiss()
        self.app.call_later(self.app.run_action, action)
