"""One cold start of the terminal UI, run in a fresh process by `bench.tui`.

``python -m bench.tui_demarrage STOCKAGE T0`` builds the application exactly as ``chorus tui``
does, runs it headless, and as soon as the sign-in screen is mounted and idle (the first
screen a user can type in) prints ``PRET <seconds since T0>`` — `T0` being the wall-clock
instant the parent started this process — then exits.
"""

from __future__ import annotations

import sys
import time


def main() -> None:
    stockage, debut = sys.argv[1], float(sys.argv[2])
    # Imported here, inside the measured time, as `chorus tui` imports them.
    import attrs
    from textual.pilot import Pilot

    from chorus.adapters.tui.ecrans.connexion import EcranConnexion
    from chorus.bootstrap import construire_tui
    from chorus.config import Configuration

    configuration = attrs.evolve(Configuration.depuis_environnement(), stockage=stockage)
    application = construire_tui(configuration)

    async def pilote(pilot: Pilot[object]) -> None:
        while not isinstance(application.screen, EcranConnexion):
            await pilot.pause()
        await pilot.pause()
        print(f"PRET {time.time() - debut:.4f}", flush=True)  # noqa: TID251 (wall clock, as the parent's)
        application.exit()

    application.run(headless=True, auto_pilot=pilote)


if __name__ == "__main__":
    main()
