"""The literal pre-filter: it may let a text through that a pattern does not match, never the
other way round (a cue it wrongly skipped would be a stance lost)."""

from __future__ import annotations

import re
import sys

from policygraph.prefilter import LiteralFilter, fold, required_literals
from policygraph.topics import load_topics

PATTERNS = [
    r"(?P<holder>[A-Z]\w+(?: [A-Z]\w+){0,3})'s (?:efforts|attempts|plans) to (?:undermine|weaken)",
    r"(?:need|demand|push)\w* to (?:weaken|break|undermine)",
    r"end-to-end encryption is (?:like an? (?:lock|seal)\b|essential)",
    r"(?<!not )(?:enabl\w*|turn\w* on) end-to-end encryption by default",
    r"no (?:secure|safe) way to [^.]{0,80}without (?:introducing|creating)",
    r"Kiss",
]
TEXTS = [
    "The Home Office's efforts to undermine encryption are well known.",
    "Governments NEED to WEAKEN it, they say.",
    "End-to-end encryption is like a lock on your door.",
    "We will turn on end-to-end encryption by default next year.",
    "There is no safe way to do that without introducing a weakness.",
    "A KIſS for the KISS principle.",  # a long s: re.IGNORECASE matches it to "s"
    "Nothing of the kind is said here.",
    "Efforts to undermine",
]


def test_never_skips_a_text_a_pattern_matches() -> None:
    for source in PATTERNS:
        pattern = re.compile(source, re.I)
        f = LiteralFilter([pattern])
        assert f.active, source
        for text in TEXTS:
            if pattern.search(text):
                assert f.may_match(text), (source, text)


def test_skips_texts_without_the_words_a_pattern_needs() -> None:
    f = LiteralFilter([re.compile(PATTERNS[0], re.I)])
    assert not f.may_match("Nothing of the kind is said here.")
    assert not f.may_match("Ada Reyes's speech")  # the name class alone is not enough


def test_every_alternative_counts() -> None:
    assert required_literals(re.compile(r"(?:demand|push)\w* to", re.I)) == {"demand", "push"}
    f = LiteralFilter([re.compile(r"(?:demand|push)\w*", re.I)])
    assert f.may_match("They PUSHED for it") and f.may_match("a demand")


def test_only_what_every_match_has_is_required() -> None:
    assert required_literals(r"[A-Z]\w+ said") == {" said"}
    assert required_literals(r"(?:backdoor|\w+ access)") == {"backdoor", " access"}
    assert required_literals(r"(?:we )?\w+") is None  # an optional word is not needed
    assert required_literals(r"(?:backdoor|\w+)") is None  # nor one of one alternative
    assert required_literals(r"(?:backdoor|\w+)s") == {"s"}  # what follows still is


def test_patterns_without_a_certain_word_turn_the_filter_off() -> None:
    f = LiteralFilter([re.compile(r"\w+", re.I), re.compile("backdoor", re.I)])
    assert not f.active and f.may_match("anything")


def test_fold_covers_every_case_equivalence_of_re() -> None:
    # the non-ASCII characters an ASCII letter matches under re.IGNORECASE: fold must map
    # each of them to that letter, or a cue would be skipped on a text that has one
    letter = re.compile("[a-z]", re.I)
    for code in range(128, sys.maxunicode + 1):
        ch = chr(code)
        if letter.fullmatch(ch):
            assert re.fullmatch(re.escape(fold(ch)), ch, re.I), hex(code)
            assert fold(ch).isascii(), hex(code)


def test_the_topic_cues_are_filtered() -> None:
    # every cue of the scheme has words it needs: the quick test of a sentence is a few
    # substring tests, not a regular expression tried at every word
    for topic in load_topics().topics:
        f = LiteralFilter(c.pattern for c in topic.cues)
        assert f.active, topic.notation
        for cue in topic.cues:
            for text in TEXTS:
                if cue.pattern.search(text):
                    assert topic.may_cue(text), (topic.notation, text)
