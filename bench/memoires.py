"""Mémoires of the data set, built through the domain.

A mémoire lives as the use cases would make it live: created as a draft on its day
(`Memoire.creer`, lines checked by `LigneDePrestation.creer`, `ajouter_ligne`), sent a few
days later (`Memoire.envoyer`: the sending checks, the definitive number, the RIB, the
certificate and its empreinte), then processed by the back office (`Memoire.traiter`,
`completer`, `abandonner`, `dupliquer`) along the fate drawn for it, as far as the data set's
last day allows: old mémoires are mostly paid, recent ones still drafts or in progress.

Building a million that way takes about 1.3 ms of CPU each, too long for `make bench`. So
each process builds, per kind of structure (catégorie × type de TVA) and fate, a pool of
*models* through the domain, keeping every state each went through; a mémoire of the set is
then a state of a model (the one its age reaches) *derived* for its place (`deriver`): its
own ids and numbers, its structure, service, juridiction, case numbers, engagement and
invoice numbers, every date shifted to its own creation, its actors, and a certificate
recomputed for what it now says (prestataire, juridiction, pièces, empreinte). Shifting
every date together keeps the domain's date rules (réquisition ≤ prestation ≤ today,
forclusion, events after the sending) true. Refused mémoires duplicated by their prestataire
are built wholly through the domain, with their copy in the next position.

Numbers come from the mémoire's position in the set (`TMP` + year + position, `MJ` +
position), so that they never repeat, whichever process builds which part.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs

from bench.monde import PDF, Monde, StructureDuBanc, identifiant, libelle_acteur
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.certificat import PieceCertifiee
from chorus.domain.empreinte import calculer_empreinte
from chorus.domain.entete import EnTete, ModeDepot, TypeTva
from chorus.domain.lignes import FraisDivers, LigneDePrestation
from chorus.domain.memoire import Memoire
from chorus.domain.montants import arrondir
from chorus.domain.numerotation import numero_brouillon, numero_definitif
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.referentiels import TypePrestation
from chorus.domain.statuts import Intervenant, StatutMemoire
from chorus.domain.traitement import INTERVENANT_PAR_ACTION, ActionTraitement, EvenementTraitement

_AUTORITES = (
    ("OFFICIER_POLICE_JUDICIAIRE", 40),
    ("PROCUREUR_REPUBLIQUE", 28),
    ("JUGE_INSTRUCTION", 12),
    ("JUGE_ENFANTS", 5),
    ("JUGE_LIBERTES_DETENTION", 3),
    ("JUGE_APPLICATION_PEINES", 3),
    ("JUGE_AFFAIRES_FAMILIALES", 3),
    ("TRIBUNAL_CORRECTIONNEL", 3),
    ("AGENT_DOUANES_JUDICIAIRES", 1),
    ("COUR_ASSISES", 1),
    ("CHAMBRE_INSTRUCTION", 1),
)
_NOMBRE_DE_LIGNES = (1, 2, 2, 3, 3, 3, 3, 4, 4, 5)  # 1 to 5, 3 on average

# The réquisitions attached to the mémoires (16 different files), checked once.
_REQUISITIONS = [
    PieceJointe.depuis_contenu(
        id="modèle",
        contenu=PDF + f"% requisition {k}\n".encode(),
        nom_fichier="requisition.pdf",
        type_piece=TypePiece.REQUISITION,
        designation="Réquisition",
        date_ajout=datetime(2015, 1, 1, tzinfo=UTC),
        numero_ligne=1,
    )
    for k in range(16)
]

# Checked lines by (type de prestation, without TVA), shared by the slices of a process.
_MODELES_DE_LIGNES: dict[tuple[str, bool], list[LigneDePrestation]] = {}


class Destin(enum.Enum):
    """What becomes of a mémoire when nothing stops it (the data set's end may)."""

    PAYE = "PAYE"
    PAYE_APRES_SUSPENSION = "PAYE_APRES_SUSPENSION"
    REFUSE_ABANDONNE = "REFUSE_ABANDONNE"
    REFUSE_DUPLIQUE = "REFUSE_DUPLIQUE"
    REFUSE = "REFUSE"
    BROUILLON_OUBLIE = "BROUILLON_OUBLIE"
    SUSPENDU_SANS_SUITE = "SUSPENDU_SANS_SUITE"
    CERTIFIE_NON_PAYE = "CERTIFIE_NON_PAYE"


DESTINS = (
    (Destin.PAYE, 80.0),
    (Destin.PAYE_APRES_SUSPENSION, 9.0),
    (Destin.REFUSE_ABANDONNE, 2.5),
    (Destin.REFUSE_DUPLIQUE, 3.5),
    (Destin.REFUSE, 1.0),
    (Destin.BROUILLON_OUBLIE, 2.5),
    (Destin.SUSPENDU_SANS_SUITE, 1.0),
    (Destin.CERTIFIE_NON_PAYE, 0.5),
)


def choix_pondere(rng: random.Random, choix: Sequence[tuple[object, float]]) -> object:
    tirage = rng.random() * sum(p for _, p in choix)
    for valeur, poids in choix:
        tirage -= poids
        if tirage < 0:
            return valeur
    return choix[-1][0]


def _jours(rng: random.Random, mini: float, maxi: float) -> timedelta:
    return timedelta(seconds=rng.uniform(mini, maxi) * 86_400)


@attrs.define
class Fabrique:
    """Builds the mémoires of one slice of the data set (one process may hold several)."""

    monde: Monde
    rng: random.Random
    fin: datetime = attrs.field(init=False)
    debut: datetime = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.fin = self.monde.parametres.instant_fin
        self.debut = self.monde.parametres.instant_debut

    # -- what a mémoire is made of ------------------------------------------------------

    def _modele_de_ligne(
        self, type_prestation: TypePrestation, sans_taxe: bool, categorie: str
    ) -> LigneDePrestation:
        """A line of that type checked by `LigneDePrestation.creer`, amounts drawn once for a
        pool of 32 per type; each mémoire takes one and gives it its own number, case and
        dates (`attrs.evolve`), which saves the checks of amounts already checked."""
        cle = (type_prestation.code, sans_taxe)
        modeles = _MODELES_DE_LIGNES.get(cle)
        if modeles is None:
            # Drawn from their own seed, so that every process has the same pool.
            rng = random.Random(f"{self.monde.parametres.graine}/lignes/{cle}")
            modeles = [
                self._nouvelle_ligne(rng, type_prestation, sans_taxe, categorie) for _ in range(32)
            ]
            _MODELES_DE_LIGNES[cle] = modeles
        return self.rng.choice(modeles)

    def _nouvelle_ligne(
        self,
        rng: random.Random,
        type_prestation: TypePrestation,
        sans_taxe: bool,
        categorie: str,
    ) -> LigneDePrestation:
        unite = type_prestation.unite
        if unite == "heure":
            quantite = Decimal(rng.choice(("1", "1.5", "2", "2.5", "3", "4", "6", "8")))
            tarif = Decimal(rng.randint(3_000, 6_500)) / 100
        elif unite == "page":
            quantite = Decimal(rng.randint(1, 40))
            tarif = Decimal(rng.randint(1_500, 3_000)) / 100
        elif unite == "km":
            quantite = Decimal(rng.randint(10, 400))
            tarif = Decimal(rng.randint(30, 60)) / 100
        elif "jour" in type_prestation.libelle:
            quantite = Decimal(rng.randint(1, 60))
            tarif = Decimal(rng.randint(500, 3_000)) / 100
        else:
            quantite = Decimal(rng.choice((1, 1, 1, 1, 2, 3)))
            # Acts, analyses, flat fees: a log-normal around 200 € (40 € to 1,800 €).
            centimes = int(rng.lognormvariate(5.3, 0.6) * 100)
            tarif = min(Decimal(1_800), max(Decimal(40), Decimal(centimes) / 100))
        if sans_taxe or categorie in ("EXPERT_MEDICAL", "PSYCHIATRE", "PSYCHOLOGUE"):
            taux = "0"  # no TVA, or exempt medical acts
        else:
            taux = "20" if rng.random() < 0.9 else "10"
        frais: tuple[FraisDivers, ...] = ()
        if rng.random() < 0.12:
            frais = (FraisDivers.creer("Déplacement", Decimal(rng.randint(800, 15_000)) / 100),)
        debours = Decimal(rng.randint(300, 8_000)) / 100 if rng.random() < 0.05 else Decimal(0)
        jour = self.fin.date()
        return LigneDePrestation.creer(
            numero_ligne=1,
            numero_affaire="modèle",
            date_requisition=jour,
            autorite_requerante="PROCUREUR_REPUBLIQUE",
            type_prestation=type_prestation.code,
            date_prestation=jour,
            quantite=quantite,
            tarif_ht=tarif,
            taux_tva=taux,
            aujourdhui=jour,
            frais_divers=frais,
            debours=debours,
        )

    def _ligne(
        self,
        numero_ligne: int,
        type_prestation: TypePrestation,
        numero_affaire: str,
        aujourdhui: date,
        s: StructureDuBanc,
    ) -> LigneDePrestation:
        rng = self.rng
        prestation = aujourdhui - timedelta(days=rng.randint(0, 45))
        requisition = prestation - timedelta(days=rng.randint(0, 30))
        # The rules `LigneDePrestation.creer` checks, for the values changed here.
        assert requisition <= prestation <= aujourdhui
        return attrs.evolve(
            self._modele_de_ligne(type_prestation, s.type_tva.sans_taxe, s.categorie),
            numero_ligne=numero_ligne,
            numero_affaire=numero_affaire,
            date_requisition=requisition,
            date_prestation=prestation,
            autorite_requerante=str(choix_pondere(rng, _AUTORITES)),
        )

    def place(self, index: int, s: StructureDuBanc, rang_local: int, creation: datetime) -> Place:
        """What the mémoire of position `index` says of its place (drawn from `rng`)."""
        rng = self.rng
        groupe = rang_local // 3
        annee = 15 + (s.rang + groupe) % 11
        # A case number recurs across about three mémoires of the structure.
        affaires = [f"{annee:02d}{(s.rang * 7_919 + groupe) % 10**7:07d}"]
        if rng.random() < 0.3:
            affaires.append(f"{annee:02d}{(s.rang * 7_919 + groupe + 1) % 10**7:07d}")
        facture = None
        if rng.random() < 0.4:
            facture = f"F{jour_a_paris(creation).year}-{rang_local + 1:05d}"
        engagement = None
        if rng.random() < 0.25:
            engagement = f"13{(s.rang * 100_003 + rang_local // 2) % 10**8:08d}"
        return Place(
            index=index,
            s=s,
            creation=creation,
            juridiction=s.juridiction(rng),
            service_id=(rng.choice(s.services) if s.services and rng.random() < 0.85 else None),
            numero_facture=facture,
            numero_engagement_juridique=engagement,
            affaires=tuple(affaires),
        )

    def brouillon(self, place: Place) -> Memoire:
        """The draft of `place`, as its prestataire entered it on its creation day."""
        rng = self.rng
        s = place.s
        aujourdhui = jour_a_paris(place.creation)
        principal = rng.choice(s.types)
        entete = EnTete.creer(
            structure_id=s.structure.id,
            juridiction_code=place.juridiction,
            texte_reference=principal.texte_reference,
            type_tva=s.type_tva,
            service_id=place.service_id,
            coordonnee_bancaire_id=s.coordonnee_id,
            categorie_prestataire=s.categorie,
            numero_facture=place.numero_facture,
            numero_engagement_juridique=place.numero_engagement_juridique,
            commentaire="Mission réalisée sur réquisition." if rng.random() < 0.1 else None,
        )
        mode = ModeDepot.PORTAIL
        tirage = rng.random()
        if tirage < 0.05:
            mode = ModeDepot.FLUX
        elif tirage < 0.2:
            mode = ModeDepot.API
        memoire = Memoire.creer(
            id=identifiant(rng),
            numero=numero_brouillon(aujourdhui.year, place.index + 1),
            entete=entete,
            acteur=s.acteur,
            maintenant=place.creation,
            mode_depot=mode,
        )
        for numero_ligne in range(1, rng.choice(_NOMBRE_DE_LIGNES) + 1):
            type_prestation = principal if rng.random() < 0.7 else rng.choice(s.types)
            affaire = place.affaires[0] if numero_ligne == 1 else rng.choice(place.affaires)
            memoire = memoire.ajouter_ligne(
                self._ligne(numero_ligne, type_prestation, affaire, aujourdhui, s)
            )
        if rng.random() < 0.02 and memoire.totaux.montant_ttc > 100:
            remise = arrondir(memoire.totaux.montant_ttc * Decimal("0.05"))
            memoire = memoire.modifier_entete(attrs.evolve(entete, remise_globale_ttc=remise))
        piece = attrs.evolve(
            rng.choice(_REQUISITIONS), id=identifiant(rng), date_ajout=place.creation
        )
        return memoire.joindre_piece(piece).modifie_le(place.creation)

    # -- what becomes of it ---------------------------------------------------------------

    def _evenement(
        self,
        memoire: Memoire,
        action: ActionTraitement,
        quand: datetime,
        *,
        motif: str | None = None,
        montant_certifie: Decimal | None = None,
    ) -> Memoire:
        """A back-office event recorded at `quand`, which happened up to a day before
        (never before the sending)."""
        envoi = memoire.date_depot or quand
        avance = min(timedelta(days=1), quand - envoi)
        evenement = EvenementTraitement.creer(
            action=action,
            reference=reference(action.value, memoire.numero, len(memoire.historique)),
            date_evenement=quand - avance * self.rng.random(),
            motif=motif,
            montant_certifie=montant_certifie,
        )
        intervenant = INTERVENANT_PAR_ACTION[action]
        acteur = (
            libelle_acteur(self.monde.comptable)
            if intervenant is Intervenant.COMPTABLE
            else acteur_du_greffe(memoire.entete.juridiction_code)
        )
        return memoire.traiter(evenement, intervenant=intervenant, acteur=acteur, maintenant=quand)

    def _envoyer(self, memoire: Memoire, place: Place, quand: datetime) -> Memoire:
        juridiction = self.monde.juridictions[memoire.entete.juridiction_code]
        return memoire.envoyer(
            numero_definitif=numero_definitif(place.index + 1),
            acteur=place.s.acteur,
            maintenant=quand,
            aujourdhui=jour_a_paris(quand),
            attestation_sur_honneur=True,
            piece_rib=attrs.evolve(place.s.rib, id=identifiant(self.rng)),
            prestataire=place.s.prestataire,
            juridiction=juridiction.nom,
        )

    def parcours(
        self,
        memoire: Memoire,
        place: Place,
        destin: Destin,
        fin: datetime,
        index_copie: int | None = None,
    ) -> tuple[list[Memoire], Memoire | None]:
        """Every state `memoire` (a draft) goes through along `destin` until `fin`, the
        draft first; with the copy a duplication made, if it happened (numbered for
        position `index_copie`)."""
        rng = self.rng
        s = place.s
        etats = [memoire]
        t = memoire.date_creation
        if destin is Destin.BROUILLON_OUBLIE:
            return etats, None
        t += _jours(rng, 0.01, 30 if rng.random() < 0.1 else 6)
        if t > fin:
            return etats, None
        m = self._envoyer(memoire, place, t)
        etats.append(m)
        t += _jours(rng, 0.01, 2)
        if t > fin:
            return etats, None
        m = self._evenement(m, ActionTraitement.MISE_A_DISPOSITION, t)
        etats.append(m)
        if destin in (Destin.PAYE_APRES_SUSPENSION, Destin.SUSPENDU_SANS_SUITE):
            t += _jours(rng, 2, 30)
            if t > fin:
                return etats, None
            m = self._evenement(
                m, ActionTraitement.SUSPENSION, t, motif="Pièce justificative manquante."
            )
            etats.append(m)
            if destin is Destin.SUSPENDU_SANS_SUITE:
                return etats, None
            t += _jours(rng, 1, 15)
            if t > fin:
                return etats, None
            m = m.completer(
                commentaire="Veuillez trouver la pièce demandée.", acteur=s.acteur, maintenant=t
            )
            etats.append(m)
        if destin in (Destin.REFUSE, Destin.REFUSE_ABANDONNE, Destin.REFUSE_DUPLIQUE):
            t += _jours(rng, 3, 60)
            if t > fin:
                return etats, None
            m = self._evenement(m, ActionTraitement.REFUS, t, motif="Tarif non conforme.")
            etats.append(m)
            t += _jours(rng, 1, 30)
            if destin is Destin.REFUSE or t > fin:
                return etats, None
            if destin is Destin.REFUSE_ABANDONNE or index_copie is None:
                etats.append(m.abandonner(acteur=s.acteur, maintenant=t))
                return etats, None
            copie_pieces = tuple(
                attrs.evolve(p, id=identifiant(rng)) for p in m.pieces_a_dupliquer()
            )
            original, copie = m.dupliquer(
                id=identifiant(rng),
                numero=numero_brouillon(jour_a_paris(t).year, index_copie + 1),
                acteur=s.acteur,
                maintenant=t,
                pieces=copie_pieces,
            )
            etats.append(original)
            return etats, copie
        t += _jours(rng, 3, 60)
        if t > fin:
            return etats, None
        if rng.random() < 0.05:
            net = m.totaux.net_a_payer
            m = self._evenement(
                m,
                ActionTraitement.CERTIFICATION,
                t,
                motif="Taxation au tarif réglementaire.",
                montant_certifie=arrondir(net * Decimal("0.9")),
            )
        else:
            m = self._evenement(m, ActionTraitement.CERTIFICATION, t)
        etats.append(m)
        t += _jours(rng, 3, 40)
        if destin is Destin.CERTIFIE_NON_PAYE or t > fin:
            return etats, None
        etats.append(self._evenement(m, ActionTraitement.MISE_EN_PAIEMENT, t))
        return etats, None

    # -- models and their derivation ---------------------------------------------------

    def modele(self, s: StructureDuBanc, destin: Destin) -> list[Memoire]:
        """A model for the structures of the kind of `s` and that fate: every state it
        goes through, built through the domain, with no end date to stop it. The pool of
        a kind and fate is built whole at its first use, each model from its own seed, so
        that every process has the same."""
        classe = (s.categorie, s.type_tva)
        modeles = _MODELES.get((classe, destin))
        if modeles is None:
            # Built for the first structure of that kind, whichever structure asks: a
            # model must not depend on which process meets which structure first.
            s = next(
                autre
                for autre in self.monde.structures
                if (autre.categorie, autre.type_tva) == classe
            )
            graine = self.monde.parametres.graine
            creation = self.debut + timedelta(days=400, hours=2)
            modeles = []
            for k in range(_nombre_de_modeles(destin)):
                rng = random.Random(f"{graine}/modele/{classe}/{destin.value}/{k}")
                fabrique = Fabrique(self.monde, rng)
                place = fabrique.place(0, s, 0, creation)
                etats, _ = fabrique.parcours(
                    fabrique.brouillon(place), place, destin, creation + timedelta(days=3_650)
                )
                modeles.append(etats)
            _MODELES[(classe, destin)] = modeles
        return modeles[self.rng.randrange(len(modeles))]

    def deriver(self, etats: Sequence[Memoire], place: Place) -> Memoire:
        """The state of the model `etats` that a mémoire created at `place.creation` has
        reached at the data set's end, made that mémoire's (see the module's documentation)."""
        rng = self.rng
        s = place.s
        modele = etats[0]
        decalage = place.creation - modele.date_creation
        age = self.fin - place.creation
        etat = modele
        for suivant in etats[1:]:
            if suivant.date_statut - modele.date_creation > age:
                break
            etat = suivant
        jours = timedelta(
            days=(jour_a_paris(place.creation) - jour_a_paris(modele.date_creation)).days
        )
        envoye = etat.certificat is not None
        brouillon = numero_brouillon(jour_a_paris(place.creation).year, place.index + 1)
        numero = numero_definitif(place.index + 1) if envoye else brouillon
        juridiction = self.monde.juridictions[place.juridiction]
        entete = attrs.evolve(
            etat.entete,
            structure_id=s.structure.id,
            juridiction_code=place.juridiction,
            service_id=place.service_id,
            coordonnee_bancaire_id=s.coordonnee_id,
            numero_facture=place.numero_facture,
            numero_engagement_juridique=place.numero_engagement_juridique,
        )
        lignes = tuple(
            attrs.evolve(
                ligne,
                numero_affaire=(
                    place.affaires[0] if ligne.numero_ligne == 1 else rng.choice(place.affaires)
                ),
                date_requisition=ligne.date_requisition + jours,
                date_prestation=ligne.date_prestation + jours,
            )
            for ligne in etat.lignes
        )
        pieces = tuple(
            attrs.evolve(
                s.rib if p.type_piece is TypePiece.COORDONNEE_BANCAIRE else p,
                id=identifiant(rng),
                date_ajout=p.date_ajout + decalage,
                numero_ligne=p.numero_ligne,
            )
            for p in etat.pieces
        )
        greffe = acteur_du_greffe(place.juridiction)
        historique = tuple(
            attrs.evolve(
                e,
                date_evenement=e.date_evenement + decalage,
                date_maj=e.date_maj + decalage,
                acteur=(
                    s.acteur
                    if e.intervenant is Intervenant.PRESTATAIRE
                    else e.acteur
                    if e.intervenant is Intervenant.COMPTABLE
                    else greffe
                ),
                reference_evenement=(
                    None
                    if e.reference_evenement is None
                    else reference(e.statut.value, numero, rang)
                ),
            )
            for rang, e in enumerate(etat.historique)
        )
        paiement = next((e for e in historique if e.statut is StatutMemoire.MIS_EN_PAIEMENT), None)
        memoire = attrs.evolve(
            etat,
            id=identifiant(rng),
            numero=numero,
            numero_brouillon=brouillon,
            entete=entete,
            date_creation=place.creation,
            date_modification=etat.date_modification + decalage,
            historique=historique,
            lignes=lignes,
            pieces=pieces,
            prestataire=s.prestataire if envoye else None,
            date_paiement=None if paiement is None else jour_a_paris(paiement.date_evenement),
            certificat=None,
        )
        if etat.certificat is None:
            return memoire
        date_depot = etat.certificat.date_depot + decalage
        certificat = attrs.evolve(
            etat.certificat,
            numero=numero,
            date_depot=date_depot,
            prestataire=s.prestataire.libelle,
            juridiction=juridiction.nom,
            pieces=tuple(PieceCertifiee(p.nom_fichier, p.type_piece, p.sha256) for p in pieces),
            empreinte=calculer_empreinte(memoire, date_depot=date_depot),
        )
        return attrs.evolve(memoire, certificat=certificat)

    # -- a slice of the data set -----------------------------------------------------------

    def creation(self, index: int) -> datetime:
        """When the mémoire of position `index` was created: the set spreads evenly over
        its years, in order."""
        n = self.monde.parametres.memoires
        etendue = self.fin - self.debut
        return self.debut + etendue * ((index + self.rng.random()) / n)

    def tranche(self, debut: int, rangs: Sequence[int], locaux: Sequence[int]) -> list[Memoire]:
        """The mémoires of positions `debut` … `debut + len(rangs) - 1`. A refused mémoire
        duplicated by its prestataire leaves its copy in the next position of the slice."""
        resultat: list[Memoire] = []
        copie: tuple[Memoire, Place] | None = None
        for k, (rang, local) in enumerate(zip(rangs, locaux, strict=True)):
            index = debut + k
            if copie is not None:
                # The copy of the previous one, sent again and paid, wholly by the domain.
                brouillon, place = copie
                place = attrs.evolve(place, index=index)
                etats, _ = self.parcours(brouillon, place, Destin.PAYE, self.fin)
                resultat.append(etats[-1])
                copie = None
                continue
            s = self.monde.structures[rang]
            place = self.place(index, s, local, self.creation(index))
            destin = Destin(choix_pondere(self.rng, DESTINS))
            if destin is Destin.REFUSE_DUPLIQUE and k + 1 < len(rangs):
                etats, double = self.parcours(
                    self.brouillon(place), place, destin, self.fin, index_copie=index + 1
                )
                resultat.append(etats[-1])
                if double is not None:
                    copie = (double, place)
                continue
            if destin is Destin.REFUSE_DUPLIQUE:
                destin = Destin.REFUSE_ABANDONNE
            resultat.append(self.deriver(self.modele(s, destin), place))
        return resultat


@attrs.frozen
class Place:
    """Where a mémoire of the set belongs: position, structure, creation, and the values of
    its header and lines that are its own."""

    index: int
    s: StructureDuBanc
    creation: datetime
    juridiction: str
    service_id: str | None
    numero_facture: str | None
    numero_engagement_juridique: str | None
    affaires: tuple[str, ...]


def reference(action: str, numero: str, rang: int) -> str:
    """The reference of a back-office event: its action, the mémoire, its rank in the
    history."""
    return f"{action[:4]}-{numero}-{rang}"


def acteur_du_greffe(juridiction_code: str) -> str:
    return f"Service centralisateur – Greffe ({juridiction_code})"


# Models by (kind of structure, fate), shared by the slices of a process.
_MODELES: dict[tuple[tuple[str, TypeTva], Destin], list[list[Memoire]]] = {}
MODELES_PAR_CLASSE = 256


def _nombre_de_modeles(destin: Destin) -> int:
    total = sum(p for _, p in DESTINS)
    poids = dict(DESTINS)[destin]
    return max(4, round(MODELES_PAR_CLASSE * poids / total))
