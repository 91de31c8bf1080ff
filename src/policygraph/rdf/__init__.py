"""RDF terms as text: the one writer of N-Triples and SPARQL terms (terms.py)."""
