"""The dépôt flux: a prestataire's file of many mémoires, deposited, then integrated in the
background, mémoire by mémoire, by the rules of a hand-entered one.

`deposer` only checks and stores the file (and the ZIP of pièces beside it) and creates the
flux, `IN_RECU`. `traiter` — run by the server's loop (`traiter_en_attente`) or by
``chorus flux deposer`` — reads the file and integrates it in chunks: each chunk's mémoires,
their report entries, the registry of references and the flux's progress (`traites` and its
counters) are committed in one unit of work. An integration stopped at any instant (a crash,
a kill -9) therefore loses nothing and does nothing twice: the next `traiter` resumes at
`traites`. Two processes integrating the same flux at once cannot both write a chunk: each
chunk checks, under the unit of work's lock, that the flux is still at the version this
process left it at, and the one that finds it moved on stops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import attrs

from chorus.domain import acces
from chorus.domain.entete import ModeDepot
from chorus.domain.errors import (
    DomainError,
    FichierTropVolumineux,
    NonTrouve,
    ValidationError,
)
from chorus.domain.flux.conversion import (
    CodesReferentiels,
    Conversion,
    MemoireConvertie,
    cle_de_reference,
    convertir,
    empreinte_memoire,
)
from chorus.domain.flux.flux import (
    Flux,
    FormatFlux,
    IssueReference,
    ReferenceIntegree,
    ResultatReference,
    numero_flux,
    sequence_flux,
)
from chorus.domain.flux.lecture import ErreurFlux, FichierIllisible, MemoireLue
from chorus.domain.memoire import Memoire
from chorus.domain.numerotation import numero_brouillon, sequence_brouillon
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.pieces import PieceJointe
from chorus.domain.statuts import StatutMemoire
from chorus.domain.textes import texte_obligatoire
from chorus.ports.depots import UnitOfWork
from chorus.ports.flux import LecteurFlux
from chorus.ports.requetes import Page, Pagination
from chorus.services.activite import noter_activite
from chorus.services.contexte import Ports, libelle_acteur
from chorus.services.memoires import envoyer_brouillon

MEGA_OCTET = 1024 * 1024
TAILLE_MAXIMUM_FICHIER = 50 * MEGA_OCTET
TAILLE_MAXIMUM_PIECES = 200 * MEGA_OCTET
# Mémoires per unit of work: large enough for bulk writes to pay, small enough that a
# crash redoes little and other writers wait little.
TAILLE_DU_LOT = 500
# Sending renders each mémoire's certificate (a PDF) inside the unit of work: smaller chunks
# keep other writers from waiting long for the lock.
TAILLE_DU_LOT_ENVOI_DIRECT = 20

_OBJET = "ce flux"
_INTROUVABLE = "Introuvable : ce flux n'existe pas ou ne vous est pas accessible."

Progression = Callable[[Flux], None]

# The depositor's habilitation on a service, not yet checked in this chunk.
_A_VERIFIER = object()


@attrs.frozen
class _Contexte:
    """What the integration of one flux reads once: the file's mémoires, the pièces, the
    codes of the référentiels, and where each reference first appears in the file."""

    memoires: Sequence[MemoireLue]
    pieces: Mapping[str, bytes]
    codes: CodesReferentiels
    premieres: Mapping[str, MemoireLue]


@attrs.frozen
class _Accepte:
    """A mémoire of the chunk that passed every check, before drafts are numbered."""

    lue: MemoireLue
    reference: str
    empreinte: str
    memoire: Memoire


def _refus(lue: MemoireLue, erreurs: Sequence[ErreurFlux]) -> ResultatReference:
    return ResultatReference(
        rang=lue.rang,
        reference=_reference(lue),
        issue=IssueReference.REFUSE,
        erreurs=tuple(erreurs),
    )


def _reference(lue: MemoireLue) -> str | None:
    # The registry's key: the reference exactly as the conversion stores it (NFC…).
    return cle_de_reference(lue.reference)


def _erreur_inattendue(lue: MemoireLue) -> ErreurFlux:
    """The refusal of a mémoire whose checking failed otherwise than by a rule of the
    domain (a value no check foresaw): that mémoire alone is refused, never the flux."""
    return ErreurFlux(
        ligne=lue.position,
        champ=None,
        message="Ce mémoire n'a pas pu être vérifié : une de ses valeurs est illisible. "
        "Corrigez-la, ou signalez ce fichier au support s'il vous semble correct.",
    )


def _erreur_du_memoire(lue: MemoireLue, erreur: DomainError) -> ErreurFlux:
    """A refusal of the domain about a whole mémoire, placed where the flux has its field:
    ``lignes[1].date_prestation`` is the field `date_prestation` of the second line."""
    champ = erreur.champ
    if champ is not None and champ.startswith("lignes["):
        index_texte, _, reste = champ[len("lignes[") :].partition("]")
        if index_texte.isdigit() and int(index_texte) < len(lue.lignes):
            return ErreurFlux(
                ligne=lue.lignes[int(index_texte)].position,
                champ=reste.lstrip(".") or None,
                message=erreur.message,
            )
    if champ in ("service_id", "coordonnee_bancaire_id"):
        champ = "service_code" if champ == "service_id" else "iban"
    return ErreurFlux(ligne=lue.position, champ=champ, message=erreur.message)


class FluxService:
    def __init__(self, ports: Ports, *, taille_du_lot: int = TAILLE_DU_LOT) -> None:
        self._p = ports
        self._taille_du_lot = max(1, taille_du_lot)

    def _lecteur(self) -> LecteurFlux:
        if self._p.lecteur_flux is None:
            raise RuntimeError("no flux reader wired in the ports")
        return self._p.lecteur_flux

    # -- deposit -------------------------------------------------------------------------

    def deposer(
        self,
        acteur_id: str,
        *,
        structure_id: str,
        format: FormatFlux,
        nom_fichier: str,
        contenu: bytes,
        pieces: bytes | None = None,
        envoi_direct: bool = False,
        attestation_sur_honneur: bool = False,
    ) -> Flux:
        """Store a flux file (and the ZIP of its pièces) for integration: `IN_RECU`.

        Needs the habilitation « Frais de justice » MODIFICATION on the whole structure and
        its espace open. The file is at most 50 Mo, the ZIP 200 Mo; sending directly needs
        the sworn statement. Nothing is integrated here: see `traiter`."""
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger(
                structure,
                acteur_id,
                Application.FRAIS_DE_JUSTICE,
                Profil.MODIFICATION,
                objet="cette structure",
            )
            if structure.espace_frais_de_justice is None:
                raise ValidationError(
                    "L'espace « Mémoires de frais de justice » n'est pas ouvert pour cette "
                    "structure : son gestionnaire doit l'ajouter.",
                    champ="structure_id",
                )
            if not isinstance(format, FormatFlux):
                raise ValidationError(
                    "Le format du flux doit être JSON, XML ou CSV.", champ="format"
                )
            nom = texte_obligatoire(nom_fichier, "nom_fichier", maximum=255)
            if not contenu:
                raise ValidationError("Le fichier du flux est vide.", champ="fichier")
            if len(contenu) > TAILLE_MAXIMUM_FICHIER:
                raise FichierTropVolumineux(
                    f"Le fichier du flux dépasse la taille maximale de "
                    f"{TAILLE_MAXIMUM_FICHIER // MEGA_OCTET} Mo ({len(contenu)} octets).",
                    champ="fichier",
                )
            if pieces is not None and not pieces:
                raise ValidationError("L'archive ZIP des pièces est vide.", champ="pieces")
            if pieces is not None and len(pieces) > TAILLE_MAXIMUM_PIECES:
                raise FichierTropVolumineux(
                    f"L'archive des pièces dépasse la taille maximale de "
                    f"{TAILLE_MAXIMUM_PIECES // MEGA_OCTET} Mo ({len(pieces)} octets).",
                    champ="pieces",
                )
            if envoi_direct is not False and envoi_direct is not True:
                raise ValidationError("Indiquez oui ou non.", champ="envoi_direct")
            if envoi_direct and attestation_sur_honneur is not True:
                raise ValidationError(
                    "Pour envoyer directement les mémoires du flux, vous devez attester sur "
                    "l'honneur l'exactitude des informations qu'il contient.",
                    champ="attestation_sur_honneur",
                )
            maintenant = self._p.clock.maintenant()
            annee = self._p.clock.aujourdhui().year
            flux = Flux(
                id=self._p.ids.nouveau(),
                numero=numero_flux(annee, uow.sequences.suivant(sequence_flux(annee))),
                structure_id=structure.id,
                deposant_id=acteur_id,
                deposant=libelle_acteur(uow.utilisateurs.obtenir(acteur_id)),
                format=format,
                nom_fichier=nom,
                fichier_sha256=self._p.blobs.deposer(contenu),
                pieces_sha256=None if pieces is None else self._p.blobs.deposer(pieces),
                envoi_direct=envoi_direct,
                date_depot=maintenant,
            )
            uow.flux.ajouter(flux)
            uow.commit()
            return flux

    # -- integration ---------------------------------------------------------------------

    def traiter_en_attente(self, *, progression: Progression | None = None) -> tuple[Flux, ...]:
        """Integrate (or resume) every flux received or in progress, the oldest first."""
        with self._p.uow.lecture() as uow:
            en_attente = tuple(uow.flux.en_attente())
        traites: list[Flux] = []
        premiere_erreur: Exception | None = None
        interrompu = False

        def suivre(flux: Flux) -> None:
            nonlocal interrompu
            if progression is not None:
                try:
                    progression(flux)
                except BaseException:
                    interrompu = True
                    raise

        for flux in en_attente:
            try:
                traites.append(self.traiter(flux.numero, progression=suivre))
            except Exception as erreur:
                if interrompu:
                    raise  # the caller asked to stop (from its progress callback)
                # A flux whose integration fails (a storage error, a renderer down) must
                # not hold up the flux deposited after it: it is retried on the next pass.
                premiere_erreur = premiere_erreur or erreur
        if premiere_erreur is not None:
            raise premiere_erreur
        return tuple(traites)

    def traiter(self, numero: str, *, progression: Progression | None = None) -> Flux:
        """Integrate the flux `numero`, or resume its integration; `progression` is called
        with the flux after each committed chunk. A terminated flux is returned as it is;
        so is one another process is integrating meanwhile."""
        with self._p.uow.lecture() as uow:
            flux = uow.flux.par_numero(numero)
        if flux is None:
            raise NonTrouve(_INTROUVABLE, champ="numero_flux")
        if flux.termine:
            return flux
        try:
            contexte = self._lire(flux)
        except FichierIllisible as erreur:
            return self._rejeter(flux, erreur.message, progression)
        if flux.total is None:
            total = len(contexte.memoires)
            maintenant = self._p.clock.maintenant()
            suivant = self._pas(flux, lambda _, f: f.commencer(total, maintenant))
            if suivant is None:
                return self._actuel(flux)
            flux = suivant
            if progression is not None:
                progression(flux)
        while not flux.termine:
            suivant = self._pas(flux, lambda uow, f: self._lot(uow, f, contexte))
            if suivant is None:
                return self._actuel(flux)
            flux = suivant
            if progression is not None:
                progression(flux)
        return flux

    def _actuel(self, flux: Flux) -> Flux:
        with self._p.uow.lecture() as uow:
            return uow.flux.obtenir(flux.id)

    def _pas(self, flux: Flux, changement: Callable[[UnitOfWork, Flux], Flux]) -> Flux | None:
        """One unit of work on the flux, if it is still at the version this process left it
        at (None otherwise: another process took it over, and this one stops)."""
        with self._p.uow as uow:
            stocke = uow.flux.obtenir(flux.id)
            if stocke.version != flux.version:
                return None
            enregistre = uow.flux.enregistrer(changement(uow, stocke))
            uow.commit()
            return enregistre

    def _rejeter(self, flux: Flux, motif: str, progression: Progression | None) -> Flux:
        maintenant = self._p.clock.maintenant()
        rejete = self._pas(flux, lambda _, f: f.rejeter(motif, maintenant))
        if rejete is None:
            return self._actuel(flux)
        if progression is not None:
            progression(rejete)
        return rejete

    def _lire(self, flux: Flux) -> _Contexte:
        """Read the flux's file and pièces; `FichierIllisible` when either cannot be."""
        lecteur = self._lecteur()
        try:
            contenu = self._p.blobs.lire(flux.fichier_sha256)
            archive = None if flux.pieces_sha256 is None else self._p.blobs.lire(flux.pieces_sha256)
        except NonTrouve:
            raise FichierIllisible(
                "Le fichier déposé est introuvable dans le stockage des pièces : déposez-le "
                "à nouveau."
            ) from None
        memoires = lecteur.lire(flux.format, contenu)
        pieces = {} if archive is None else lecteur.pieces(archive)
        premieres: dict[str, MemoireLue] = {}
        for lue in memoires:
            reference = _reference(lue)
            if reference is not None:
                premieres.setdefault(reference, lue)
        return _Contexte(memoires, pieces, self._codes(), premieres)

    def _codes(self) -> CodesReferentiels:
        ref = self._p.referentiels
        return CodesReferentiels(
            juridictions=frozenset(j.code for j in ref.juridictions()),
            textes_reference=frozenset(t.code for t in ref.textes_reference()),
            categories_prestataire=frozenset(c.code for c in ref.categories_prestataire()),
            types_prestation=frozenset(t.code for t in ref.types_prestation()),
            autorites_requerantes=frozenset(a.code for a in ref.autorites_requerantes()),
        )

    def _lot(self, uow: UnitOfWork, flux: Flux, contexte: _Contexte) -> Flux:
        """Integrate the next chunk of the flux in `uow`; the flux advanced (and terminated
        after the last chunk)."""
        assert flux.total is not None
        taille = self._taille_du_lot
        if flux.envoi_direct:
            taille = min(taille, TAILLE_DU_LOT_ENVOI_DIRECT)
        lot = contexte.memoires[flux.traites : min(flux.total, flux.traites + taille)]
        resultats, nouveaux, entrees = self._integrer(uow, flux, lot, contexte)
        uow.memoires.ajouter_plusieurs(nouveaux)
        uow.flux.enregistrer_references(entrees)
        uow.flux.ajouter_resultats(flux.id, resultats)
        avance = flux.avancer(resultats)
        if avance.traites >= (flux.total or 0):
            avance = avance.terminer(self._p.clock.maintenant())
        return avance

    def _integrer(
        self,
        uow: UnitOfWork,
        flux: Flux,
        lot: Sequence[MemoireLue],
        contexte: _Contexte,
    ) -> tuple[list[ResultatReference], list[Memoire], list[ReferenceIntegree]]:
        structure = uow.structures.obtenir(flux.structure_id)
        aujourdhui = self._p.clock.aujourdhui()
        conversions = [self._convertir(lue, structure, contexte, aujourdhui) for lue in lot]
        registre = uow.flux.references(
            structure.id, [c.memoire.reference for c in conversions if c.memoire is not None]
        )
        # Each mémoire's outcome in file order: its report entry, or a draft still to number.
        issues: list[ResultatReference | _Accepte] = []
        habilitations: dict[str | None, DomainError | object | None] = {}
        for lue, conversion in zip(lot, conversions, strict=True):
            convertie = conversion.memoire
            try:
                # Pure checks only: an unforeseen error there refuses this mémoire alone. The
                # chunk's storage work stays outside, so that a storage failure propagates
                # and the chunk is retried rather than its mémoires refused.
                erreurs = list(conversion.erreurs)
                erreurs.extend(self._hors_du_fichier(lue, structure, contexte))
                if erreurs or convertie is None:
                    issues.append(_refus(lue, erreurs))
                    continue
                pieces, erreurs = self._pieces(convertie, contexte.pieces)
                if erreurs:
                    issues.append(_refus(lue, erreurs))
                    continue
                empreinte = empreinte_memoire(convertie, [p.sha256 for p, _ in pieces])
            except Exception:
                issues.append(_refus(lue, [_erreur_inattendue(lue)]))
                continue
            deja = registre.get(convertie.reference)
            if deja is not None:
                issues.append(self._deja(uow, flux, lue, convertie, deja, empreinte))
                continue
            try:
                brouillon = self._brouillon(flux, structure, convertie, pieces, habilitations)
            except DomainError as erreur:
                issues.append(_refus(lue, [_erreur_du_memoire(lue, erreur)]))
                continue
            except Exception:
                issues.append(_refus(lue, [_erreur_inattendue(lue)]))
                continue
            memoire = brouillon
            if flux.envoi_direct:
                try:
                    memoire = self._envoyer(uow, flux, structure, brouillon)
                except DomainError as erreur:
                    issues.append(_refus(lue, [_erreur_du_memoire(lue, erreur)]))
                    continue
            for _, contenu in pieces:
                self._p.blobs.deposer(contenu)
            issues.append(_Accepte(lue, convertie.reference, empreinte, memoire))
        # Drafts are numbered in one call to the sequence, in file order.
        annee = aujourdhui.year
        a_numeroter = [i for i in issues if isinstance(i, _Accepte) and not i.memoire.numero]
        valeurs = iter(uow.sequences.reserver(sequence_brouillon(annee), len(a_numeroter)))
        resultats: list[ResultatReference] = []
        nouveaux: list[Memoire] = []
        entrees: list[ReferenceIntegree] = []
        for issue in issues:
            if isinstance(issue, ResultatReference):
                resultats.append(issue)
                continue
            memoire = issue.memoire
            if not memoire.numero:
                numero = numero_brouillon(annee, next(valeurs))
                memoire = attrs.evolve(memoire, numero=numero, numero_brouillon=numero)
            nouveaux.append(memoire)
            resultats.append(
                ResultatReference(
                    rang=issue.lue.rang,
                    reference=issue.reference,
                    issue=IssueReference.INTEGRE,
                    numero_memoire=memoire.numero,
                    memoire_id=memoire.id,
                )
            )
            entrees.append(
                ReferenceIntegree(
                    structure_id=structure.id,
                    reference=issue.reference,
                    empreinte=issue.empreinte,
                    memoire_id=memoire.id,
                    numero_memoire=memoire.numero,
                    flux_numero=flux.numero,
                )
            )
        return resultats, nouveaux, entrees

    def _hors_du_fichier(
        self, lue: MemoireLue, structure: Structure, contexte: _Contexte
    ) -> list[ErreurFlux]:
        """What refuses a mémoire besides its own content: its reference already used
        higher in the file, the espace closed, the depositor's habilitation withdrawn."""
        erreurs: list[ErreurFlux] = []
        reference = _reference(lue)
        premiere = None if reference is None else contexte.premieres.get(reference)
        if premiere is not None and premiere.rang != lue.rang:
            erreurs.append(
                ErreurFlux(
                    ligne=lue.position,
                    champ="reference",
                    message=f"La référence {reference} figure déjà plus haut dans le fichier "
                    f"({premiere.position}) : une référence ne peut désigner qu'un mémoire.",
                )
            )
        if structure.espace_frais_de_justice is None:
            erreurs.append(
                ErreurFlux(
                    ligne=lue.position,
                    champ=None,
                    message="L'espace « Mémoires de frais de justice » de la structure a été "
                    "fermé : aucun mémoire ne peut plus y être déposé.",
                )
            )
        return erreurs

    def _pieces(
        self, convertie: MemoireConvertie, archive: Mapping[str, bytes]
    ) -> tuple[list[tuple[PieceJointe, bytes]], list[ErreurFlux]]:
        """The announced pièces taken from the ZIP and checked as uploaded ones."""
        pieces: list[tuple[PieceJointe, bytes]] = []
        erreurs: list[ErreurFlux] = []
        for annoncee in convertie.pieces:
            contenu = archive.get(annoncee.fichier)
            if contenu is None:
                erreurs.append(
                    ErreurFlux(
                        ligne=annoncee.position,
                        champ="fichier",
                        message=f"Le fichier « {annoncee.fichier} » ne figure pas dans "
                        "l'archive ZIP des pièces.",
                    )
                )
                continue
            try:
                piece = self._p.nouvelle_piece(
                    contenu=contenu,
                    nom_fichier=annoncee.fichier,
                    type_piece=annoncee.type_piece,
                    designation=annoncee.designation,
                    numero_ligne=annoncee.numero_ligne,
                )
            except DomainError as erreur:
                erreurs.append(
                    ErreurFlux(ligne=annoncee.position, champ=erreur.champ, message=erreur.message)
                )
                continue
            pieces.append((piece, contenu))
        return pieces, erreurs

    def _convertir(
        self, lue: MemoireLue, structure: Structure, contexte: _Contexte, aujourdhui: date
    ) -> Conversion:
        try:
            return convertir(lue, structure, contexte.codes, aujourdhui=aujourdhui)
        except Exception:
            # The conversion is pure: whatever it raises concerns this mémoire only.
            return Conversion(None, (_erreur_inattendue(lue),))

    def _deja(
        self,
        uow: UnitOfWork,
        flux: Flux,
        lue: MemoireLue,
        convertie: MemoireConvertie,
        deja: ReferenceIntegree,
        empreinte: str,
    ) -> ResultatReference:
        if (
            deja.empreinte == empreinte
            and flux.envoi_direct
            and uow.memoires.obtenir(deja.memoire_id).statut is StatutMemoire.BROUILLON
        ):
            # Reporting it « déjà intégré » would let the depositor believe it sent.
            return _refus(
                lue,
                [
                    ErreurFlux(
                        ligne=lue.position,
                        champ="reference",
                        message=f"Le mémoire n° {deja.numero_memoire} de cette référence a "
                        f"été intégré comme brouillon par le flux n° {deja.flux_numero} : "
                        "envoyez-le depuis le portail, ou supprimez le brouillon pour le "
                        "déposer à nouveau.",
                    )
                ],
            )
        if deja.empreinte == empreinte:
            return ResultatReference(
                rang=lue.rang,
                reference=convertie.reference,
                issue=IssueReference.DEJA_INTEGRE,
                numero_memoire=deja.numero_memoire,
                memoire_id=deja.memoire_id,
            )
        return _refus(
            lue,
            [
                ErreurFlux(
                    ligne=lue.position,
                    champ="reference",
                    message=f"La référence {convertie.reference} a déjà été intégrée (mémoire "
                    f"n° {deja.numero_memoire}, flux n° {deja.flux_numero}) avec un contenu "
                    "différent.",
                )
            ],
        )

    def _brouillon(
        self,
        flux: Flux,
        structure: Structure,
        convertie: MemoireConvertie,
        pieces: Sequence[tuple[PieceJointe, bytes]],
        habilitations: dict[str | None, DomainError | object | None],
    ) -> Memoire:
        """The mémoire as a hand-entered draft would be, with its lines and pièces — its
        number still empty — checked for sending when the flux asks for it; no storage is
        touched. `DomainError` at the first rule broken."""
        entete = convertie.entete
        refus = habilitations.get(entete.service_id, _A_VERIFIER)
        if refus is _A_VERIFIER:
            # Once per service and chunk: the structure is the same for the whole chunk.
            try:
                acces.exiger(
                    structure,
                    flux.deposant_id,
                    Application.FRAIS_DE_JUSTICE,
                    Profil.MODIFICATION,
                    entete.service_id,
                    objet="ce service" if entete.service_id is not None else "cette structure",
                )
                refus = None
            except DomainError as erreur:
                refus = erreur
            habilitations[entete.service_id] = refus
        if isinstance(refus, DomainError):
            raise refus
        brouillon = Memoire.creer(
            id=self._p.ids.nouveau(),
            numero="",
            entete=entete,
            acteur=flux.deposant,
            maintenant=self._p.clock.maintenant(),
            mode_depot=ModeDepot.FLUX,
        )
        brouillon = attrs.evolve(brouillon, lignes=convertie.lignes)
        for piece, _ in pieces:
            brouillon = brouillon.joindre_piece(piece)
        if flux.envoi_direct:
            brouillon.verifier_envoi(
                aujourdhui=self._p.clock.aujourdhui(), attestation_sur_honneur=True
            )
        return brouillon

    def _envoyer(
        self, uow: UnitOfWork, flux: Flux, structure: Structure, brouillon: Memoire
    ) -> Memoire:
        """The checked draft numbered and sent in `uow` (a mémoire refused by
        `verifier_envoi` never gets here, so takes no number)."""
        aujourdhui = self._p.clock.aujourdhui()
        numero = numero_brouillon(
            aujourdhui.year, uow.sequences.suivant(sequence_brouillon(aujourdhui.year))
        )
        brouillon = attrs.evolve(brouillon, numero=numero, numero_brouillon=numero)
        envoye = envoyer_brouillon(
            self._p, uow, brouillon, structure, acteur=flux.deposant, attestation_sur_honneur=True
        )
        noter_activite(uow, brouillon, envoye)
        return envoye

    # -- reading -------------------------------------------------------------------------

    def _visible(self, uow: UnitOfWork, acteur_id: str, numero: str) -> Flux:
        flux = uow.flux.par_numero(numero)
        if flux is None:
            raise NonTrouve(_INTROUVABLE, champ="numero_flux")
        structure = uow.structures.obtenir(flux.structure_id)
        if not structure.est_membre(acteur_id):
            raise NonTrouve(_INTROUVABLE, champ="numero_flux")
        acces.exiger(
            structure, acteur_id, Application.FRAIS_DE_JUSTICE, Profil.CONSULTATION, objet=_OBJET
        )
        return flux

    def obtenir(self, acteur_id: str, numero: str) -> Flux:
        """The flux, for a user with « Frais de justice » consultation on its structure."""
        with self._p.uow.lecture() as uow:
            return self._visible(uow, acteur_id, numero)

    def rapport(self, acteur_id: str, numero: str) -> tuple[ResultatReference, ...]:
        """The flux's report so far, one entry per mémoire handled, in file order."""
        with self._p.uow.lecture() as uow:
            flux = self._visible(uow, acteur_id, numero)
            return tuple(uow.flux.resultats(flux.id))

    def obtenir_avec_rapport(
        self, acteur_id: str, numero: str
    ) -> tuple[Flux, tuple[ResultatReference, ...]]:
        """The flux and its report read together, so that they agree (`traites` and the
        counters against the entries) even while a chunk is being integrated."""
        with self._p.uow.lecture() as uow:
            flux = self._visible(uow, acteur_id, numero)
            return flux, tuple(uow.flux.resultats(flux.id))

    def lister(self, acteur_id: str, structure_id: str, pagination: Pagination) -> Page[Flux]:
        """The structure's flux, the latest deposit first."""
        with self._p.uow.lecture() as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger(
                structure,
                acteur_id,
                Application.FRAIS_DE_JUSTICE,
                Profil.CONSULTATION,
                objet="cette structure",
            )
            return uow.flux.pour_structure(structure_id, pagination)
