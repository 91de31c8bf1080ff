"""A seeded generator of realistic synthetic documents for the benchmarks.

It writes the formats the loaders read: open letters and government letters as Markdown with
YAML front matter (like data/documents/004_*.txt), news articles as plain scraped text with
site furniture (like data/documents/000_*.txt) and press releases as Markdown. Signatory counts
of the open letters follow a power law from 5 to 500; signatories come from a pool of
organisations whose popularity also follows a power law, so the co-signature network looks like
the real one (a few organisations sign almost everything).

Everything is drawn from `random.Random(seed)`: the same seed and size give the same bytes.
Beside the documents, `manifest.json` records what each document says (kind, signatories as
written, quotes, stances), so tests can compare what the pipeline extracted with the truth.

    python -m benchmarks.generator --size 1000 [--seed 7] [--out benchmarks/corpus]
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import random
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "Org",
    "Person",
    "corpus_dir",
    "generate",
    "load_manifest",
    "load_pools",
    "power_law_count",
]

GENERATOR_VERSION = 4
DEFAULT_SEED = 20191004
HERE = Path(__file__).resolve().parent
CORPUS_ROOT = HERE / "corpus"
POOLS = HERE / "pools.yaml"

# Share of each kind of document in the corpus.
# Share of each kind of document in the corpus. In the real corpus (a digital-rights group's
# blog) letters are a minority of the posts; news and press releases are most of them.
MIX: tuple[tuple[str, float], ...] = (
    ("open_letter", 0.20),
    ("government_letter", 0.03),
    ("news_article", 0.47),
    ("press_release", 0.30),
)
MIN_SIGNERS, MAX_SIGNERS, SIGNER_EXPONENT = 5, 500, 2.0
# Organisation popularity: weight of the k-th organisation is 1 / k**ORG_ZIPF.
ORG_ZIPF = 0.9


@dataclass(frozen=True)
class Org:
    name: str
    acronym: str | None = None
    country: str | None = None
    parent: str | None = None
    kind: str = "organisation"  # or "company"

    def as_written(self) -> str:
        """The signatory line: "Name (ACR), Parent, Country" as real letters write it."""
        line = self.name
        if self.acronym:
            line += f" ({self.acronym})"
        if self.parent:
            line += f", {self.parent}"
        if self.country:
            line += f", {self.country}"
        return line


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    org: Org

    @property
    def last(self) -> str:
        return self.name.split()[-1]


@dataclass
class DocRecord:
    """What the generator put into one document (the manifest entry)."""

    file: str
    kind: str
    title: str
    date: str
    publisher: str | None = None
    addressed_to: list[str] = field(default_factory=list)
    signatory_count: int | None = None
    signatories: list[str] = field(default_factory=list)
    quotes: list[dict[str, str]] = field(default_factory=list)
    stances: list[dict[str, str]] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def load_pools(path: Path = POOLS) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def power_law_count(
    rng: random.Random,
    lo: int = MIN_SIGNERS,
    hi: int = MAX_SIGNERS,
    exponent: float = SIGNER_EXPONENT,
) -> int:
    """An integer in [lo, hi] with density ∝ x**-exponent (inverse-CDF sampling)."""
    u = rng.random()
    a = 1.0 - exponent
    x = ((hi + 1) ** a * u + lo**a * (1 - u)) ** (1 / a)
    return min(hi, max(lo, int(x)))


# ---------------------------------------------------------------------------------- pools
def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())


def _org_pool(rng: random.Random, pools: dict[str, Any], n: int) -> list[Org]:
    """n organisations with unique names and acronyms, shuffled (rank = popularity)."""
    names: set[str] = set()
    acronyms: set[str] = set(pools["countries"]) | {"US", "UK", "EU", "UN"}
    orgs: list[Org] = []
    attempts = 0
    while len(orgs) < n:
        attempts += 1
        if attempts > n * 50:
            raise ValueError(f"cannot draw {n} distinct organisation names from pools.yaml")
        form = rng.random()
        kind = "organisation"
        if form < 0.30:
            name = " ".join(
                (
                    rng.choice(pools["org_adjectives"]),
                    rng.choice(pools["org_fields"]),
                    rng.choice(pools["org_types"]),
                )
            )
        elif form < 0.55:
            name = f"{rng.choice(pools['org_types'])} for {rng.choice(pools['org_causes'])}"
        elif form < 0.70:
            name = f"{rng.choice(pools['org_fields'])} {rng.choice(pools['org_types'])}"
        elif form < 0.75:
            name = (
                f"{rng.choice(pools['org_adjectives'])} {rng.choice(pools['org_fields'])} "
                f"{rng.choice(pools['org_fields'])} {rng.choice(pools['org_types'])}"
            )
        elif form < 0.92:
            name = rng.choice(pools["org_latin"]).format(
                word=rng.choice(pools["latin_words"]),
                plural=rng.choice(pools["latin_plurals"]),
                field_es=rng.choice(pools["latin_fields_es"]),
                field_pt=rng.choice(pools["latin_fields_pt"]),
            )
        else:
            kind = "company"
            name = (
                f"{rng.choice(pools['company_stems'])}{rng.choice(pools['company_stems']).lower()} "
                f"{rng.choice(pools['company_tails'])}"
            )
        if name in names:
            continue
        names.add(name)
        acronym = None
        if kind == "organisation" and rng.random() < 0.35:
            candidate = _acronym(name)
            if len(candidate) >= 3 and candidate not in acronyms:
                acronym = candidate
                acronyms.add(candidate)
        country = rng.choice(pools["countries"]) if rng.random() < 0.30 else None
        parent = None
        if kind == "organisation" and acronym and rng.random() < 0.15:
            parent = rng.choice(pools["university_forms"]).format(city=rng.choice(pools["cities"]))
        orgs.append(Org(name=name, acronym=acronym, country=country, parent=parent, kind=kind))
    return orgs


def _people(rng: random.Random, pools: dict[str, Any], orgs: Sequence[Org], n: int) -> list[Person]:
    names = [
        f"{f} {last}" for f, last in itertools.product(pools["first_names"], pools["last_names"])
    ]
    rng.shuffle(names)
    if n > len(names):
        raise ValueError(f"pools.yaml has only {len(names)} distinct person names, {n} asked")
    return [
        Person(nm, rng.choice(pools["roles"]), orgs[i % len(orgs)])
        for i, nm in enumerate(names[:n])
    ]


class _Popularity:
    """Draw distinct organisations with Zipf-like weights (the k-th weighs 1/k**s)."""

    def __init__(self, n: int, s: float = ORG_ZIPF) -> None:
        self.cum = list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))

    def sample(self, rng: random.Random, k: int) -> list[int]:
        n = len(self.cum)
        if k > n:
            raise ValueError(f"cannot draw {k} distinct organisations from a pool of {n}")
        total = self.cum[-1]
        if k > n // 4:
            # Rejection would stall near the end: weighted sampling without replacement
            # (Efraimidis-Spirakis keys u**(1/w)), ordered by key.
            weights = [self.cum[0]] + [b - a for a, b in itertools.pairwise(self.cum)]
            keys = sorted(
                ((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True
            )
            return [i for _, i in keys[:k]]
        chosen: dict[int, None] = {}
        while len(chosen) < k:
            chosen.setdefault(bisect.bisect_left(self.cum, rng.random() * total), None)
        return list(chosen)


# ---------------------------------------------------------------------------------- writers
def _date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _front_matter(title: str, author: str, date: str, slug: str, categories: Sequence[str]) -> str:
    y, m, d = date.split("-")
    lines = [
        "---",
        f"title: {_yaml_str(title)}",
        f"author: {_yaml_str(author)}",
        f"date: {date}T{(int(d) * 7) % 24:02d}:08:06+00:00",
        f"url: /{y}/{m}/{d}/{slug}/",
        "categories:",
        *(f"  - {c}" for c in categories),
        "",
        "---",
    ]
    return "\n".join(lines) + "\n"


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)[:60]


class _Writer:
    def __init__(self, rng: random.Random, pools: dict[str, Any], size: int) -> None:
        self.rng = rng
        self.pools = pools
        n_orgs = max(4 * MAX_SIGNERS, size // 2)
        self.orgs = _org_pool(rng, pools, n_orgs)
        self.popularity = _Popularity(len(self.orgs))
        people = _people(rng, pools, self.orgs, min(n_orgs, 3000) + 100)
        # CEOs and ministers are kept apart from the people who speak for organisations.
        self.people, self.officials = people[:-100], people[-100:]
        stems = list(pools["company_stems"])
        rng.shuffle(stems)
        self.companies = [f"{s}{rng.choice(['', 'Chat', 'App', 'Book', 'Gram'])}" for s in stems]
        self.ceos = {c: self.officials[i].name for i, c in enumerate(self.companies)}
        self.ministers = self.officials[len(self.companies) :]
        self.letters: list[DocRecord] = []

    def _fill(self, text: str, company: str) -> str:
        return text.replace("{company}", company)

    def _stance_paragraphs(
        self, pool: str, company: str, n: int, rec: DocRecord, holder: str
    ) -> list[str]:
        rng = self.rng
        chosen = rng.sample(self.pools[pool], min(n, len(self.pools[pool])))
        paras = []
        for s in chosen:
            filler = rng.sample(self.pools["filler_sentences"], 2)
            sentence = self._fill(s["text"], company)
            for st in [s, *s.get("also", ())]:
                rec.stances.append(
                    {"holder": holder, "topic": st["topic"], "position": st["position"]}
                )
            paras.append(
                " ".join([self._fill(filler[0], company), sentence, self._fill(filler[1], company)])
            )
        return paras

    # -- open letters from civil society
    def open_letter(self, idx: int) -> tuple[str, DocRecord]:
        rng = self.rng
        company = rng.choice(self.companies)
        ceo = self.ceos[company]
        n = power_law_count(rng)
        signers = [self.orgs[i] for i in self.popularity.sample(rng, n)]
        publisher = signers[0].name
        date = _date(rng)
        title = f"Open Letter: {company}'s End-to-End Encryption Plans ({idx})"
        heading = f"OPEN LETTER: {company.upper()}'S END-TO-END SECURITY PLANS"
        rec = DocRecord(
            file="",
            kind="open_letter",
            title=title,
            date=date,
            publisher=publisher,
            addressed_to=[ceo],
            signatory_count=n,
            signatories=[o.as_written() for o in signers],
        )
        italic = rng.random() < 0.5
        body = [
            f"Dear Mr. {ceo.split()[-1]},",
            heading,
            f"The {n} organizations below write today about {company}'s plans for its messaging "
            "services.",
            *self._stance_paragraphs(
                "stance_sentences", company, rng.randint(2, 4), rec, "@letter"
            ),
            "Sincerely,",
        ]
        if italic:
            body = [f"_{p}_" for p in body]
        text = _front_matter(title, publisher, date, _slug(title), ["Media releases", "News"])
        text += "\n\n".join(body) + "\n\n" + "\n".join(rec.signatories) + "\n"
        self.letters.append(rec)
        return text, rec

    # -- letters from governments, signed by ministers
    def government_letter(self, idx: int) -> tuple[str, DocRecord]:
        rng = self.rng
        company = rng.choice(self.companies)
        ceo = self.ceos[company]
        govs = rng.sample(self.pools["governments"], rng.randint(1, 4))
        people = rng.sample(self.ministers, len(govs))
        lines = [
            f"{p.name}, {rng.choice(self.pools['government_roles'])}, {g}"
            for p, g in zip(people, govs, strict=True)
        ]
        date = _date(rng)
        title = f"Open letter to {company} from the governments of {', '.join(govs)} ({idx})"
        rec = DocRecord(
            file="",
            kind="government_letter",
            title=title,
            date=date,
            publisher=f"Government of {govs[0]}",
            addressed_to=[ceo],
            signatory_count=len(lines),
            signatories=lines,
        )
        body = [
            f"Dear Mr. {ceo.split()[-1]},",
            f'OPEN LETTER: {company.upper()} – "PRIVACY-FIRST" MESSAGING',
            f"We are writing to you about {company}'s announced plans for its messaging services.",
            *self._stance_paragraphs(
                "government_sentences", company, rng.randint(2, 3), rec, "@letter"
            ),
            "Sincerely,",
        ]
        text = _front_matter(title, rec.publisher or "", date, _slug(title), ["Statements"])
        text += "\n\n".join(body) + "\n\n" + "\n".join(lines) + "\n"
        return text, rec

    def _quote(self, person: Person, rec: DocRecord, company: str, said_first: bool) -> str:
        rng = self.rng
        s = rng.choice(self.pools["stance_sentences"])
        quote = self._fill(s["text"], company).rstrip(".")
        rec.quotes.append({"speaker": person.name, "role": person.role, "org": person.org.name})
        rec.stances.append({"holder": person.name, "topic": s["topic"], "position": s["position"]})
        who = f"{person.name}, {person.role} at {person.org.name}"
        if said_first:
            return f"“{quote},” said {who}."
        return f"“{quote},” {who}, said."

    # -- news articles: scraped text with site furniture around the story
    def news_article(self, idx: int) -> tuple[str, DocRecord]:
        rng = self.rng
        site = rng.choice(self.pools["news_sites"])
        letter = rng.choice(self.letters) if self.letters else None
        company = rng.choice(self.companies)
        n = letter.signatory_count if letter and letter.signatory_count else rng.randint(5, 60)
        title = f"‘We support you on end-to-end encryption,’ {n} organisations to {company} ({idx})"
        rec = DocRecord(file="", kind="news_article", title=title, date=_date(rng), publisher=site)
        named = [self.orgs[i] for i in self.popularity.sample(rng, rng.randint(2, 6))]
        rec.mentions = [o.name for o in named]
        speakers = rng.sample(self.people, rng.randint(1, 3))
        paras = [
            f"In a show of support, {n} civil society organisations wrote to "
            f"{self.ceos[company]}, encouraging {company} to continue its plans for its "
            "messaging services.",
            f"Signatories include {', '.join(o.name for o in named[:-1])}, and {named[-1].name}.",
            *(self._quote(p, rec, company, i % 2 == 1) for i, p in enumerate(speakers)),
            self._fill(rng.choice(self.pools["filler_sentences"]), company),
        ]
        head = rng.sample(self.pools["news_boilerplate_head"], 2)
        tail = [
            t.replace("{site}", site) for t in rng.sample(self.pools["news_boilerplate_tail"], 3)
        ]
        text = "\n".join(head) + "\n\n" + title + "\n\n\n" + "\n\n".join(paras) + "\n\n"
        text += "\n\n".join(tail) + f"\n\n© 2008-2023 {site}. All rights reserved.\n"
        return text, rec

    # -- press releases of one organisation, quoting its people
    def press_release(self, idx: int) -> tuple[str, DocRecord]:
        rng = self.rng
        person = rng.choice(self.people)
        org = person.org
        company = rng.choice(self.companies)
        date = _date(rng)
        title = f"{org.name} welcomes {company}'s encryption plans ({idx})"
        rec = DocRecord(file="", kind="press_release", title=title, date=date, publisher=org.name)
        paras = [
            f"{org.name} today responded to {company}'s announcement about its messaging services.",
            *self._stance_paragraphs("stance_sentences", company, rng.randint(1, 2), rec, org.name),
            self._quote(person, rec, company, rng.random() < 0.5),
            f"Media contact: press@{_slug(org.name)[:20]}.example.org",
        ]
        text = _front_matter(title, org.name, date, _slug(title), ["Media releases"])
        text += "\n\n".join(paras) + "\n"
        return text, rec


def corpus_dir(size: int, root: Path = CORPUS_ROOT) -> Path:
    return root / str(size)


def _kinds(rng: random.Random, size: int) -> list[str]:
    """Exactly round(share * size) documents of each kind, in a seeded order."""
    counts = [round(share * size) for _, share in MIX]
    counts[0] += size - sum(counts)
    kinds = [k for (k, _), c in zip(MIX, counts, strict=True) for _ in range(c)]
    rng.shuffle(kinds)
    return kinds


def generate(size: int, out: Path | None = None, *, seed: int = DEFAULT_SEED) -> Path:
    """Write `size` documents and manifest.json to `out` (default benchmarks/corpus/<size>).

    Reuses an existing corpus with the same size, seed and generator version.
    """
    out = out if out is not None else corpus_dir(size)
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        try:
            head = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            head = {}
        if (head.get("size"), head.get("seed"), head.get("version")) == (
            size,
            seed,
            GENERATOR_VERSION,
        ):
            return out
    if out.exists():
        shutil.rmtree(out)
    docs_dir = out / "documents"
    docs_dir.mkdir(parents=True)
    rng = random.Random(seed)
    writer = _Writer(rng, load_pools(), size)
    records: list[dict[str, Any]] = []
    for idx, kind in enumerate(_kinds(rng, size)):
        text, rec = getattr(writer, kind)(idx)
        ext = "txt" if kind == "news_article" else "md"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        rec.file = f"{idx:05d}_{digest}.{ext}"
        (docs_dir / rec.file).write_text(text, encoding="utf-8")
        records.append(asdict(rec))
    manifest = {
        "size": size,
        "seed": seed,
        "version": GENERATOR_VERSION,
        "organisations": len(writer.orgs),
        "signatures": sum(len(r["signatories"]) for r in records),
        "documents": records,
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    return out


def load_manifest(corpus: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generator", description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    path = generate(args.size, args.out, seed=args.seed)
    m = load_manifest(path)
    print(
        f"{path}: {m['size']} documents, {m['signatures']} signatures, "
        f"{m['organisations']} organisations"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
