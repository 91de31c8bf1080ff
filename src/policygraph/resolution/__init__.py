"""Names → canonical actors: one key per real-world actor, whatever a document called it.

Resolution learns first, over all documents of a build (`learn_actors`), and returns a frozen
`ActorTable` that building only reads (table.py). The learning resolver (resolver.py) applies
these rules, in order, each with an id that the merge's reason starts with (written as the
node's pg:mergeReason, so every merge can be explained):

- `resolution.alias.<id>`: a curated alias (data/aliases.yaml), for names the text alone
  cannot tie together ("EU Commission" is the European Commission);
- `resolution.acronym`: an acronym a document defines ("Electronic Frontier Foundation (EFF)");
- `resolution.surname`: a person written by surname or first name alone, where one person of
  the build has that full name;
- `resolution.legal-suffix`: "Acme Ltd" is the signer "Acme" whose line carried the suffix;
- `resolution.place-suffix`: "Tern Labs - Portugal", "Tern Labs (Portugal)": where, not who
  (the country is kept as the actor's place), unless the name is a chapter ("Internet Society
  – Bulgaria" is not the Internet Society) or the organisation is a federation of chapters;
- `resolution.place-prefix`: "U.S. Federal Bureau of Investigation" is the Federal Bureau
  of Investigation already known;
- `resolution.government-of`: "Government of India" is India (as a government);
- `resolution.key`: the same key (`names.actor_key`: accents, case, possessives, punctuation
  and spaces folded; honorifics and a leading "the" off): a spelling, not another actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..models import Findings
from ..names import fold
from .resolver import Resolver
from .table import ActorTable, ResolvedActor, actor_names

__all__ = [
    "ActorTable",
    "ResolvedActor",
    "Resolver",
    "actor_names",
    "learn_actors",
    "normalise_name",
]

# Kept for the callers that compare names (linking); the one normaliser is names.fold.
normalise_name = fold


def learn_actors(findings: Iterable[Findings], aliases: Path | None = None) -> ActorTable:
    """The actor table of a build: the curated aliases (data/aliases.yaml unless `aliases`),
    then what the documents teach, frozen."""
    return Resolver.from_data(aliases).learn(findings)
