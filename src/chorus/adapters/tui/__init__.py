"""The Textual terminal UI: the prestataire's portal and the back office, driven by the use
cases (never by the HTTP API, never by a storage adapter)."""
