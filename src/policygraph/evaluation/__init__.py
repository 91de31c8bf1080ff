"""Scoring a build against policygraph-gold/1 files (not linking/scoring.py, which scores
Wikidata candidates)."""
