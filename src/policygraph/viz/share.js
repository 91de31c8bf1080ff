// The picture and the link. PNG: the canvas as drawn. SVG: built from the positions drawn
// (nodes, edges not hidden, the labels where labels.js put them), through the DOM so that
// every name is escaped by the serialiser. The view's state (unticked legend rows, topic,
// tie strength, date window, zoom, selected node) lives in the URL's #fragment, written on
// every change and read when the page opens, so a link reopens the same view.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const SIDES = { triangle: 3, diamond: 4, square: 4, hexagon: 6, star: 10 };

  function shape(kind, x, y, r, style) {
    const sides = SIDES[style.shape];
    if (!sides) {
      const c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", x.toFixed(1)); c.setAttribute("cy", y.toFixed(1)); c.setAttribute("r", r.toFixed(1));
      return c;
    }
    const pts = [];
    const turn = style.shape === "square" ? Math.PI / 4 : -Math.PI / 2;
    for (let i = 0; i < sides; i++) {
      const a = turn + (i / sides) * 2 * Math.PI;
      const rr = style.shape === "star" && i % 2 ? r * 0.45 : r;
      pts.push((x + rr * Math.cos(a)).toFixed(1) + "," + (y + rr * Math.sin(a)).toFixed(1));
    }
    const p = document.createElementNS(SVG, "polygon");
    p.setAttribute("points", pts.join(" "));
    return p;
  }

  function svgOf(pg) {
    const net = pg.network;
    const canvas = net.canvas.frame.canvas;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const root = document.createElementNS(SVG, "svg");
    root.setAttribute("xmlns", SVG);
    root.setAttribute("width", String(w));
    root.setAttribute("height", String(h));
    root.setAttribute("viewBox", `0 0 ${w} ${h}`);
    const bg = document.createElementNS(SVG, "rect");
    bg.setAttribute("width", String(w)); bg.setAttribute("height", String(h)); bg.setAttribute("fill", "#ffffff");
    root.append(bg);
    const title = document.createElementNS(SVG, "title");
    title.textContent = document.title;
    root.append(title);
    const scale = net.getScale();
    const at = (id) => { const b = net.body.nodes[id]; return net.canvasToDOM({ x: b.x, y: b.y }); };
    const edges = document.createElementNS(SVG, "g");
    edges.setAttribute("id", "edges");
    for (const e of pg.edges.get({ filter: (e) => !e.hidden })) {
      const a = at(e.from);
      const b = at(e.to);
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", a.x.toFixed(1)); line.setAttribute("y1", a.y.toFixed(1));
      line.setAttribute("x2", b.x.toFixed(1)); line.setAttribute("y2", b.y.toFixed(1));
      line.setAttribute("stroke", e.color.color); line.setAttribute("stroke-opacity", "0.75");
      line.setAttribute("stroke-width", String(e.width || 1));
      if (e.dashes) line.setAttribute("stroke-dasharray", "5 5");
      edges.append(line);
    }
    root.append(edges);
    const nodes = document.createElementNS(SVG, "g");
    nodes.setAttribute("id", "nodes");
    for (const n of pg.nodes.get({ filter: (n) => !n.hidden })) {
      const p = at(n.id);
      const info = pg.data.nodes[n.id] || pg.groups.info(n.id); // or a folded community
      const el = shape(info.kind, p.x, p.y, (n.size || 10) * scale, { shape: n.shape });
      el.setAttribute("fill", n.color.background); el.setAttribute("stroke", n.color.border);
      const t = document.createElementNS(SVG, "title");
      t.textContent = info.label;
      el.append(t);
      nodes.append(el);
    }
    root.append(nodes);
    const labels = document.createElementNS(SVG, "g");
    labels.setAttribute("id", "labels");
    labels.setAttribute("font-family", "system-ui, sans-serif");
    labels.setAttribute("font-size", "12");
    for (const b of pg.labels.boxes) {
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", (b.x + 2).toFixed(1)); t.setAttribute("y", (b.y + b.h - 4).toFixed(1));
      t.setAttribute("stroke", "#ffffff"); t.setAttribute("stroke-width", "3"); t.setAttribute("paint-order", "stroke");
      if (b.key) t.setAttribute("font-weight", "600");
      t.textContent = b.label;
      labels.append(t);
    }
    for (const b of pg.labels.captionBoxes) {
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", (b.x + 2).toFixed(1)); t.setAttribute("y", (b.y + b.h - 3).toFixed(1));
      t.setAttribute("font-style", "italic"); t.setAttribute("font-weight", "600"); t.setAttribute("fill", "#5a4a20");
      t.textContent = b.label;
      labels.append(t);
    }
    root.append(labels);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
  }

  function save(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // ------------------------------------------------------------------ the link's state
  function current(pg) {
    const q = new URLSearchParams();
    const off = Array.from(document.querySelectorAll("#legend input[data-key]"))
      .filter((b) => !b.checked).map((b) => b.dataset.key);
    if (off.length) q.set("hide", off.join(","));
    const topic = document.getElementById("topic").value;
    if (topic) q.set("topic", topic);
    const weight = Number(document.getElementById("min-weight").value);
    if (weight !== pg.data.minWeight && pg.data.maxWeight > 1) q.set("weight", String(weight));
    const t = pg.timeline;
    if (t.active()) { q.set("since", t.dates[t.lo]); q.set("until", t.dates[t.hi]); }
    const pos = pg.network.getViewPosition();
    q.set("zoom", pg.network.getScale().toFixed(4));
    q.set("x", pos.x.toFixed(1));
    q.set("y", pos.y.toFixed(1));
    const sel = pg.network.getSelectedNodes();
    if (sel.length) q.set("select", String(sel[0]));
    if (pg.groups.folded.size) q.set("fold", Array.from(pg.groups.folded).sort((a, b) => a - b).join(","));
    return q.toString();
  }

  function restore(pg, q) {
    const off = new Set((q.get("hide") || "").split(",").filter(Boolean));
    for (const b of document.querySelectorAll("#legend input[data-key]")) {
      if (off.has(b.dataset.key) && b.checked) b.click();
    }
    const topic = document.getElementById("topic");
    if (q.get("topic") && Array.from(topic.options).some((o) => o.value === q.get("topic"))) {
      topic.value = q.get("topic");
      topic.dispatchEvent(new Event("change"));
    }
    const weight = document.getElementById("min-weight");
    if (q.get("weight") && pg.data.maxWeight > 1) {
      weight.value = q.get("weight");
      weight.dispatchEvent(new Event("input"));
    }
    if (q.get("since") || q.get("until")) pg.timeline.setDates(q.get("since"), q.get("until"));
    for (const k of (q.get("fold") || "").split(",").filter(Boolean).map(Number)) {
      if (pg.groups.groups[k] && pg.groups.groups[k].size > 1) pg.groups.fold(k, true);
    }
    const zoom = Number(q.get("zoom"));
    if (zoom > 0 && Number.isFinite(Number(q.get("x"))) && Number.isFinite(Number(q.get("y")))) {
      pg.network.moveTo({ scale: zoom, position: { x: Number(q.get("x")), y: Number(q.get("y")) }, animation: false });
    }
    const sel = Number(q.get("select"));
    if (q.get("select") !== null && pg.data.nodes[sel]) {
      pg.network.selectNodes([sel]);
      pg.showNode(sel);
    }
  }

  window.pgShare = function (pg) {
    let timer = null;
    let restoring = true;
    const write = () => {
      if (restoring) return;
      clearTimeout(timer);
      timer = setTimeout(() => history.replaceState(null, "", "#" + current(pg)), 50);
    };
    restore(pg, new URLSearchParams(location.hash.slice(1)));
    restoring = false;
    document.getElementById("sidebar").addEventListener("change", write, true);
    document.getElementById("sidebar").addEventListener("input", write, true);
    for (const ev of ["zoom", "dragEnd", "click", "doubleClick"]) pg.network.on(ev, write);
    pg.picture = {
      svg: () => svgOf(pg),
      png: () => pg.network.canvas.frame.canvas.toDataURL("image/png"),
      link: () => current(pg),
    };
    document.getElementById("save-png").addEventListener("click", () => {
      pg.network.canvas.frame.canvas.toBlob((b) => save(b, (pg.data.view || "view") + ".png"), "image/png");
    });
    document.getElementById("save-svg").addEventListener("click", () => {
      save(new Blob([svgOf(pg)], { type: "image/svg+xml" }), (pg.data.view || "view") + ".svg");
    });
  };
})();
