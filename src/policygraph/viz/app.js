// policygraph network page: draws the data block with vis-network and wires the legend,
// filters, search and details panel. Text from documents only ever goes through
// textContent, never innerHTML; filters hide items through DataSet updates and never
// remove them, so unticking and ticking again restores the same graph.
(function () {
  "use strict";
  // Milestones in ms since navigation, for the benchmark's breakdown of "drawn and still".
  const timings = { script: performance.now() };
  const data = JSON.parse(document.getElementById("pg-data").textContent);
  timings.parsed = performance.now();
  const KINDS = data.kinds;
  const RELATIONS = data.relations;
  const WIKIDATA = /^http:\/\/www\.wikidata\.org\/entity\/Q[0-9]+$/;
  const WEB = /^https?:\/\//;

  const nodeInfo = new Map();
  const edgeInfo = new Map();
  const hiddenNode = new Map();
  const hiddenEdge = new Map();
  const maxMetric = {};

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  for (const m of data.metrics) {
    maxMetric[m] = Math.max(1e-12, ...data.nodes.map((n) => n[m] || 0));
  }
  function sizeOf(n, metric) {
    const v = Math.max(0, n[metric] || 0) / maxMetric[metric];
    return 8 + 24 * Math.sqrt(v);
  }
  function kindStyle(kind) {
    return KINDS[kind] || KINDS.organisation;
  }
  function relStyle(rel) {
    return RELATIONS[rel] || { color: "#999", label: rel };
  }

  const visNodes = data.nodes.map((n) => {
    nodeInfo.set(n.id, n);
    hiddenNode.set(n.id, false);
    const k = kindStyle(n.kind);
    return {
      // No vis-network label: labels.js draws them, placed (see there).
      id: n.id, x: n.x, y: n.y, shape: k.shape,
      color: { background: k.color, border: k.border, highlight: { background: k.color, border: "#111" },
        hover: { background: k.color, border: "#111" } },
      size: sizeOf(n, data.sizeBy), hidden: false,
    };
  });
  const visEdges = data.edges.map((e) => {
    edgeInfo.set(e.id, e);
    const r = relStyle(e.relation);
    const w = Math.abs(e.weight || 1);
    // Weak ties start hidden (see the tie-strength filter): set here, not by an update
    // after the fact, which costs seconds on a hundred thousand edges.
    const hidden = w < data.minWeight;
    hiddenEdge.set(e.id, hidden);
    return {
      id: e.id, from: e.from, to: e.to,
      color: { color: r.color, highlight: r.color, hover: r.color, opacity: 0.75 },
      width: Math.min(1 + Math.log2(w) * 1.5, 8), dashes: !!r.dashes,
      arrows: data.directed ? { to: { enabled: true, scaleFactor: 0.5 } } : undefined,
      hidden: hidden,
    };
  });
  timings.mapped = performance.now();
  const nodes = new vis.DataSet(visNodes);
  const edges = new vis.DataSet(visEdges);
  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  timings.network = performance.now();
  const labels = window.pgLabels(network, data, (id) => hiddenNode.get(id));
  labels.rank(data.sizeBy);
  const groups = window.pgGroups(data, nodes, edges, network);
  labels.captions = () => (data.captions || []).concat(groups.captions());
  network.on("afterDrawing", (ctx) => labels.draw(ctx));
  window.network = network; // the benchmark waits on it
  window.policygraph = {
    data: data, nodes: nodes, edges: edges, network: network, ready: false, timings: timings,
    labels: labels, groups: groups,
  };
  function drawnAndStill() {
    timings.ready = performance.now();
    window.policygraph.ready = true;
    document.body.dataset.drawn = "true";
  }
  // vis-network frames the graph as it creates it; zoom out a little more, leaving room for
  // labels that stick out of the nodes. Physics is off, so the first frame drawn after this
  // shows every node where it stays: the page is ready then. Done before that first frame
  // (not after it, then drawing again) because a frame of thousands of nodes costs ~0.1 s.
  if (container.clientWidth > 0 && container.clientHeight > 0) {
    network.moveTo({ scale: network.getScale() * 0.9, animation: false });
    labels.initialScale = network.getScale();
    network.once("afterDrawing", drawnAndStill);
  } else {
    // No size yet (e.g. opened in a hidden frame): frame once the canvas has one.
    network.once("afterDrawing", function () {
      network.fit({ animation: false });
      network.moveTo({ scale: network.getScale() * 0.9, animation: false });
      labels.initialScale = network.getScale();
      network.once("afterDrawing", drawnAndStill);
      network.redraw();
    });
  }

  // ------------------------------------------------------------------ stats and legend
  function updateStats() {
    let vn = 0;
    let ve = 0;
    hiddenNode.forEach((h) => { if (!h) vn++; });
    hiddenEdge.forEach((h) => { if (!h) ve++; });
    const f = groups.folded.size;
    document.getElementById("stats").textContent =
      `${vn} of ${data.nodes.length} nodes, ${ve} of ${data.edges.length} edges shown` +
      (f ? `; ${f} ${f > 1 ? "communities" : "community"} folded into one node each` : "");
  }

  const state = {
    kinds: new Set(Object.keys(data.kindCounts)),
    relations: new Set(Object.keys(data.relationCounts)),
    topic: "",
    hideLonely: false,
    minWeight: data.minWeight,
  };

  function legendRow(key, swatch, label, count, onToggle) {
    const row = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.dataset.key = key; // for the link's state (share.js)
    box.checked = true;
    box.addEventListener("change", () => onToggle(box.checked));
    row.append(box, swatch, el("span", label), el("span", count, "count"));
    return row;
  }
  const kindBox = document.getElementById("legend-kinds");
  for (const kind of Object.keys(data.kindCounts)) {
    const k = kindStyle(kind);
    const sw = el("span", null, "sw " + k.shape);
    sw.style.background = k.color;
    kindBox.append(legendRow("kind:" + kind, sw, k.label, data.kindCounts[kind], (on) => {
      if (on) state.kinds.add(kind); else state.kinds.delete(kind);
      applyFilters();
    }));
  }
  const relBox = document.getElementById("legend-relations");
  for (const rel of Object.keys(data.relationCounts)) {
    const r = relStyle(rel);
    const sw = el("span", null, "line" + (r.dashes ? " dashed" : ""));
    sw.style.borderTopColor = r.color;
    relBox.append(legendRow("rel:" + rel, sw, r.label, data.relationCounts[rel], (on) => {
      if (on) state.relations.add(rel); else state.relations.delete(rel);
      applyFilters();
    }));
  }
  const topicSelect = document.getElementById("topic");
  if (data.topics.length === 0) {
    document.getElementById("topic-filter").hidden = true;
  }
  for (const t of data.topics) {
    const o = el("option", t.label);
    o.value = t.notation;
    topicSelect.append(o);
  }
  // Made for one topic (--topic): the menu must not offer "all topics".
  const only = (data.filters || []).find((f) => f[0] === "--topic");
  if (only) topicSelect.options[0].textContent = only[2] + " (--topic)";
  topicSelect.addEventListener("change", () => { state.topic = topicSelect.value; applyFilters(); });
  const weightBox = document.getElementById("min-weight");
  if (data.maxWeight > 1) {
    weightBox.max = String(data.maxWeight);
    weightBox.value = String(data.minWeight);
    const caption = document.getElementById("min-weight-value");
    caption.textContent = String(data.minWeight);
    weightBox.addEventListener("input", () => {
      state.minWeight = Number(weightBox.value);
      caption.textContent = weightBox.value;
      applyFilters();
    });
  } else {
    document.getElementById("weight-filter").hidden = true;
  }
  const timeline = window.pgTimeline(data, () => applyFilters());
  document.getElementById("hide-lonely").addEventListener("change", (ev) => {
    state.hideLonely = ev.target.checked;
    applyFilters();
  });
  document.getElementById("physics").addEventListener("change", (ev) => {
    network.setOptions({ physics: { enabled: ev.target.checked } });
  });
  // Colour by coalition: the Leiden communities computed in Python, largest first.
  const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#7570b3"];
  function colourOf(n, by) {
    if (by === "community" && n.community >= 0) {
      const c = n.community < PALETTE.length ? PALETTE[n.community] : "#cccccc";
      return { background: c, border: "#333", highlight: { background: c, border: "#111" },
        hover: { background: c, border: "#111" } };
    }
    const k = kindStyle(n.kind);
    return { background: k.color, border: k.border, highlight: { background: k.color, border: "#111" },
      hover: { background: k.color, border: "#111" } };
  }
  const colourSelect = document.getElementById("colour-by");
  colourSelect.addEventListener("change", () => {
    const by = colourSelect.value;
    nodes.update(data.nodes.map((n) => ({ id: n.id, color: colourOf(n, by) })));
    for (const sw of document.querySelectorAll("#legend-kinds .sw")) {
      sw.style.opacity = by === "kind" ? "1" : "0.35";
    }
  });
  const sizeSelect = document.getElementById("size-by");
  for (const m of data.metrics) {
    const o = el("option", m);
    o.value = m;
    o.selected = m === data.sizeBy;
    sizeSelect.append(o);
  }
  sizeSelect.addEventListener("change", () => {
    const m = sizeSelect.value;
    nodes.update(data.nodes.map((n) => ({ id: n.id, size: sizeOf(n, m) })));
    labels.rank(m);
    network.redraw();
  });

  function onTopic(topics) {
    return !state.topic || !topics || topics.split(" ").includes(state.topic);
  }

  function applyFilters() {
    const nodeHide = new Map();
    for (const n of data.nodes) {
      let hide = !state.kinds.has(n.kind);
      if (!hide && n.kind === "topic") hide = !onTopic(n.notation);
      if (!hide && n.kind === "letter" && n.topics) hide = !onTopic(n.topics);
      nodeHide.set(n.id, hide);
    }
    const edgeHide = new Map();
    const seen = new Set();
    const visible = [];
    for (const e of data.edges) {
      const hide = !state.relations.has(e.relation) || !onTopic(e.topic) ||
        Math.abs(e.weight || 1) < state.minWeight || !timeline.contains(e.id) ||
        nodeHide.get(e.from) || nodeHide.get(e.to);
      edgeHide.set(e.id, hide);
      if (!hide) { seen.add(e.from); seen.add(e.to); visible.push(e); }
    }
    // A narrowed date window hides what it leaves with no edge, or the dots would stay.
    if (state.hideLonely || timeline.active()) {
      for (const n of data.nodes) if (!seen.has(n.id)) nodeHide.set(n.id, true);
    }
    // A folded community is drawn as one node: its members and their edges are hidden,
    // and groups.js draws the edges between what is left.
    if (groups.folded.size) {
      for (const n of data.nodes) if (groups.isFolded(n.id)) nodeHide.set(n.id, true);
      for (const e of visible) {
        if (groups.isFolded(e.from) || groups.isFolded(e.to)) edgeHide.set(e.id, true);
      }
    }
    const nu = [];
    const eu = [];
    nodeHide.forEach((h, id) => { if (hiddenNode.get(id) !== h) { hiddenNode.set(id, h); nu.push({ id: id, hidden: h }); } });
    edgeHide.forEach((h, id) => { if (hiddenEdge.get(id) !== h) { hiddenEdge.set(id, h); eu.push({ id: id, hidden: h }); } });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    groups.sync(visible);
    updateStats();
  }

  // ------------------------------------------------------------------ details panel
  const panelTitle = document.getElementById("panel-title");
  const panelBody = document.getElementById("panel-body");

  function link(href, text) {
    const a = el("a", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function addRow(dl, key, value) {
    if (value === undefined || value === null || value === "") return;
    dl.append(el("dt", key));
    const dd = el("dd");
    if (value instanceof Node) dd.append(value); else dd.textContent = String(value);
    dl.append(dd);
  }
  function evidenceBlock(ev) {
    const box = el("div", null, "evidence");
    const dl = el("dl");
    addRow(dl, "actor", ev.actor);
    addRow(dl, "position", ev.position);
    addRow(dl, "topic", ev.topic);
    addRow(dl, "document", ev.doc_title || ev.doc);
    addRow(dl, "file", ev.doc_path);
    if (ev.doc_url && WEB.test(ev.doc_url)) addRow(dl, "address", link(ev.doc_url, ev.doc_url));
    addRow(dl, "date", ev.date);
    addRow(dl, "how", [ev.attribution, ev.method].filter(Boolean).join(", "));
    box.append(dl);
    if (ev.quote) box.append(el("blockquote", ev.quote));
    return box;
  }
  function show(title, build) {
    panelTitle.textContent = title;
    panelBody.replaceChildren();
    build(panelBody);
  }
  function showNode(id) {
    if (groups.isGroupNode(id)) {
      const c = groups.groups[groups.groupOf(id)];
      show(c.name, (body) => groups.describe(c, body));
      return;
    }
    const n = nodeInfo.get(id);
    if (!n) return;
    show(n.label, (body) => {
      const dl = el("dl");
      addRow(dl, "type", kindStyle(n.kind).label);
      if (n.wikidata && WIKIDATA.test(n.wikidata)) {
        addRow(dl, "Wikidata", link(n.wikidata.replace("http://", "https://"), n.wikidata.split("/").pop()));
      }
      // The actor's page (written beside the views, or made by `serve` at the same
      // address): a relative link, nothing remote. The name in the panel's title opens it.
      if (n.profile && /^profiles\/[a-z0-9-]+\.html$/.test(n.profile)) {
        addRow(dl, "profile", link(n.profile, "every letter and stance"));
        panelTitle.replaceChildren(link(n.profile, n.label));
      }
      for (const [k, v] of n.info || []) addRow(dl, k, v);
      for (const m of data.metrics) addRow(dl, m, n[m]);
      if (n.community >= 0) addRow(dl, "coalition", n.community);
      addRow(dl, "IRI", n.iri);
      body.append(dl);
    });
  }
  function showEdge(id) {
    const e = edgeInfo.get(id);
    if (!e) return;
    const from = nodeInfo.get(e.from);
    const to = nodeInfo.get(e.to);
    show(relStyle(e.relation).label, (body) => {
      const dl = el("dl");
      addRow(dl, "from", from.label);
      addRow(dl, "to", to.label);
      addRow(dl, "type", e.relation);
      for (const [k, v] of e.info || []) addRow(dl, k, v);
      body.append(dl);
      const evidence = e.evidence || [];
      body.append(el("h2", `evidence (${evidence.length})`));
      for (const i of evidence) body.append(evidenceBlock(data.evidence[i]));
    });
  }

  let pinned = false;
  network.on("click", (p) => {
    if (p.nodes.length) { pinned = true; showNode(p.nodes[0]); }
    else if (p.edges.length) { pinned = true; showEdge(p.edges[0]); }
    else { pinned = false; }
  });

  // ------------------------------------------------------------------ hover tooltip
  const tooltip = document.getElementById("tooltip");
  function tip(text, pointer) {
    tooltip.textContent = text;
    tooltip.style.left = pointer.DOM.x + 12 + "px";
    tooltip.style.top = pointer.DOM.y + 12 + "px";
    tooltip.style.display = "block";
  }
  network.on("hoverNode", (p) => {
    const n = nodeInfo.get(p.node);
    if (!n) {
      const c = groups.groups[groups.groupOf(p.node)];
      if (c) tip(`${c.name}: ${c.size} members, folded (double-click to open)`, p.pointer);
      return;
    }
    tip(`${n.label} (${kindStyle(n.kind).label})`, p.pointer);
    labels.hovered = p.node;
    if (!pinned) showNode(p.node);
  });
  network.on("hoverEdge", (p) => {
    const e = edgeInfo.get(p.edge);
    if (!e) return; // an edge of a folded community (groups.js)
    tip(`${nodeInfo.get(e.from).label} ${relStyle(e.relation).label} ${nodeInfo.get(e.to).label}`, p.pointer);
    if (!pinned) showEdge(p.edge);
  });
  network.on("blurNode", () => { tooltip.style.display = "none"; labels.hovered = null; network.redraw(); });
  network.on("blurEdge", () => { tooltip.style.display = "none"; });
  network.on("dragStart", () => { tooltip.style.display = "none"; });

  // ------------------------------------------------------------------ search
  const search = document.getElementById("search");
  const results = document.getElementById("search-results");
  // Search names and other names (acronyms, names as written).
  const lowered = data.nodes.map((n) => [(n.label + "\n" + (n.aliases || "")).toLowerCase(), n.id]);
  function focusNode(id) {
    if (hiddenNode.get(id)) return;
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    pinned = true;
    showNode(id);
  }
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    results.replaceChildren();
    if (!q) return [];
    const hits = lowered.filter(([l]) => l.includes(q)).map(([, id]) => id);
    for (const id of hits.slice(0, 30)) {
      const n = nodeInfo.get(id);
      const li = el("li");
      const b = el("button", `${n.label} (${kindStyle(n.kind).label})`);
      b.type = "button";
      b.addEventListener("click", () => focusNode(id));
      li.append(b);
      results.append(li);
    }
    if (hits.length > 30) results.append(el("li", `… ${hits.length - 30} more`, "muted"));
    if (hits.length === 0) results.append(el("li", "no match", "muted"));
    return hits;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      const hits = runSearch();
      if (hits.length) focusNode(hits[0]);
    }
  });

  if (data.nodes.length === 0) {
    const note = el("p", "Nothing to show: this view has no nodes for the chosen topic and dates " +
      "(or the store is empty; run `policygraph build` first).", "muted");
    note.style.cssText = "position:absolute;top:40%;width:100%;text-align:center";
    document.getElementById("graph").append(note);
  }
  for (const note of data.notes || []) {
    document.getElementById("stats").after(el("p", note, "muted"));
  }
  groups.onChange = () => { applyFilters(); network.redraw(); };
  window.policygraph.applyFilters = applyFilters;
  window.policygraph.timeline = timeline;
  window.policygraph.showNode = (id) => { pinned = true; showNode(id); };
  window.policygraph.search = (q) => { search.value = q; return runSearch(); };
  applyFilters();
  window.pgShare(window.policygraph);
  timings.script_end = performance.now();
})();
