"""Delivering the outbox (`DistributeurDeCourriels`), against a real SMTP server on loopback."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.adapters.mail import ExpediteurEml, ExpediteurSmtp
from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.storage.memory.stockage import DepotCourriels, MemoireVive
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.domain.courriels import ESSAIS_MAXIMUM, RESERVATION, Courriel
from chorus.ports.courrier import EchecDEnvoi, Expediteur
from chorus.ports.depots import UnitOfWork
from chorus.services.contexte import Ports
from chorus.services.courriels import BilanDEnvoi, DistributeurDeCourriels
from tests.adapters.mail.serveur import Collecteur, ServeurSmtp, port_libre
from tests.doubles import RenduSommaire

MAINTENANT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)
EXPEDITEUR = "ne-pas-repondre@chorus.example"


def ports(uow: UnitOfWork, horloge: HorlogeFixe) -> Ports:
    return Ports(
        uow=uow,
        clock=horloge,
        ids=IdsSequentiels(),
        blobs=BlobsEnMemoire(),
        referentiels=ReferentielsDuPaquet(),
        bareme_tic=BaremeTicDuPaquet(),
        documents=RenduSommaire(),
    )


def mettre_en_file(uow: UnitOfWork, horloge: HorlogeFixe, *ids: str) -> None:
    with uow:
        for id in ids:
            uow.courriels.ajouter(
                Courriel.nouveau(
                    id=id,
                    destinataire=f"{id}@exemple.fr",
                    sujet=f"Votre compte Chorus Pro ({id}) – activation",
                    corps=f"Bonjour,\n\nVoici le lien d'activation n° {id} : valable 60 minutes.\n",
                    maintenant=horloge.maintenant(),
                )
            )
        uow.commit()


def lire(uow: UnitOfWork, id: str) -> Courriel:
    with uow:
        return uow.courriels.obtenir(id)


@attrs.define
class Banc:
    uow: UnitOfWork
    horloge: HorlogeFixe
    ports: Ports

    def distributeur(self, expediteur: Expediteur) -> DistributeurDeCourriels:
        return DistributeurDeCourriels(self.ports, expediteur, EXPEDITEUR)

    def file(self, *ids: str) -> None:
        mettre_en_file(self.uow, self.horloge, *ids)

    def lire(self, id: str) -> Courriel:
        return lire(self.uow, id)


@pytest.fixture(params=["memoire", "sqlite"])
def banc(request: pytest.FixtureRequest, tmp_path: Path) -> Banc:
    uow: UnitOfWork = (
        UniteDeTravailSqlite(tmp_path / "chorus.db")
        if request.param == "sqlite"
        else UniteDeTravailEnMemoire()
    )
    horloge = HorlogeFixe(MAINTENANT)
    return Banc(uow, horloge, ports(uow, horloge))


@pytest.fixture
def serveur() -> Iterator[ServeurSmtp]:
    with ServeurSmtp() as serveur:
        yield serveur


def test_chaque_courriel_est_remis_et_note_envoye(banc: Banc, serveur: ServeurSmtp) -> None:
    banc.file("a", "b")
    banc.horloge.avancer(timedelta(seconds=5))

    bilan = banc.distributeur(ExpediteurSmtp("127.0.0.1", serveur.port)).distribuer()

    assert bilan == BilanDEnvoi(envoyes=2, echecs=0, pris_ailleurs=0, lot_complet=False)
    assert serveur.collecteur.par_message_id() == Counter({"<a@chorus>": 1, "<b@chorus>": 1})
    [recu_a] = [r for r in serveur.recus if r.destinataires == ("a@exemple.fr",)]
    assert recu_a.message["Subject"] == "Votre compte Chorus Pro (a) – activation"
    assert "lien d'activation n° a" in recu_a.message.get_content()
    a = banc.lire("a")
    assert a.envoye_le == MAINTENANT + timedelta(seconds=5)
    assert a.tentatives == 1
    assert a.derniere_erreur is None


def test_distribuer_deux_fois_ne_renvoie_rien(banc: Banc, serveur: ServeurSmtp) -> None:
    banc.file("a", "b", "c")
    distributeur = banc.distributeur(ExpediteurSmtp("127.0.0.1", serveur.port))

    distributeur.distribuer()
    banc.horloge.avancer(RESERVATION * 10)
    bilan = distributeur.distribuer()

    assert bilan == BilanDEnvoi()
    assert sorted(serveur.collecteur.par_message_id().values()) == [1, 1, 1]


def test_serveur_arrete_le_courriel_attend_puis_part_apres_le_delai(banc: Banc) -> None:
    port = port_libre()
    banc.file("a")
    distributeur = banc.distributeur(ExpediteurSmtp("127.0.0.1", port, delai=2))

    assert distributeur.distribuer() == BilanDEnvoi(echecs=1)

    a = banc.lire("a")
    assert a.envoye_le is None
    assert a.tentatives == 1
    assert a.derniere_erreur is not None
    assert "connexion refusée" in a.derniere_erreur
    with ServeurSmtp(port=port) as serveur:
        # Not before the retry delay (1 minute after a first failure)…
        banc.horloge.avancer(timedelta(seconds=59))
        assert distributeur.distribuer() == BilanDEnvoi()
        assert serveur.recus == []
        # …then delivered.
        banc.horloge.avancer(timedelta(seconds=1))
        assert distributeur.distribuer() == BilanDEnvoi(envoyes=1)
        assert serveur.collecteur.par_message_id() == Counter({"<a@chorus>": 1})
    a = banc.lire("a")
    assert a.envoye_le == MAINTENANT + timedelta(minutes=1)
    assert a.tentatives == 2
    assert a.derniere_erreur is None


def test_refus_550_echec_note_et_les_autres_partent(banc: Banc, serveur: ServeurSmtp) -> None:
    banc.file("a")
    serveur.collecteur.refus_destinataire = "550 5.1.1 Boîte aux lettres inconnue"
    distributeur = banc.distributeur(ExpediteurSmtp("127.0.0.1", serveur.port))

    assert distributeur.distribuer() == BilanDEnvoi(echecs=1)
    a = banc.lire("a")
    assert a.envoye_le is None
    assert a.tentatives == 1
    assert a.derniere_erreur is not None
    assert "550" in a.derniere_erreur
    assert "Destinataire refusé" in a.derniere_erreur

    serveur.collecteur.refus_destinataire = None
    banc.file("b")
    assert distributeur.distribuer() == BilanDEnvoi(envoyes=1)
    assert serveur.collecteur.par_message_id() == Counter({"<b@chorus>": 1})


def test_abandonne_apres_le_nombre_maximum_d_essais(banc: Banc) -> None:
    port = port_libre()
    banc.file("a")
    distributeur = banc.distributeur(ExpediteurSmtp("127.0.0.1", port, delai=2))

    for _ in range(ESSAIS_MAXIMUM):
        assert distributeur.distribuer() == BilanDEnvoi(echecs=1)
        banc.horloge.avancer(timedelta(hours=1))

    assert banc.lire("a").abandonne
    assert distributeur.distribuer() == BilanDEnvoi()


def test_limite_et_lot_complet(banc: Banc, tmp_path: Path) -> None:
    banc.file(*(f"c{i}" for i in range(5)))
    distributeur = banc.distributeur(ExpediteurEml(tmp_path / "mail"))

    assert distributeur.distribuer(limite=2) == BilanDEnvoi(envoyes=2, lot_complet=True)
    assert distributeur.distribuer(limite=2) == BilanDEnvoi(envoyes=2, lot_complet=True)
    assert distributeur.distribuer(limite=2) == BilanDEnvoi(envoyes=1)
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 5
    with pytest.raises(ValueError, match="limite"):
        distributeur.distribuer(limite=0)


def test_mode_fichiers_eml(banc: Banc, tmp_path: Path) -> None:
    banc.file("a")
    dossier = tmp_path / "var" / "mail"

    assert banc.distributeur(ExpediteurEml(dossier)).distribuer() == BilanDEnvoi(envoyes=1)

    assert (dossier / "a.eml").exists()
    assert banc.lire("a").envoye_le is not None


class ExpediteurQuiPlante:
    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        raise RuntimeError("bogue")


def test_une_erreur_inattendue_de_l_expediteur_compte_comme_un_echec(banc: Banc) -> None:
    banc.file("a", "b")

    assert banc.distributeur(ExpediteurQuiPlante()).distribuer() == BilanDEnvoi(echecs=2)
    assert banc.lire("a").derniere_erreur == "Erreur inattendue de l'expéditeur : RuntimeError."


class Panne(BaseException):
    """The process dies (power cut) right after the SMTP server accepted the email."""


@attrs.define
class ExpediteurQuiMeurtApresAcceptation:
    reel: Expediteur
    mort: bool = True

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        self.reel.envoyer(courriel, expediteur)
        if self.mort:
            raise Panne


def test_panne_entre_acceptation_et_note_renvoi_apres_reservation_meme_message_id(
    banc: Banc, serveur: ServeurSmtp
) -> None:
    # The documented limit: at least once. The copy carries the same Message-ID.
    banc.file("a")
    expediteur = ExpediteurQuiMeurtApresAcceptation(ExpediteurSmtp("127.0.0.1", serveur.port))
    with pytest.raises(Panne):
        banc.distributeur(expediteur).distribuer()
    expediteur.mort = False
    apres_la_panne = banc.distributeur(expediteur)

    banc.horloge.avancer(RESERVATION - timedelta(seconds=1))
    assert apres_la_panne.distribuer() == BilanDEnvoi()
    banc.horloge.avancer(timedelta(seconds=1))
    assert apres_la_panne.distribuer() == BilanDEnvoi(envoyes=1)

    assert serveur.collecteur.par_message_id() == Counter({"<a@chorus>": 2})
    assert banc.lire("a").envoye_le is not None


@attrs.define
class ExpediteurFixe:
    issue: str  # "ok" | "echec"
    livres: list[str] = attrs.Factory(list)

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        if self.issue == "echec":
            raise EchecDEnvoi("relais : échec")
        self.livres.append(courriel.id)


@attrs.define
class ExpediteurTropLent:
    """Its delivery outlasts the reservation: meanwhile another distributor (the relais)
    takes the email over and finishes first."""

    banc: Banc
    issue: str
    relais: ExpediteurFixe
    livres: list[str] = attrs.Factory(list)

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        self.banc.horloge.avancer(RESERVATION + timedelta(seconds=1))
        self.banc.distributeur(self.relais).distribuer()
        if self.issue == "echec":
            raise EchecDEnvoi("lent : échec")
        self.livres.append(courriel.id)


@pytest.mark.parametrize("issue_lente", ["ok", "echec"])
@pytest.mark.parametrize("issue_relais", ["ok", "echec"])
def test_reprise_apres_reservation_expiree_la_bonne_issue_est_gardee(
    banc: Banc, issue_lente: str, issue_relais: str
) -> None:
    banc.file("a")
    relais = ExpediteurFixe(issue_relais)
    lent = ExpediteurTropLent(banc, issue_lente, relais)

    banc.distributeur(lent).distribuer()

    a = banc.lire("a")
    assert a.tentatives == 2
    # Sent by either is sent (recorded once); two failures keep the relais' own outcome.
    assert (a.envoye_le is not None) == ("ok" in (issue_lente, issue_relais))
    if a.envoye_le is None:
        assert a.derniere_erreur == "relais : échec"
        assert a.disponible_le == banc.horloge.maintenant() + timedelta(minutes=2)
    else:
        assert a.derniere_erreur is None
    # Two reservations and the relais' outcome; the slow one writes only what is news.
    assert a.version == (4 if (issue_lente, issue_relais) == ("ok", "echec") else 3)


class DepotEnRetard(DepotCourriels):
    """Answers `a_envoyer` with what was read earlier: a distributor that read the outbox
    just before another one reserved it."""

    perimes: Sequence[Courriel] = ()

    def a_envoyer(self, maintenant: datetime, limite: int) -> Sequence[Courriel]:
        return self.perimes


def test_le_distributeur_qui_perd_la_course_saute_le_courriel(serveur: ServeurSmtp) -> None:
    vive = MemoireVive()
    horloge = HorlogeFixe(MAINTENANT)
    premier_uow = UniteDeTravailEnMemoire(vive)
    mettre_en_file(premier_uow, horloge, "a", "b")
    with premier_uow:
        lu_avant = premier_uow.courriels.a_envoyer(MAINTENANT, 10)
    en_retard = UniteDeTravailEnMemoire(vive)
    depot = DepotEnRetard(en_retard)
    depot.perimes = lu_avant
    en_retard.courriels = depot
    smtp = ExpediteurSmtp("127.0.0.1", serveur.port)

    assert DistributeurDeCourriels(ports(premier_uow, horloge), smtp, EXPEDITEUR).distribuer(
        limite=1
    ) == BilanDEnvoi(envoyes=1, lot_complet=True)
    bilan = DistributeurDeCourriels(ports(en_retard, horloge), smtp, EXPEDITEUR).distribuer()

    assert bilan == BilanDEnvoi(envoyes=1, pris_ailleurs=1)
    assert serveur.collecteur.par_message_id() == Counter({"<a@chorus>": 1, "<b@chorus>": 1})


@pytest.mark.parametrize("partage", ["une_unite_par_distributeur", "unite_partagee"])
@pytest.mark.parametrize("stockage", ["memoire", "sqlite"])
def test_deux_distributeurs_en_parallele_chaque_courriel_une_seule_fois(
    tmp_path: Path, stockage: str, partage: str
) -> None:
    horloge = HorlogeFixe(MAINTENANT)
    vive = MemoireVive()

    def unite() -> UnitOfWork:
        if stockage == "sqlite":
            return UniteDeTravailSqlite(tmp_path / "chorus.db")
        return UniteDeTravailEnMemoire(vive)

    uows = [unite(), unite()] if partage == "une_unite_par_distributeur" else [unite()] * 2
    ids = [f"c{i:03}" for i in range(60)]
    mettre_en_file(uows[0], horloge, *ids)
    # A slow server widens the window between claiming and recording.
    with ServeurSmtp(collecteur=Collecteur(latence=0.005)) as serveur:
        smtp = ExpediteurSmtp("127.0.0.1", serveur.port)
        depart = threading.Barrier(2)
        bilans: list[list[BilanDEnvoi]] = [[], []]
        erreurs: list[BaseException] = []

        def distribuer(n: int) -> None:
            distributeur = DistributeurDeCourriels(ports(uows[n], horloge), smtp, EXPEDITEUR)
            try:
                depart.wait()
                while (bilan := distributeur.distribuer(limite=7)).envoyes or bilan.lot_complet:
                    bilans[n].append(bilan)
            except BaseException as erreur:
                erreurs.append(erreur)

        fils = [threading.Thread(target=distribuer, args=(n,)) for n in (0, 1)]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join(60)
        recus = serveur.collecteur.par_message_id()

    assert erreurs == []
    assert recus == Counter({f"<{id}@chorus>": 1 for id in ids})
    assert sum(b.envoyes for n in (0, 1) for b in bilans[n]) == 60
    assert all(lire(uows[0], id).envoye_le is not None for id in ids)


# --- The rules, over random histories (a fake sender: fast, and failing on demand) -----------


@attrs.define
class ExpediteurSimule:
    horloge: HorlogeFixe
    etat: str = "ok"  # ok | en_panne | refuse
    livres: list[str] = attrs.Factory(list)
    essais: dict[str, list[datetime]] = attrs.Factory(dict)

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        self.essais.setdefault(courriel.id, []).append(self.horloge.maintenant())
        if self.etat == "en_panne":
            raise EchecDEnvoi("Serveur SMTP injoignable : connexion refusée.")
        if self.etat == "refuse":
            raise EchecDEnvoi("Destinataire refusé par le serveur SMTP : 550.")
        self.livres.append(courriel.id)


etapes = st.lists(
    st.one_of(
        st.tuples(st.just("ajouter"), st.integers(1, 4)),
        st.tuples(st.just("serveur"), st.sampled_from(["ok", "en_panne", "refuse"])),
        st.tuples(st.just("avancer"), st.integers(0, 90)),
        st.tuples(st.just("distribuer"), st.integers(1, 5)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(etapes=etapes)
def test_rien_perdu_rien_en_double_et_les_delais_respectes(
    etapes: list[tuple[str, object]],
) -> None:
    horloge = HorlogeFixe(MAINTENANT)
    uow = UniteDeTravailEnMemoire()
    expediteur = ExpediteurSimule(horloge)
    distributeur = DistributeurDeCourriels(ports(uow, horloge), expediteur, EXPEDITEUR)
    ids: list[str] = []
    for action, valeur in etapes:
        if action == "ajouter":
            assert isinstance(valeur, int)
            nouveaux = [f"c{len(ids) + i}" for i in range(valeur)]
            mettre_en_file(uow, horloge, *nouveaux)
            ids += nouveaux
        elif action == "serveur":
            expediteur.etat = str(valeur)
        elif action == "avancer":
            assert isinstance(valeur, int)
            horloge.avancer(timedelta(minutes=valeur))
        else:
            assert isinstance(valeur, int)
            avant = len(expediteur.livres)
            bilan = distributeur.distribuer(limite=valeur)
            assert bilan.envoyes == len(expediteur.livres) - avant
            assert bilan.envoyes + bilan.echecs <= valeur
        assert len(set(expediteur.livres)) == len(expediteur.livres)

    # Then the server comes back for good: everything not given up leaves, once.
    expediteur.etat = "ok"
    for _ in range(ESSAIS_MAXIMUM + 5):
        horloge.avancer(timedelta(hours=1))
        distributeur.distribuer()
    assert Counter(expediteur.livres) == Counter(
        {id: 1 for id in ids if not lire(uow, id).abandonne}
    )
    for id in ids:
        courriel = lire(uow, id)
        essais = expediteur.essais.get(id, [])
        assert courriel.tentatives == len(essais)
        assert (courriel.envoye_le is not None) == (id in expediteur.livres)
        assert courriel.derniere_erreur is None or courriel.envoye_le is None
        # After the k-th failure, the next try waits min(60, 2**(k-1)) minutes.
        for k, (essai, suivant) in enumerate(itertools.pairwise(essais), start=1):
            assert suivant - essai >= timedelta(minutes=min(60, 2 ** (k - 1)))


# --- Two processes on one SQLite file ---------------------------------------------------------


def distribuer_dans_un_processus(
    chemin: str, port: int, depart: Barrier, sortie: Queue[int]
) -> None:
    horloge = HorlogeFixe(MAINTENANT)
    distributeur = DistributeurDeCourriels(
        ports(UniteDeTravailSqlite(Path(chemin)), horloge),
        ExpediteurSmtp("127.0.0.1", port),
        EXPEDITEUR,
    )
    envoyes = 0
    depart.wait()
    while (bilan := distributeur.distribuer(limite=5)).envoyes or bilan.lot_complet:
        envoyes += bilan.envoyes
    sortie.put(envoyes)


@pytest.mark.slow
def test_deux_processus_sur_la_meme_base_chaque_courriel_une_seule_fois(tmp_path: Path) -> None:
    chemin = tmp_path / "chorus.db"
    ids = [f"p{i:03}" for i in range(40)]
    mettre_en_file(UniteDeTravailSqlite(chemin), HorlogeFixe(MAINTENANT), *ids)
    contexte = multiprocessing.get_context("spawn")
    with ServeurSmtp(collecteur=Collecteur(latence=0.005)) as serveur:
        depart = contexte.Barrier(2)
        sortie: Queue[int] = contexte.Queue()
        processus = [
            contexte.Process(
                target=distribuer_dans_un_processus,
                args=(str(chemin), serveur.port, depart, sortie),
            )
            for _ in range(2)
        ]
        for p in processus:
            p.start()
        for p in processus:
            p.join(120)
        recus = serveur.collecteur.par_message_id()

    assert [p.exitcode for p in processus] == [0, 0]
    assert sortie.get(timeout=5) + sortie.get(timeout=5) == 40
    assert recus == Counter({f"<{id}@chorus>": 1 for id in ids})
