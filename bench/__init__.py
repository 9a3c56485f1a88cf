"""The benchmark of `make bench`: a deterministic data set of mémoires in SQLite, the latency
of what users wait for (searches, synthèse, tableau de bord, liste fiscale), the insert
throughput of the SQLite adapter against raw SQL, and the HTTP API under load (wrk) against
a bare endpoint.

Run it with ``python -m bench`` (``--help`` for the options); ``--memoires 20000`` gives a
quick variant for development.
"""
