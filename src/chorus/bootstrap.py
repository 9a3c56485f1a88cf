"""The composition root: the only module that picks adapters and wires them to the use cases."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import attrs

from chorus.adapters.lots_statuts import LecteurLotsStatuts
from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.adapters.recherche.fts5 import RechercheFaqFts5
from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.referentiels.faq_yaml import FaqDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.securite.echecs_en_memoire import CompteurDEchecsEnMemoire
from chorus.adapters.securite.secrets_systeme import SecretsDuSysteme
from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.systeme.horloges import HorlogeSysteme
from chorus.adapters.systeme.identifiants import IdsAleatoires
from chorus.config import STOCKAGE_PAR_DEFAUT as STOCKAGE_PAR_DEFAUT
from chorus.config import Configuration
from chorus.config import ErreurDeConfiguration as ErreurDeConfiguration
from chorus.ports.depots import UnitOfWork
from chorus.ports.securite import DessinateurDeCaptcha, GenerateurDeSecrets, HacheurDeMotsDePasse
from chorus.ports.systeme import BlobStore, Clock, IdGenerator
from chorus.services.activite import ActiviteService, NotificationService
from chorus.services.actualites import ActualiteService
from chorus.services.assistant import AssistantService
from chorus.services.comptes import CompteService, ReglagesComptes
from chorus.services.consultation import ConsultationService
from chorus.services.contexte import Ports
from chorus.services.courriels import DistributeurDeCourriels
from chorus.services.cycle_de_vie import CycleDeVieService
from chorus.services.documents import DocumentService
from chorus.services.flux import FluxService
from chorus.services.inscription_tic import InscriptionTicService
from chorus.services.instruction_tic import InstructionTicService
from chorus.services.lots_statuts import LotsStatutsService
from chorus.services.memoires import MemoireService
from chorus.services.retention import RetentionService
from chorus.services.structures import StructureService
from chorus.services.support import SupportService, TicketService
from chorus.services.tic import DemandeTicService
from chorus.services.traitement import TraitementService
from chorus.services.utilisateurs import UtilisateurService

if TYPE_CHECKING:
    from litestar import Litestar

    from chorus.adapters.tui.app import ChorusApp
    from chorus.ports.courrier import Expediteur

# Adapters a command does not need are imported where they are wired, not here: `chorus tui`
# starts without loading Litestar, the mail transports or the captcha's imaging library.


@attrs.frozen
class Chorus:
    """The use cases, wired to one set of ports."""

    ports: Ports
    comptes: CompteService
    utilisateurs: UtilisateurService
    structures: StructureService
    memoires: MemoireService
    traitement: TraitementService
    consultation: ConsultationService
    documents: DocumentService
    retention: RetentionService
    tic: DemandeTicService
    instruction_tic: InstructionTicService
    inscription_tic: InscriptionTicService
    assistant: AssistantService
    actualites: ActualiteService
    tickets: TicketService
    support: SupportService
    activite: ActiviteService
    notifications: NotificationService
    flux: FluxService
    cycle_de_vie: CycleDeVieService
    lots_statuts: LotsStatutsService


def assembler(
    ports: Ports,
    *,
    reglages: ReglagesComptes | None = None,
    hacheur: HacheurDeMotsDePasse | None = None,
    secrets: GenerateurDeSecrets | None = None,
    dessinateur: DessinateurDeCaptcha | None = None,
    assistant: AssistantService | None = None,
) -> Chorus:
    """The use cases on `ports`; the account ports default to the production adapters
    (argon2id, the system's secrets, image captchas), the assistant to the shipped FAQ
    searched with SQLite FTS5; the flux reader to the documented formats' one."""
    if ports.lecteur_flux is None:
        from chorus.adapters.flux import LecteurDeFlux

        ports = attrs.evolve(ports, lecteur_flux=LecteurDeFlux())
    consultation = ConsultationService(ports)
    comptes = CompteService(
        ports,
        hacheur=hacheur or HacheurArgon2id(),
        secrets=secrets or SecretsDuSysteme(),
        dessinateur=dessinateur or _dessinateur_images(),
        reglages=reglages or ReglagesComptes(),
        echecs=CompteurDEchecsEnMemoire(),
    )
    return Chorus(
        ports=ports,
        comptes=comptes,
        utilisateurs=UtilisateurService(ports),
        structures=StructureService(ports),
        memoires=MemoireService(ports),
        traitement=TraitementService(ports),
        consultation=consultation,
        documents=DocumentService(ports, consultation),
        retention=RetentionService(ports),
        tic=DemandeTicService(ports),
        instruction_tic=InstructionTicService(ports),
        inscription_tic=InscriptionTicService(ports, comptes),
        assistant=assistant or AssistantService(FaqDuPaquet(), RechercheFaqFts5()),
        actualites=ActualiteService(ports),
        tickets=TicketService(ports),
        support=SupportService(ports, url_de_base=(reglages or ReglagesComptes()).url_de_base),
        activite=ActiviteService(ports),
        notifications=NotificationService(
            ports, url_de_base=(reglages or ReglagesComptes()).url_de_base
        ),
        flux=FluxService(ports),
        cycle_de_vie=CycleDeVieService(ports),
        lots_statuts=LotsStatutsService(ports, LecteurLotsStatuts()),
    )


def _dessinateur_images() -> DessinateurDeCaptcha:
    from chorus.adapters.securite.captcha_image import DessinateurImageCaptcha

    return DessinateurImageCaptcha()


@attrs.frozen
class Stockage:
    """The storage a URL names: where the aggregates go, and where the pièces go."""

    uow: UnitOfWork
    blobs: BlobStore


def _chemin(stockage: str, schema: str) -> Path:
    reste = stockage[len(schema) + len("://") :]
    if not reste.startswith("/"):
        raise ErreurDeConfiguration(
            f"Adresse de stockage « {stockage} » invalide : écrivez {schema}:///chemin/relatif "
            f"ou {schema}:////chemin/absolu (sans nom d'hôte)."
        )
    chemin = unquote(reste[1:])
    if not chemin or "\x00" in chemin:
        raise ErreurDeConfiguration(
            f"Adresse de stockage « {stockage} » invalide : le chemin est vide ou incorrect."
        )
    return Path(chemin)


def ouvrir_stockage(stockage: str) -> Stockage:
    """The storage named by the URL `stockage`: ``sqlite:///var/chorus.db`` (a relative path;
    four slashes for an absolute one), ``files:///var/chorus-files`` or ``memory://``.

    `ErreurDeConfiguration` (in French) for a URL Chorus does not know or a store it cannot
    open (a foreign or corrupt file, a newer schema).
    """
    schema = stockage.split("://", 1)[0] if "://" in stockage else ""
    try:
        if stockage == "memory://":
            from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire

            return Stockage(UniteDeTravailEnMemoire(), BlobsEnMemoire())
        if schema == "sqlite":
            from chorus.adapters.storage.blobs import BlobsSurDisque
            from chorus.adapters.storage.sqlite import UniteDeTravailSqlite

            base = _chemin(stockage, schema)
            # Pièces beside the database: var/chorus.db → var/chorus-pieces/.
            pieces = base.with_name(f"{base.stem}-pieces")
            return Stockage(UniteDeTravailSqlite(base), BlobsSurDisque(pieces))
        if schema == "files":
            from chorus.adapters.storage.blobs import BlobsSurDisque
            from chorus.adapters.storage.files import UniteDeTravailFichiers

            dossier = _chemin(stockage, schema)
            return Stockage(UniteDeTravailFichiers(dossier), BlobsSurDisque(dossier / "pieces"))
    except StockageInutilisable as erreur:
        raise ErreurDeConfiguration(str(erreur)) from erreur
    except OSError as erreur:
        raise ErreurDeConfiguration(
            f"Le stockage « {stockage} » ne peut pas être ouvert : {erreur.strerror or erreur} "
            f"({erreur.filename or 'chemin inconnu'})."
        ) from erreur
    raise ErreurDeConfiguration(
        f"Adresse de stockage « {stockage} » non reconnue : utilisez sqlite:///chemin.db, "
        "files:///dossier ou memory://."
    )


def construire(
    stockage: str = STOCKAGE_PAR_DEFAUT,
    *,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    reglages: ReglagesComptes | None = None,
    hacheur: HacheurDeMotsDePasse | None = None,
    secrets: GenerateurDeSecrets | None = None,
) -> Chorus:
    """Chorus on the storage named by the URL `stockage` (see `ouvrir_stockage`)."""
    ouvert = ouvrir_stockage(stockage)
    return assembler(
        Ports(
            uow=ouvert.uow,
            clock=clock or HorlogeSysteme(),
            ids=ids or IdsAleatoires(),
            blobs=ouvert.blobs,
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=RenduWeasyPrint(),
        ),
        reglages=reglages,
        hacheur=hacheur,
        secrets=secrets,
    )


def _expediteur(configuration: Configuration) -> tuple[Expediteur, str]:
    """The SMTP server when one is configured, else `.eml` files; and how to say which."""
    from chorus.adapters.mail.fichiers_eml import ExpediteurEml
    from chorus.adapters.mail.smtp import ExpediteurSmtp

    if configuration.smtp_hote is not None:
        return (
            ExpediteurSmtp(configuration.smtp_hote, configuration.smtp_port),
            f"SMTP {configuration.smtp_hote}:{configuration.smtp_port}",
        )
    return (
        ExpediteurEml(configuration.dossier_courriels),
        f"fichiers .eml dans {configuration.dossier_courriels}/ (CHORUS_SMTP_HOST non défini)",
    )


def _chorus(configuration: Configuration) -> Chorus:
    return construire(
        configuration.stockage,
        reglages=ReglagesComptes(
            url_de_base=configuration.url_de_base, captcha_actif=configuration.captcha_actif
        ),
    )


def construire_distributeur(
    configuration: Configuration, chorus: Chorus | None = None
) -> DistributeurDeCourriels:
    """What delivers the outbox, on the configured storage and mail transport."""
    expediteur, _ = _expediteur(configuration)
    return DistributeurDeCourriels(
        (chorus or _chorus(configuration)).ports, expediteur, configuration.adresse_expediteur
    )


@attrs.frozen
class Serveur:
    application: Litestar
    courriels: str
    """Where the emails go, in French (for the start-up banner)."""


def construire_serveur(configuration: Configuration) -> Serveur:
    """The HTTP API on the configured storage; the outbox is delivered and the deposited
    flux are integrated in the background while the application runs (started and stopped
    with it)."""
    import anyio.to_thread

    from chorus.adapters.mail.boucle import BoucleDEnvoi
    from chorus.adapters.systeme.boucle_flux import BoucleDesFlux
    from chorus.adapters.web.app import creer_app
    from chorus.adapters.web.reglages import ReglagesWeb
    from chorus.adapters.web.services import ServicesWeb

    chorus = _chorus(configuration)
    expediteur, description = _expediteur(configuration)
    distributeur = DistributeurDeCourriels(
        chorus.ports, expediteur, configuration.adresse_expediteur
    )
    boucle = BoucleDEnvoi(distributeur.distribuer)
    # Anonymous visitors create captchas and sessions expire: forget them every hour.
    purge = BoucleDEnvoi(chorus.comptes.purger_jetons_expires, intervalle=3600)
    # Deposited flux are integrated here, never in the request; the first pass resumes a
    # flux a killed process left half integrated.
    flux = BoucleDesFlux(lambda suivre: chorus.flux.traiter_en_attente(progression=suivre))
    application = creer_app(
        ServicesWeb(
            comptes=chorus.comptes,
            utilisateurs=chorus.utilisateurs,
            structures=chorus.structures,
            memoires=chorus.memoires,
            traitement=chorus.traitement,
            consultation=chorus.consultation,
            documents=chorus.documents,
            tic=chorus.tic,
            instruction_tic=chorus.instruction_tic,
            inscription_tic=chorus.inscription_tic,
            assistant=chorus.assistant,
            actualites=chorus.actualites,
            activite=chorus.activite,
            cycle_de_vie=chorus.cycle_de_vie,
            tickets=chorus.tickets,
            support=chorus.support,
            referentiels=chorus.ports.referentiels,
            clock=chorus.ports.clock,
            lots_statuts=chorus.lots_statuts,
            flux=chorus.flux,
            reveiller_flux=flux.reveiller,
        ),
        ReglagesWeb(captcha_desactive=not configuration.captcha_actif),
    )

    def limiter_les_fils() -> None:
        # Blocking handlers run in anyio's worker threads (40 by default).
        anyio.to_thread.current_default_thread_limiter().total_tokens = (
            configuration.fils_de_travail
        )

    def prechauffer_les_documents() -> None:
        # The first certificate of a process would pay WeasyPrint's import and the font's
        # loading (about 0.7 s) inside a sending: pay it now, beside the start-up.
        threading.Thread(
            target=RenduWeasyPrint().prechauffer, name="prechauffage-pdf", daemon=True
        ).start()
        # The assistant's FAQ is read and indexed (about half a second) before serving, not
        # in the background: a faulty FAQ or guide in the package stops the start-up with
        # its error, rather than leaving every question to fail.
        chorus.assistant.preparer()

    # Litestar hands the application to a hook that takes an argument: wrap them.
    application.on_startup.extend(
        [
            limiter_les_fils,
            prechauffer_les_documents,
            lambda: boucle.demarrer(),
            lambda: purge.demarrer(),
            lambda: flux.demarrer(),
        ]
    )
    application.on_shutdown.extend(
        [lambda: boucle.arreter(), lambda: purge.arreter(), lambda: flux.arreter()]
    )
    return Serveur(application=application, courriels=description)


def construire_tui(configuration: Configuration) -> ChorusApp:
    """The terminal UI on the configured storage."""
    from chorus.adapters.tui.app import ChorusApp
    from chorus.adapters.tui.services import ServicesTui

    chorus = _chorus(configuration)
    return ChorusApp(
        ServicesTui(
            comptes=chorus.comptes,
            utilisateurs=chorus.utilisateurs,
            structures=chorus.structures,
            memoires=chorus.memoires,
            traitement=chorus.traitement,
            consultation=chorus.consultation,
            documents=chorus.documents,
            tic=chorus.tic,
            instruction_tic=chorus.instruction_tic,
            inscription_tic=chorus.inscription_tic,
            assistant=chorus.assistant,
            actualites=chorus.actualites,
            activite=chorus.activite,
            cycle_de_vie=chorus.cycle_de_vie,
            tickets=chorus.tickets,
            support=chorus.support,
            flux=chorus.flux,
            lots_statuts=chorus.lots_statuts,
            referentiels=chorus.ports.referentiels,
            clock=chorus.ports.clock,
            stockage=configuration.stockage,
        )
    )
