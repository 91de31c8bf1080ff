"""Extraction: pure functions Document → Findings. Each finding carries its text span."""

from __future__ import annotations

from ..models import Document, Findings, Mention

__all__ = ["extract"]


def extract(doc: Document) -> Findings:
    """Everything policygraph reads out of one document: the letter it reproduces (title,
    salutation, signatories), the actors, quotes and stances of its running text."""
    from .grammar import grammar_for
    from .language import guess_language
    from .letters import announced_letters, classify, count_note, extract_letter
    from .linked_letters import reported_signers
    from .prose import extract_prose

    language = guess_language(doc.text)
    covered = grammar_for(language) is not None
    letter = extract_letter(doc)
    # A document in a language the stance rules do not cover is still read (metadata, letter,
    # signers); its stances are not, and the build says so.
    # A press release naming the signers of the letter it reports: they sign that letter
    # (not one the document reproduces), are actors of the document, and hold what the letter
    # is said to ask.
    reported = reported_signers(doc) if letter is None else None
    prose = extract_prose(
        doc,
        letter,
        language=language if covered else None,
        reported_signers=reported[1] if reported else (),
    )
    refs = tuple(letter.responds_to) if letter else announced_letters(doc, letter)
    signer_mentions: tuple[Mention, ...] = ()
    if reported is not None:
        refs += (reported[0],)
        taken = {(m.span.start, m.span.end) for m in prose.mentions}
        signer_mentions = tuple(m for m in reported[1] if (m.span.start, m.span.end) not in taken)
    # A reference the letter makes through a link and one the prose finds may be the same
    # letter; the graph builder merges them by authors and date.
    return Findings(
        document=doc,
        kind=classify(doc, letter),
        letter=letter,
        letter_refs=refs + tuple(prose.letter_refs),
        mentions=tuple(prose.mentions) + signer_mentions,
        quotes=tuple(prose.quotes),
        stances=tuple(prose.stances),
        notes=doc.notes + tuple(n for n in (count_note(letter),) if n),
        language=language,
        language_covered=covered,
    )
