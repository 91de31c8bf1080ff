"""Goals, and the README section of the benchmark results (between the bench markers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
GOAL_SIZE = 10000
MIB_LIMIT = 2048


def _goal(
    goal: str, target: str, measured: Any, met: bool | None, note: str = ""
) -> dict[str, Any]:
    return {"goal": goal, "target": target, "measured": measured, "met": met, "note": note}


def _at(results: dict[str, Any], key: str, size: int) -> Any:
    return (results.get(key) or {}).get(str(size))


def evaluate_goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of the issue with what was measured; met is None when not measured."""
    goals = []
    sizes = results.get("sizes") or []
    largest = max(sizes) if sizes else 0
    scale_note = "" if largest == GOAL_SIZE else f"goal is for {GOAL_SIZE}; largest run {largest}"

    b = _at(results, "build", GOAL_SIZE)
    goals.append(
        _goal(
            "build 10,000 documents end to end",
            "<= 60 s",
            b and b["seconds"],
            None if not b else b["seconds"] <= 60,
            "" if b else "10,000 not built in this run",
        )
    )

    b, bulk = _at(results, "build", largest), _at(results, "bulk_load", largest)
    ratio = None
    write_s = b and b.get("phases_s", {}).get("write")
    if b and bulk and write_s and bulk.get("seconds"):
        # the same data both ways: the named graphs and the merged default graph
        ratio = round(bulk["seconds"] / write_s, 3)
    goals.append(
        _goal(
            "write phase vs the store's raw bulk-load rate",
            ">= 50 %",
            ratio,
            None if ratio is None else ratio >= 0.5,
            scale_note,
        )
    )

    r = results.get("reingest")
    changed = r.get("changed_s") if r else None
    goals.append(
        _goal(
            "re-ingest one changed document into the 10,000-document store",
            "<= 1 s",
            changed,
            None if changed is None else changed <= 1.0,
            scale_note,
        )
    )

    q = results.get("queries") or {}
    qs = q.get("queries") or {}
    timed = [v["oxigraph_ms"] for v in qs.values() if "oxigraph_ms" in v]
    stopped = [k for k, v in qs.items() if "timeout_s" in v]
    worst = None if not qs else (f"> {q['timeout_s'] * 1000:,.0f}" if stopped else max(timed))
    note = f"{len(qs)} queries, worst shown"
    if stopped:
        note += f"; {len(stopped)} stopped after {q['timeout_s']} s: {', '.join(stopped)}"
    goals.append(
        _goal(
            "every query, median, on the 10,000-document store",
            "<= 100 ms",
            worst,
            None if not qs else (not stopped and max(timed, default=0) <= 100),
            scale_note + ("; " if scale_note else "") + note,
        )
    )
    c = results.get("query_comparison") or {}
    cq = c.get("queries") or {}
    bounds = [ratio_bounds(v) for v in cq.values()]
    known = [x for lo, hi in bounds if (x := lo if lo is not None else hi) is not None]
    passed = sum(1 for lo, _ in bounds if lo is not None and lo >= 10)
    goals.append(
        _goal(
            "every query vs rdflib in-memory",
            ">= 10x faster",
            min(known, default=None),
            None if not cq else passed == len(cq),
            "rdflib comparison not run"
            if not cq
            else f"{passed} of {len(cq)} queries at least 10x faster on {c['size']:,} documents; "
            "slowest ratio shown",
        )
    )

    for nodes, limit in ((5000, 1.5), (20000, 5.0)):
        v = _at(results, "viz", nodes)
        drawn = v.get("drawn_s") if v else None
        goals.append(
            _goal(
                f"{nodes:,}-node view drawn and still in headless Chromium",
                f"<= {limit} s",
                drawn,
                None if drawn is None else drawn <= limit,
                "" if v else "not measured",
            )
        )

    peaks = _peaks(results)
    worst_mib = max(peaks.values(), default=None)
    goals.append(
        _goal(
            "peak memory of every step",
            "<= 2 GiB",
            worst_mib,
            None if worst_mib is None else worst_mib <= MIB_LIMIT,
            max(peaks, key=lambda k: peaks[k]) if peaks else "",
        )
    )
    return goals


def _peaks(results: dict[str, Any]) -> dict[str, float]:
    peaks: dict[str, float] = {}
    for key in ("build", "bulk_load", "viz"):
        for size, v in (results.get(key) or {}).items():
            if v and "peak_rss_mib" in v:
                # a build's worker processes hold memory at the same time as the main one
                workers = v.get("workers", 1) if v.get("worker_peak_rss_mib") else 0
                peaks[f"{key} {size}"] = v["peak_rss_mib"] + workers * v.get(
                    "worker_peak_rss_mib", 0
                )
    for key in ("reingest", "query_comparison"):
        v = results.get(key)
        if v and "peak_rss_mib" in v:
            peaks[key] = v["peak_rss_mib"]
    for name, v in ((results.get("queries") or {}).get("queries") or {}).items():
        if "peak_rss_mib" in v:
            peaks[f"query {name}"] = v["peak_rss_mib"]
    return peaks


def ratio_bounds(w: dict[str, Any]) -> tuple[float | None, float | None]:
    """(lower, upper) bound of rdflib time / Oxigraph time for one query; a side that was
    stopped at its timeout only bounds the ratio."""
    if "speedup" in w:
        return w["speedup"], w["speedup"]
    if "speedup_at_least" in w:
        return w["speedup_at_least"], None
    if w.get("oxigraph_timeout_s") and w.get("rdflib_ms"):
        return None, round(w["rdflib_ms"] / (w["oxigraph_timeout_s"] * 1000), 3)
    return None, None


def ratio_text(w: dict[str, Any]) -> str:
    lo, hi = ratio_bounds(w)
    if lo is not None and lo == hi:
        return _fmt(lo)
    if lo is not None:
        return f"> {_fmt(lo)}"
    if hi is not None:
        return f"< {_fmt(hi)}"
    return "— (both stopped)" if w.get("oxigraph_timeout_s") else "—"


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_readme(results: dict[str, Any], json_path: Path | str) -> str:
    m = results["machine"]
    lines = [
        "## Benchmarks",
        "",
        f"Last run {results['date']} on {m['cores']} cores, {m['memory_gib']} GiB "
        f"(load average at start {m['load_average_at_start']}), Python {m['python']}, "
        f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}; seed {results['seed']}. "
        f"Full figures: `{json_path}`. Re-run with `make bench` "
        "(or `python -m benchmarks.run --sizes 100,1000` for a quick run).",
        "",
        "| documents | triples | build s | docs/s | triples/s | read+extract | resolve "
        "| build+validate | write | bulk_load s | worker s: read/extract/build/validate "
        "| peak MiB: main + workers |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in results["sizes"]:
        b = _at(results, "build", size)
        bulk = _at(results, "bulk_load", size) or {}
        if not b:
            lines.append(f"| {size:,} | failed | | | | | | | | | | | |")
            continue
        ph, wk = b.get("phases_s", {}), b.get("work_s", {})
        work = "/".join(_fmt(wk.get(k)) for k in ("read", "extract", "build", "validate"))
        peak = _fmt(b.get("peak_rss_mib"))
        if b.get("workers", 1) > 1:
            peak += f" + {b['workers']} × {_fmt(b.get('worker_peak_rss_mib'))}"
        lines.append(
            f"| {size:,} | {_fmt(b['triples'])} | {_fmt(b['seconds'])} | {_fmt(b['docs_per_s'])} "
            f"| {_fmt(b['triples_per_s'])} | {_fmt(ph.get('read_extract'))} "
            f"| {_fmt(ph.get('resolve'))} | {_fmt(ph.get('build'))} | {_fmt(ph.get('write'))} "
            f"| {_fmt(bulk.get('seconds'))} | {work} | {peak} |"
        )
    q = results.get("queries")
    if q:
        c = results.get("query_comparison") or {"queries": {}}
        cmp_size = c.get("size")
        same = cmp_size == q["size"]
        lines += [
            "",
            f"Queries (median of up to {q['runs']} runs, each stopped after {q['timeout_s']} s) "
            f"on the {q['size']:,}-document store"
            + (
                f", and on {cmp_size:,} documents against an rdflib in-memory Dataset "
                f"(loaded in {c['rdflib_load_s']} s)"
                if cmp_size
                else ""
            )
            + ":",
            "",
            f"| query | rows | Oxigraph ms at {q['size']:,} "
            + ("" if same or not cmp_size else f"| Oxigraph ms at {cmp_size:,} ")
            + (f"| rdflib ms at {cmp_size:,} | ratio " if cmp_size else "")
            + "|",
            "|---|---|---|"
            + ("" if same or not cmp_size else "---|")
            + ("---|---|" if cmp_size else ""),
        ]
        for name, v in sorted(q["queries"].items()):
            ms = (
                f"error: {v['error'][:60]}"
                if "error" in v
                else (
                    f"> {v['timeout_s'] * 1000:,.0f}"
                    if "timeout_s" in v
                    else _fmt(v["oxigraph_ms"])
                )
            )
            row = f"| {name} | {_fmt(v.get('rows'))} | {ms} |"
            if cmp_size:
                w = c["queries"].get(name, {})
                rdf = (
                    f"> {w['rdflib_timeout_s'] * 1000:,.0f}"
                    if "rdflib_timeout_s" in w
                    else _fmt(w.get("rdflib_ms"))
                )
                ratio = ratio_text(w)
                if not same:
                    row += f" {_fmt(w.get('oxigraph_ms'))} |"
                row += f" {rdf} | {ratio} |"
            lines.append(row)
    if results.get("viz"):
        lines += [
            "",
            "| viz nodes | write page s (layout included) | drawn and still s, from navigation "
            "| browser start s (apart) | HTML MB | peak MiB |",
            "|---|---|---|---|---|---|",
        ]
        for nodes, v in sorted(results["viz"].items(), key=lambda kv: int(kv[0])):
            lines.append(
                f"| {int(nodes):,} | {_fmt(v.get('write_s'))} | {_fmt(v.get('drawn_s'))} "
                f"| {_fmt(v.get('browser_start_s'))} | {_fmt(v.get('html_mb'))} "
                f"| {_fmt(v.get('peak_rss_mib'))} |"
            )
    lines += ["", "| goal | target | measured | met | note |", "|---|---|---|---|---|"]
    for g in results["goals"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[g["met"]]
        lines.append(
            f"| {g['goal']} | {g['target']} | {_fmt(g['measured'])} | {met} | {g['note']} |"
        )
    p = results.get("profile")
    if p and p.get("by_own_time"):
        lines += [
            "",
            f"Where the build of {p['size']:,} documents spends its time (cProfile, "
            f"{p['seconds_under_profiler']} s under the profiler; policygraph's functions by "
            "cumulative time, then the top of all functions by own time):",
            "",
            "| function | calls | own s | cumulative s |",
            "|---|---|---|---|",
        ]
        for row in p["policygraph_by_cumulative_time"][:10] + p["by_own_time"][:8]:
            lines.append(
                f"| `{row['function']}` | {row['calls']:,} | {row['tottime_s']} "
                f"| {row['cumtime_s']} |"
            )
    for note in results.get("notes", []):
        lines += ["", f"Note: {note}"]
    for err in results.get("errors", []):
        lines += ["", f"Error: {err.splitlines()[0]}"]
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, section: str) -> None:
    """Rewrite the text between the bench markers (adding them at the end if missing)."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    block = f"{START}\n{section}{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    readme.write_text(text, encoding="utf-8")
