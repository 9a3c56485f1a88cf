"""Spreadsheet files as French users open them, shared by the adapters that hand lists out
(the web API's ``text/csv`` answers, the terminal UI's exports): no framework here, only the
format and how a long list is written page after page."""
