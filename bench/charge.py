"""Load over loopback with `wrk` (DESIGN.md §7: a Python client collapses long before the
server does at this concurrency), driven by a Lua script that takes its requests in turn
from a file the bench writes (so that every request asks for another mémoire or page),
sends the bearer token and the body, and prints its figures as one parseable line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

# The requests are formatted once per thread (`init`), then served in turn, each thread
# starting at its own place in the list; `done` prints the figures as one JSON line.
SCRIPT_LUA = r"""
local requetes = {}
local suivante = 1
local fils = 0

function setup(thread)
  thread:set("numero_du_fil", fils)
  fils = fils + 1
end

local function lire(chemin)
  if chemin == nil or chemin == "-" then return nil end
  local fichier = assert(io.open(chemin, "rb"))
  local contenu = fichier:read("*a")
  fichier:close()
  return contenu
end

function init(args)
  local corps = lire(args[2])
  local jeton = lire(args[3])
  local entetes = {}
  if jeton then entetes["Authorization"] = "Bearer " .. jeton:gsub("%s+$", "") end
  local entetes_corps = {["Content-Type"] = "application/json"}
  for nom, valeur in pairs(entetes) do entetes_corps[nom] = valeur end
  for ligne in io.lines(args[1]) do
    local methode, chemin = ligne:match("^(%u+)%s+(%S+)$")
    if methode == "POST" then
      requetes[#requetes + 1] = wrk.format("POST", chemin, entetes_corps, corps)
    elseif methode then
      requetes[#requetes + 1] = wrk.format(methode, chemin, entetes, nil)
    end
  end
  assert(#requetes > 0, "aucune requête dans " .. args[1])
  suivante = (numero_du_fil or 0) * 7919 % #requetes + 1
end

function request()
  local requete = requetes[suivante]
  suivante = suivante % #requetes + 1
  return requete
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BANC {"requetes":%d,"duree_us":%d,"octets":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"moyenne_us":%.1f,"connexion":%d,"lecture":%d,' ..
    '"ecriture":%d,"statut":%d,"delai":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


class WrkIntrouvable(Exception):
    """`wrk` is not installed and cannot be installed here; the message says how to."""


@attrs.frozen
class Charge:
    """What one `wrk` run measured."""

    requetes: int
    duree_s: float
    octets: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    # Socket errors and answers with a status ≥ 400 (`statut`), as wrk counts them.
    erreurs: dict[str, int]

    @property
    def debit(self) -> float:
        """Requests per second."""
        return self.requetes / self.duree_s if self.duree_s else 0.0

    @property
    def en_erreur(self) -> int:
        return sum(self.erreurs.values())

    def en_dict(self) -> dict[str, Any]:
        return {
            "requetes": self.requetes,
            "duree_s": round(self.duree_s, 3),
            "debit_par_s": round(self.debit, 1),
            "octets": self.octets,
            "p50_ms": round(self.p50_ms, 3),
            "p90_ms": round(self.p90_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "max_ms": round(self.max_ms, 3),
            "erreurs": self.erreurs,
        }


def analyser(sortie: str) -> Charge:
    """The figures of the ``BANC {…}`` line the script's `done` prints."""
    for ligne in sortie.splitlines():
        if ligne.startswith("BANC "):
            d = json.loads(ligne[len("BANC ") :])
            return Charge(
                requetes=int(d["requetes"]),
                duree_s=d["duree_us"] / 1e6,
                octets=int(d["octets"]),
                p50_ms=d["p50_us"] / 1000,
                p90_ms=d["p90_us"] / 1000,
                p99_ms=d["p99_us"] / 1000,
                max_ms=d["max_us"] / 1000,
                erreurs={
                    cle: int(d[cle])
                    for cle in ("connexion", "lecture", "ecriture", "statut", "delai")
                },
            )
    raise RuntimeError(f"wrk n'a pas donné ses mesures :\n{sortie}")


def trouver_wrk() -> str:
    """The path of `wrk`, installed with apt when missing and running as root; otherwise
    `WrkIntrouvable` with how to install it."""
    chemin = shutil.which("wrk")
    if chemin is not None:
        return chemin
    if os.geteuid() == 0 and shutil.which("apt-get") is not None:
        print("  wrk absent : installation (apt-get install -y wrk)…", flush=True)
        installation = subprocess.run(
            ["apt-get", "install", "-y", "wrk"], capture_output=True, text=True, check=False
        )
        if installation.returncode != 0:
            subprocess.run(["apt-get", "update"], capture_output=True, check=False)
            subprocess.run(
                ["apt-get", "install", "-y", "wrk"], capture_output=True, text=True, check=False
            )
        chemin = shutil.which("wrk")
        if chemin is not None:
            return chemin
    raise WrkIntrouvable(
        "le générateur de charge wrk est introuvable : installez-le (Debian/Ubuntu : "
        "sudo apt-get install wrk ; macOS : brew install wrk), puis relancez "
        "python -m bench --api-seulement"
    )


@attrs.frozen
class Tir:
    """How to load the server: the same for the API and the bare endpoint."""

    wrk: str
    connexions: int = 16
    fils: int = 2
    duree_s: float = 10.0
    echauffement_s: float = 2.0


def charger(
    tir: Tir,
    url: str,
    requetes: Sequence[str],
    corps: bytes | None = None,
    jeton: str | None = None,
    duree_s: float | None = None,
) -> Charge:
    """Run `wrk` against `url` (scheme, host and port) with `requetes` (``"GET /path"``
    lines) served in turn, for `duree_s` (the shot's duration by default)."""
    with tempfile.TemporaryDirectory(prefix="banc-wrk-") as dossier:
        d = Path(dossier)
        (d / "script.lua").write_text(SCRIPT_LUA, encoding="utf-8")
        (d / "requetes.txt").write_text("\n".join(requetes) + "\n", encoding="utf-8")
        arguments = [str(d / "requetes.txt"), "-", "-"]
        if corps is not None:
            (d / "corps.json").write_bytes(corps)
            arguments[1] = str(d / "corps.json")
        if jeton is not None:
            (d / "jeton.txt").write_text(jeton, encoding="utf-8")
            arguments[2] = str(d / "jeton.txt")
        duree = tir.duree_s if duree_s is None else duree_s
        commande = [
            tir.wrk,
            f"-t{tir.fils}",
            f"-c{tir.connexions}",
            f"-d{max(1, round(duree))}s",
            "--timeout",
            "30s",
            "-s",
            str(d / "script.lua"),
            url,
            "--",
            *arguments,
        ]
        execution = subprocess.run(
            commande, capture_output=True, text=True, check=False, timeout=duree + 120
        )
    if execution.returncode != 0:
        raise RuntimeError(
            f"wrk a échoué ({execution.returncode}) :\n{execution.stdout}\n{execution.stderr}"
        )
    return analyser(execution.stdout)
