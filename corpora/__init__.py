"""Corpus data shipped with tokstats (installed as the ``tokstats.corpora`` package).

Only data lives here; the code that reads it is ``tokstats.sources._corpus``. Every corpus is one JSON
file whose top level records where it came from and when; see ``corpora/README.md``.
"""
