"""Talking SPARQL to other servers: the one HTTP client (client.py)."""
