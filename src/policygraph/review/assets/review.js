// The review page: a document's text with every fact on its span, and the reviewer's
// actions on them. Text is only ever set with textContent / text nodes, never as markup.
// Offsets from the server count code points (Python's str); JS strings count UTF-16 units,
// so the text is handled as an array of code points.
"use strict";
(() => {
  const state = { docs: [], actors: [], topics: [], doc: null, cps: [], facts: [], shown: [],
                  current: -1, form: null, ready: false };
  const $ = (id) => document.getElementById(id);
  const token = document.querySelector("meta[name=review-token]").content;
  const KINDS = ["stance", "signatory", "actor", "person", "quote"];
  const STATUSES = ["auto", "accepted", "corrected", "added", "rejected"];

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) e.append(c);  // strings become text nodes
    return e;
  }

  function say(message, error) {
    const s = $("status");
    s.textContent = message;
    s.className = error ? "error" : "";
  }

  async function getJSON(url) {
    const r = await fetch(url, { credentials: "same-origin" });
    const d = await r.json();
    if (!r.ok) throw new Error(d.error || String(r.status));
    return d;
  }

  async function post(path, body) {
    body.reviewer = $("reviewer").value;
    const r = await fetch(path, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-Review-Token": token },
    });
    const d = await r.json();
    if (!r.ok) throw new Error(d.error || String(r.status));
    return d;
  }

  function options(select, values, keep) {
    const before = select.value;
    while (select.options.length > (keep ? 1 : 0)) select.remove(select.options.length - 1);
    for (const [value, label] of values) select.append(el("option", { value }, label));
    if ([...select.options].some((o) => o.value === before)) select.value = before;
  }

  // ------------------------------------------------------------------ loading
  async function loadIndex() {
    const d = await getJSON("/review/api/documents");
    state.docs = d.documents; state.actors = d.actors; state.topics = d.topics;
    options($("document"), d.documents.map((x) => [x.id, x.title ? `${x.path} — ${x.title}` : x.path]));
    const list = $("actor-names");
    list.textContent = "";
    for (const a of d.actors) list.append(el("option", { value: a }));
  }

  async function loadDocument(id, keep) {
    const d = await getJSON("/review/api/document?id=" + encodeURIComponent(id));
    state.doc = d; state.cps = Array.from(d.text); state.facts = d.facts;
    const uniq = (xs) => [...new Set(xs.filter(Boolean))].sort().map((x) => [x, x]);
    options($("f-kind"), KINDS.map((k) => [k, k]), true);
    options($("f-status"), STATUSES.map((k) => [k, k]), true);
    options($("f-topic"), uniq(d.facts.map((f) => f.topic)), true);
    options($("f-rule"), uniq(d.facts.map((f) => f.rule)), true);
    render(keep ? state.current : -1);
  }

  // ------------------------------------------------------------------ drawing
  function filtered() {
    const v = (id) => $(id).value;
    return state.facts.filter((f) =>
      (!v("f-kind") || f.kind === v("f-kind")) && (!v("f-topic") || f.topic === v("f-topic")) &&
      (!v("f-rule") || f.rule === v("f-rule")) && (!v("f-status") || f.status === v("f-status")));
  }

  function spanText(f) { return state.cps.slice(f.start, f.end).join(""); }

  function render(current) {
    state.shown = filtered();
    drawText();
    drawList();
    choose(Math.min(current, state.shown.length - 1));
  }

  function drawText() {
    const t = $("text");
    t.textContent = "";
    const shown = state.shown;
    const cuts = new Set([0, state.cps.length]);
    for (const f of shown) { cuts.add(f.start); cuts.add(f.end); }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const text = state.cps.slice(a, b).join("");
      const covering = shown.filter((f) => f.start <= a && b <= f.end);
      if (!covering.length) { t.append(text); continue; }
      const inner = covering.reduce((x, y) => (y.end - y.start < x.end - x.start ? y : x));
      const s = el("span", { className: `hl k-${inner.kind}` }, text);
      if (inner.status === "rejected") s.classList.add("st-rejected");
      s.dataset.facts = covering.map((f) => shown.indexOf(f)).join(" ");
      s.dataset.fact = String(shown.indexOf(inner));
      s.addEventListener("click", () => choose(Number(s.dataset.fact)));
      t.append(s);
    }
  }

  function describe(f) {
    const parts = [f.kind, f.who.join(" = ") || "?"];
    if (f.topic) parts.push(`${f.position || ""} ${f.topic}`.trim());
    return parts.join(" · ");
  }

  function drawList() {
    const ol = $("facts");
    ol.textContent = "";
    state.shown.forEach((f, i) => {
      const buttons = [["accept", "a"], ["reject", "r"], ["correct", "c"]].map(([name, key]) => {
        const b = el("button", { type: "button", className: `do-${name}`, title: `${name} (${key})` }, name);
        b.addEventListener("click", () => { choose(i); act(name); });
        return b;
      });
      const li = el("li", { className: `status-${f.status}` },
        el("div", { className: "what" }, describe(f)),
        el("q", {}, spanText(f)),
        el("div", { className: "meta" }, `${f.status} · rule ${f.rule || "?"} · ${f.start}–${f.end}`),
        el("div", {}, ...buttons));
      li.dataset.index = String(i);
      li.addEventListener("click", () => choose(i));
      ol.append(li);
    });
  }

  function choose(i) {
    state.current = i;
    document.querySelectorAll(".current").forEach((e) => e.classList.remove("current"));
    if (i < 0) return;
    const li = $("facts").children[i];
    if (li) { li.classList.add("current"); li.scrollIntoView({ block: "nearest" }); }
    document.querySelectorAll("#text .hl").forEach((s) => {
      if (s.dataset.facts.split(" ").includes(String(i))) s.classList.add("current");
    });
  }

  // ------------------------------------------------------------------ actions
  function selectFor(f) {
    return f.kind === "stance" ? { topic: f.topic, holder: f.who[0] } : {};
  }

  async function send(path, body) {
    try {
      const d = await post(path, body);
      await loadIndex();
      await loadDocument(state.doc.id, true);
      closeForm();
      say(d.review.join("; "));  // last: the page shows the decision when this is said
      return true;
    } catch (err) {
      say(String(err.message || err), true);
      return false;
    }
  }

  function decide(action, f, changes, kind) {
    return send("/review/api/decide", {
      action, kind: kind || f.kind, document: state.doc.id, start: f.start, end: f.end,
      select: action === "add" ? {} : selectFor(f),
      changes: changes || {},
    });
  }

  function act(name) {
    const f = state.shown[state.current];
    if (name === "add") return openAdd();
    if (name === "merge") return openMerge(f);
    if (name === "split") return openSplit(f);
    if (!f) return say("choose a fact first (j / k)", true);
    if (name === "correct") return openCorrect(f);
    return decide(name, f);
  }

  // ------------------------------------------------------------------ forms
  function field(label, input) { return el("label", {}, label + " ", input); }
  function actorInput(name, value) { const i = el("input", { name, value: value || "" }); i.setAttribute("list", "actor-names"); return i; }
  function topicSelect(value) {
    const s = el("select", { name: "topic" });
    for (const t of state.topics) s.append(el("option", { value: t.id }, t.label));
    if (value) s.value = value;
    return s;
  }
  function positionSelect(value) {
    const s = el("select", { name: "position" });
    for (const p of ["support", "oppose"]) s.append(el("option", { value: p }, p));
    if (value) s.value = value;
    return s;
  }

  function openForm(title, fields, submit) {
    $("form-title").textContent = title;
    const box = $("form-fields");
    box.textContent = "";
    for (const f of fields) box.append(f);
    state.form = submit;
    $("form").hidden = false;
    const first = box.querySelector("input, select");
    if (first) first.focus();
  }

  function closeForm() {
    // the keys work on the page again, not in the form's (now hidden) fields
    if ($("form").contains(document.activeElement)) document.activeElement.blur();
    $("form").hidden = true;
    state.form = null;
  }

  function values() {
    const out = {};
    for (const e of $("form-fields").querySelectorAll("input, select")) out[e.name] = e.value.trim();
    return out;
  }

  function stanceFields(f) {
    return [field("holder", actorInput("holder", f && f.who[0])), field("topic", topicSelect(f && f.topic)),
            field("position", positionSelect(f && f.position))];
  }

  function openCorrect(f) {
    const fields = f.kind === "stance" ? stanceFields(f) : [field("actor", actorInput("actor", f.who[0]))];
    openForm(`correct: ${describe(f)}`, fields, () => {
      const v = values(), changes = {};
      if (f.kind === "stance") {
        if (v.holder && v.holder !== f.who[0]) changes.holder = v.holder;
        if (v.topic !== f.topic) changes.topic = v.topic;
        if (v.position !== f.position) changes.position = v.position;
      } else if (v.actor && v.actor !== f.who[0]) {
        changes[f.kind === "quote" ? "speaker" : "actor"] = v.actor;
      }
      if (!Object.keys(changes).length) return say("nothing changed", true);
      return decide("correct", f, changes);
    });
  }

  function selectionSpan() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0), t = $("text");
    if (!t.contains(r.startContainer) || !t.contains(r.endContainer)) return null;
    const upTo = (node, offset) => {
      const pre = document.createRange();
      pre.selectNodeContents(t);
      pre.setEnd(node, offset);
      return Array.from(pre.toString()).length;  // code points, as the server counts
    };
    const start = upTo(r.startContainer, r.startOffset), end = upTo(r.endContainer, r.endOffset);
    return end > start ? { start, end } : null;
  }

  function openAdd() {
    const span = selectionSpan();
    if (!span) return say("select the text of the missed fact first", true);
    const kind = el("select", { name: "kind" });
    for (const k of KINDS) kind.append(el("option", { value: k }, k));
    const extra = el("div");
    const refill = () => {
      extra.textContent = "";
      for (const f of kind.value === "stance" ? stanceFields(null) : [field("actor", actorInput("actor"))]) extra.append(f);
    };
    kind.addEventListener("change", refill);
    refill();
    const quoted = state.cps.slice(span.start, span.end).join("");
    openForm(`add: “${quoted}”`, [field("kind", kind), extra], () => {
      const v = values(), changes = {};
      if (v.kind === "stance") Object.assign(changes, { holder: v.holder, topic: v.topic, position: v.position });
      else changes[v.kind === "quote" ? "speaker" : "actor"] = v.actor;
      return decide("add", span, changes, v.kind);
    });
  }

  function openMerge(f) {
    const kept = actorInput("kept", f && f.who[0]), merged = actorInput("merged");
    openForm("merge two actors: the second becomes the first", [field("keep", kept), field("merge into it", merged)],
      () => { const v = values(); return send("/review/api/merge", { kept: v.kept, merged: [v.merged] }); });
  }

  function openSplit(f) {
    const actor = actorInput("actor", f && f.who[0]);
    const name = el("input", { name: "name", value: f ? spanText(f) : "" });
    openForm("split: the mentions and signatures written so become their own actor",
      [field("actor", actor), field("written", name)],
      () => { const v = values(); return send("/review/api/split", { actor: v.actor, name: v.name }); });
  }

  // ------------------------------------------------------------------ wiring
  function typing(e) { return ["INPUT", "SELECT", "TEXTAREA"].includes(e.target.tagName); }

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { closeForm(); return; }
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const moves = { j: 1, k: -1 };
    if (e.key in moves) {
      e.preventDefault();
      const n = state.shown.length;
      if (n) choose(((state.current < 0 ? -1 : state.current) + moves[e.key] + n) % n);
      return;
    }
    const keys = { a: "accept", r: "reject", c: "correct", n: "add", m: "merge", s: "split" };
    if (e.key in keys) { e.preventDefault(); act(keys[e.key]); }
  });

  $("form").addEventListener("submit", (e) => { e.preventDefault(); if (state.form) state.form(); });
  $("form-cancel").addEventListener("click", closeForm);
  $("document").addEventListener("change", () => loadDocument($("document").value, false));
  for (const id of ["f-kind", "f-topic", "f-rule", "f-status"]) $(id).addEventListener("change", () => render(-1));

  async function start() {
    $("reviewer").value = document.querySelector("meta[name=review-reviewer]").content;
    try {
      await loadIndex();
      const wanted = decodeURIComponent(location.hash.slice(1));
      const doc = state.docs.find((d) => d.id === wanted || d.path === wanted) || state.docs[0];
      if (doc) { $("document").value = doc.id; await loadDocument(doc.id, false); }
      else say("the store holds no documents");
    } catch (err) {
      say(String(err.message || err), true);
    }
    state.ready = true;
  }

  window.review = { state, loadDocument, choose };
  start();
})();
