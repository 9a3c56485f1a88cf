"""The documents a user downloads: a sent mémoire's certificat de dépôt (rendered once, at
sending, and served as stored) and the mémoire itself, the liste fiscale of a period, and the
archives of what was sent over the last ten years."""

from __future__ import annotations

from datetime import date

from chorus.domain import acces
from chorus.domain.conservation import premier_jour_conserve
from chorus.domain.documents import (
    CertificatAImprimer,
    DocumentPdf,
    LibellesMemoire,
    ListeFiscaleAImprimer,
    MemoireAImprimer,
    NatureDocument,
)
from chorus.domain.errors import TransitionInvalide
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.statuts import StatutMemoire
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import (
    CleDeTri,
    FiltresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
    Tri,
)
from chorus.services.consultation import ConsultationService
from chorus.services.contexte import Ports
from chorus.services.traitement import exiger_visible_par_agent

STATUTS_TRANSMIS = frozenset(s for s in StatutMemoire if s.envoye)


class DocumentService:
    def __init__(self, ports: Ports, consultation: ConsultationService) -> None:
        self._p = ports
        self._consultation = consultation

    def _memoire_envoye(
        self, uow: UnitOfWork, acteur_id: str, memoire_id: str, back_office: bool
    ) -> Memoire:
        """A sent mémoire the user may read: for the prestataire's screens, a member
        habilitated on its structure (and service); for the back office's, an agent of its
        juridiction. Each side sees the other's as it sees the mémoire itself."""
        memoire = uow.memoires.obtenir(memoire_id)
        if back_office:
            exiger_visible_par_agent(uow.utilisateurs.obtenir(acteur_id), memoire)
        else:
            acces.exiger(
                uow.structures.obtenir(memoire.structure_id),
                acteur_id,
                Application.FRAIS_DE_JUSTICE,
                Profil.CONSULTATION,
                memoire.entete.service_id,
                objet="ce mémoire",
            )
        if memoire.certificat is None:
            raise TransitionInvalide(
                f"Le mémoire n°{memoire.numero} n'a pas été envoyé : ses documents n'existent "
                "qu'une fois le mémoire envoyé."
            )
        return memoire

    def certificat_depot(
        self, acteur_id: str, memoire_id: str, *, back_office: bool = False
    ) -> DocumentPdf:
        """The certificat de dépôt as it was stored at sending, byte for byte (for an agent
        of the mémoire's juridiction with `back_office`)."""
        with self._p.uow.lecture() as uow:
            memoire = self._memoire_envoye(uow, acteur_id, memoire_id, back_office)
        document = CertificatAImprimer.depuis(memoire)
        adresse = document.certificat.document_sha256
        # A mémoire sent before certificates were kept as files gets the same rendering
        # (it depends on the mémoire only), it cannot be stored afterwards: what was sent
        # never changes.
        contenu = (
            self._p.blobs.lire(adresse)
            if adresse is not None
            else self._p.documents.certificat_depot(document)
        )
        return DocumentPdf(NatureDocument.CERTIFICAT_DEPOT, document.nom_fichier, contenu)

    def memoire(self, acteur_id: str, memoire_id: str, *, back_office: bool = False) -> DocumentPdf:
        """The mémoire as sent, rendered from what was stored at sending (the same bytes at
        every download; for an agent of its juridiction with `back_office`)."""
        with self._p.uow.lecture() as uow:
            memoire = self._memoire_envoye(uow, acteur_id, memoire_id, back_office)
            structure = uow.structures.obtenir(memoire.structure_id)
        document = MemoireAImprimer(memoire, self._libelles(memoire, structure))
        return DocumentPdf(
            NatureDocument.MEMOIRE, document.nom_fichier, self._p.documents.memoire(document)
        )

    def _libelles(self, memoire: Memoire, structure: Structure) -> LibellesMemoire:
        ref = self._p.referentiels
        entete = memoire.entete
        juridiction = ref.juridiction(entete.juridiction_code)
        texte = ref.texte_reference(entete.texte_reference)
        categorie = (
            ref.categorie_prestataire(entete.categorie_prestataire)
            if entete.categorie_prestataire is not None
            else None
        )
        service = next((s for s in structure.services if s.id == entete.service_id), None)
        types: dict[str, str] = {}
        autorites: dict[str, str] = {}
        for ligne in memoire.lignes:
            type_prestation = ref.type_prestation(ligne.type_prestation)
            if type_prestation is not None:
                types[ligne.type_prestation] = type_prestation.libelle
            autorite = ref.autorite_requerante(ligne.autorite_requerante)
            if autorite is not None:
                autorites[ligne.autorite_requerante] = autorite.libelle
        return LibellesMemoire(
            juridiction=juridiction.nom if juridiction else entete.juridiction_code,
            texte_reference=(
                f"{texte.code} – {texte.libelle}" if texte else entete.texte_reference
            ),
            categorie_prestataire=(
                categorie.libelle if categorie else entete.categorie_prestataire
            ),
            service=service.libelle if service else None,
            types_prestation=types,
            autorites_requerantes=autorites,
        )

    def liste_fiscale(self, acteur_id: str, structure_id: str, du: date, au: date) -> DocumentPdf:
        """The liste fiscale of the period (≤ one year) as a PDF, every line and the totals."""
        liste = self._consultation.liste_fiscale(acteur_id, structure_id, du, au)
        ref = self._p.referentiels
        juridictions: dict[str, str] = {}
        for ligne in liste.lignes:
            juridiction = ref.juridiction(ligne.juridiction_code)
            if juridiction is not None:
                juridictions[ligne.juridiction_code] = juridiction.nom
        document = ListeFiscaleAImprimer(
            identifiant=liste.structure.identifiant,
            type_identifiant=liste.structure.type_identifiant.value,
            raison_sociale=liste.structure.raison_sociale,
            periode=liste.periode,
            lignes=liste.lignes,
            totaux=liste.totaux,
            juridictions=juridictions,
            edite_le=self._p.clock.maintenant(),
        )
        return DocumentPdf(
            NatureDocument.LISTE_FISCALE,
            document.nom_fichier,
            self._p.documents.liste_fiscale(document),
        )

    def archives(
        self,
        acteur_id: str,
        pagination: Pagination,
        *,
        numero: str | None = None,
        structure_id: str | None = None,
    ) -> Page[ResumeMemoire]:
        """The mémoires the user may see that were transmitted over the last ten years (every
        status but « Brouillon »), the most recently deposited first."""
        filtres = FiltresMemoire(
            numero=numero,
            structure_id=structure_id,
            statuts=STATUTS_TRANSMIS,
            date_depot_du=self.archives_depuis(),
        )
        return self._consultation.rechercher(
            acteur_id, filtres, Tri(CleDeTri.DATE_DEPOT, descendant=True), pagination
        )

    def archives_depuis(self) -> date:
        """The first day of deposit the archives still show: what the purge must keep."""
        return premier_jour_conserve(self._p.clock.aujourdhui())
