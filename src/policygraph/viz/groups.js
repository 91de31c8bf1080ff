// Communities (coalitions) of the network views: a faint disc and a name for each, as the
// layout in Python drew them apart, and folding: a folded community is one node, sized by
// its members, with one edge per neighbour carrying how many ties it stands for; unfolding
// brings the members back where they were. Folded nodes and edges are added to the page's
// DataSets with ids after the data's own (data.nodes.length + k), so every other part of
// the page (filters, picture, link) sees what is drawn. Text goes through textContent only.
(function () {
  "use strict";
  const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#7570b3"];

  window.pgGroups = function (data, nodes, edges, network) {
    const groups = data.communities || [];
    const base = data.nodes.length;
    const byCommunity = new Map(groups.map((c, k) => [c.id, k]));
    const folded = new Set(); // indexes into groups
    const state = { groups: groups, folded: folded };
    let edgeBase = data.edges.length;
    let shownEdges = [];

    function colour(k) {
      const c = groups[k].id < PALETTE.length ? PALETTE[groups[k].id] : "#999999";
      return c;
    }
    // The node a data node is drawn as: itself, or its folded community's node.
    state.rep = function (id) {
      const k = byCommunity.get(data.nodes[id].community);
      return k !== undefined && folded.has(k) ? base + k : id;
    };
    state.isFolded = (id) => state.rep(id) !== id;
    state.isGroupNode = (id) => id >= base && id < base + groups.length;
    state.groupOf = function (id) {
      if (state.isGroupNode(id)) return id - base;
      const n = data.nodes[id];
      return n ? byCommunity.get(n.community) : undefined;
    };
    state.info = function (id) {
      const k = id - base;
      return { kind: "organisation", label: groups[k].name, community: groups[k].id };
    };

    // Called by the page's filters with the edges they leave visible (ignoring folding):
    // the folded communities' nodes and the edges between what is drawn.
    state.sync = function (visibleEdges) {
      const agg = new Map();
      for (const e of visibleEdges) {
        const a = state.rep(e.from);
        const b = state.rep(e.to);
        if (a === e.from && b === e.to) continue;
        if (a === b) continue;
        const key = a < b ? a + "|" + b : b + "|" + a;
        const entry = agg.get(key) || { from: Math.min(a, b), to: Math.max(a, b), ties: 0 };
        entry.ties += 1;
        agg.set(key, entry);
      }
      const wanted = [];
      for (const k of folded) {
        const c = groups[k];
        const colourK = colour(k);
        wanted.push({
          id: base + k, x: c.x, y: c.y, shape: "dot",
          size: Math.min(48, 14 + 3 * Math.sqrt(c.size)), borderWidth: 3,
          color: { background: colourK, border: "#222", highlight: { background: colourK, border: "#000" },
            hover: { background: colourK, border: "#000" } },
          pgLabel: c.name, pgSize: c.size,
        });
      }
      edges.remove(shownEdges);
      shownEdges = [];
      const present = nodes.getIds().filter((id) => state.isGroupNode(id));
      const keep = new Set(wanted.map((n) => n.id));
      nodes.remove(present.filter((id) => !keep.has(id)));
      nodes.update(wanted);
      const add = [];
      for (const entry of agg.values()) {
        const id = edgeBase++;
        shownEdges.push(id);
        add.push({
          id: id, from: entry.from, to: entry.to, width: Math.min(1 + Math.log2(entry.ties) * 1.5, 8),
          color: { color: "#888888", highlight: "#555555", hover: "#555555", opacity: 0.7 },
          pgTies: entry.ties,
        });
      }
      edges.add(add);
    };
    state.fold = function (k, on) {
      if (on) folded.add(k); else folded.delete(k);
      for (const box of document.querySelectorAll("#groups input[data-group]")) {
        box.checked = folded.has(Number(box.dataset.group));
      }
      state.onChange();
    };
    state.onChange = function () {};
    // The details panel of a folded community: its size and its best-connected members.
    state.describe = function (c, body) {
      const el = (tag, text, cls) => {
        const e = document.createElement(tag);
        e.textContent = text;
        if (cls) e.className = cls;
        return e;
      };
      body.append(el("p", `Community ${c.id}: ${c.size} members, folded into one node. ` +
        "Double-click it, or untick it under Communities, to open it again.", "muted"));
      const ul = document.createElement("ul");
      const members = c.members.map((i) => data.nodes[i])
        .sort((a, b) => (b.degree || 0) - (a.degree || 0) || String(a.label).localeCompare(String(b.label)));
      for (const m of members.slice(0, 40)) ul.append(el("li", m.label));
      if (members.length > 40) ul.append(el("li", `… ${members.length - 40} more`, "muted"));
      body.append(ul);
    };

    // Captions: each open community's name above its disc, a folded one's under its node.
    state.captions = function () {
      const out = [];
      groups.forEach((c, k) => {
        if (c.size < 2) return;
        if (folded.has(k)) out.push({ text: `${c.name} (${c.size})`, x: c.x, y: c.y + 20, group: k });
        else out.push({ text: c.name, x: c.x, y: c.y - c.r - 8, group: k });
      });
      return out;
    };
    network.on("beforeDrawing", (ctx) => {
      ctx.save();
      groups.forEach((c, k) => {
        if (folded.has(k) || c.size < 2) return;
        ctx.beginPath();
        ctx.arc(c.x, c.y, c.r, 0, 2 * Math.PI);
        ctx.fillStyle = colour(k) + "14";
        ctx.strokeStyle = colour(k) + "66";
        ctx.lineWidth = 1.5 / network.getScale();
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
    });

    // The control: one row per community (fold or open), and fold all / open all.
    const box = document.getElementById("groups");
    if (!groups.some((c) => c.size > 1)) {
      box.hidden = true;
      return state;
    }
    const list = document.getElementById("group-list");
    groups.forEach((c, k) => {
      if (c.size < 2) return;
      const row = document.createElement("label");
      row.className = "row";
      const check = document.createElement("input");
      check.type = "checkbox";
      check.dataset.group = String(k);
      check.addEventListener("change", () => state.fold(k, check.checked));
      const sw = document.createElement("span");
      sw.className = "sw dot";
      sw.style.background = colour(k);
      const name = document.createElement("span");
      name.textContent = c.name;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(c.size);
      row.append(check, sw, name, count);
      list.append(row);
    });
    document.getElementById("fold-all").addEventListener("click", () => {
      groups.forEach((c, k) => { if (c.size > 1) folded.add(k); });
      state.fold(-1, false);
    });
    document.getElementById("open-all").addEventListener("click", () => {
      folded.clear();
      state.fold(-1, false);
    });
    network.on("doubleClick", (p) => {
      if (!p.nodes.length) return;
      const id = p.nodes[0];
      const k = state.groupOf(id);
      if (k === undefined || groups[k].size < 2) return;
      state.fold(k, !state.isGroupNode(id));
    });
    return state;
  };
})();
