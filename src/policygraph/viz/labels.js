// Node labels drawn by the page, not by vis-network: vis-network draws every label or none
// (above a zoom threshold), which gave either no name at all or a pile of overlapping ones.
// Here the KEY most important nodes (by the view's measure) are always labelled, each placed
// at the first free spot around its node (farther out, with a leader line, when the near
// spots are taken) and kept inside the canvas; the others get a label once zoomed in, where
// it fits without covering another; the hovered node always. Every label drawn is recorded
// in `boxes` (CSS pixels of the canvas), which the tests measure.
(function () {
  "use strict";
  const KEY = 30;
  const FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  const KEY_FONT = "600 " + FONT;
  const CAPTION_FONT = "italic 600 13px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  const HEIGHT = 15;
  const MAX_CHARS = 42;
  const MAX_OTHERS = 300; // labels for the rest, when zoomed in: a frame stays cheap
  const CELL = 64;

  function clip(text, most) {
    const t = String(text);
    const n = most || MAX_CHARS;
    return t.length > n ? t.slice(0, n - 1) + "…" : t;
  }

  // A grid of the boxes placed so far, so a new box is tested against its neighbours only.
  function Occupied() {
    this.cells = new Map();
  }
  Occupied.prototype.keys = function (b) {
    const out = [];
    for (let i = Math.floor(b.x / CELL); i <= Math.floor((b.x + b.w) / CELL); i++) {
      for (let j = Math.floor(b.y / CELL); j <= Math.floor((b.y + b.h) / CELL); j++) out.push(i + "," + j);
    }
    return out;
  };
  Occupied.prototype.overlap = function (b) {
    let area = 0;
    const seen = new Set();
    for (const k of this.keys(b)) {
      for (const o of this.cells.get(k) || []) {
        if (seen.has(o)) continue;
        seen.add(o);
        const w = Math.min(b.x + b.w, o.x + o.w) - Math.max(b.x, o.x);
        const h = Math.min(b.y + b.h, o.y + o.h) - Math.max(b.y, o.y);
        if (w > 0 && h > 0) area += w * h;
      }
    }
    return area;
  };
  Occupied.prototype.add = function (b) {
    for (const k of this.keys(b)) {
      if (!this.cells.has(k)) this.cells.set(k, []);
      this.cells.get(k).push(b);
    }
  };

  // Spots around a node: the eight near ones first, then rings farther out.
  const NEAR = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  function candidates(x, y, r, w, ring) {
    const out = [];
    if (ring === 0) {
      for (const [dx, dy] of NEAR) {
        const bx = dx > 0 ? x + r + 3 : dx < 0 ? x - r - 3 - w : x - w / 2;
        const by = dy > 0 ? y + r + 2 : dy < 0 ? y - r - 2 - HEIGHT : y - HEIGHT / 2;
        out.push([bx, by]);
      }
      return out;
    }
    const d = r + 6 + ring * 16;
    for (let k = 0; k < 16; k++) {
      const a = (k / 16) * 2 * Math.PI;
      const cx = x + Math.cos(a) * d;
      const cy = y + Math.sin(a) * d;
      out.push([Math.cos(a) >= 0 ? cx : cx - w, cy - HEIGHT / 2]);
    }
    return out;
  }

  function place(occupied, x, y, r, w, width, height, rings) {
    let best = null;
    for (let ring = 0; ring <= rings; ring++) {
      for (let [bx, by] of candidates(x, y, r, w, ring)) {
        bx = Math.min(Math.max(bx, 2), width - w - 2);
        by = Math.min(Math.max(by, 2), height - HEIGHT - 2);
        const box = { x: bx, y: by, w: w, h: HEIGHT };
        const area = occupied.overlap(box);
        if (area === 0) return box;
        if (!best || area < best.area) best = Object.assign(box, { area: area });
      }
    }
    return best;
  }

  function drawBox(ctx, box, text, x, y, key) {
    const cx = box.x + box.w / 2;
    const cy = box.y + box.h / 2;
    if (Math.hypot(cx - x, cy - y) > box.w / 2 + 24) {
      ctx.strokeStyle = "rgba(90,90,90,0.6)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(Math.min(Math.max(x, box.x), box.x + box.w), Math.min(Math.max(y, box.y), box.y + box.h));
      ctx.stroke();
    }
    if (key) {
      ctx.fillStyle = "rgba(255,255,255,0.78)";
      ctx.fillRect(box.x, box.y, box.w, box.h);
    }
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.strokeText(text, box.x + 2, box.y + box.h - 4);
    ctx.fillStyle = key ? "#111111" : "#333333";
    ctx.fillText(text, box.x + 2, box.y + box.h - 4);
  }

  window.pgLabels = function (network, data, isHidden) {
    const state = { ranked: [], key: new Set(), hovered: null, boxes: [], initialScale: null,
      captions: () => [], captionBoxes: [] };
    const byId = new Map(data.nodes.map((n) => [n.id, n]));
    state.rank = function (metric) {
      state.ranked = data.nodes.slice()
        .sort((a, b) => (b[metric] || 0) - (a[metric] || 0) || String(a.label).localeCompare(String(b.label)))
        .map((n) => n.id);
      state.key = new Set(state.ranked.slice(0, KEY));
    };
    state.draw = function (ctx) {
      const canvas = network.canvas.frame.canvas;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (!width || !height) return;
      const scale = network.getScale();
      if (state.initialScale === null) state.initialScale = scale;
      const zoomed = scale > state.initialScale * 1.6;
      const ratio = network.canvas.pixelRatio || window.devicePixelRatio || 1;
      const bodyNodes = network.body.nodes;
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.textBaseline = "alphabetic";
      const occupied = new Occupied();
      const boxes = [];
      // Captions first (the layout's: which side supports a topic, a community's name):
      // they stay where the layout put them, and node labels go around them.
      const captionBoxes = [];
      ctx.font = CAPTION_FONT;
      for (const c of state.captions()) {
        const p = network.canvasToDOM({ x: c.x, y: c.y });
        if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
        const text = clip(c.text, 64);
        const w = Math.ceil(ctx.measureText(text).width) + 4;
        const box = { x: Math.min(Math.max(p.x - w / 2, 2), width - w - 2),
          y: Math.min(Math.max(p.y - HEIGHT / 2, 2), height - HEIGHT - 2), w: w, h: HEIGHT };
        // Taken: a line farther out (away from the row, c.out: -1 up, +1 down), a few times.
        let tries = 0;
        while (occupied.overlap(box) && tries < 3) {
          tries++;
          box.y = Math.min(Math.max(box.y + (c.out || -1) * (HEIGHT + 2), 2), height - HEIGHT - 2);
        }
        if (occupied.overlap(box)) continue;
        occupied.add(box);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#ffffff";
        ctx.strokeText(text, box.x + 2, box.y + box.h - 3);
        ctx.fillStyle = "#5a4a20";
        ctx.fillText(text, box.x + 2, box.y + box.h - 3);
        captionBoxes.push(Object.assign(box, { label: text }));
      }
      state.captionBoxes = captionBoxes;
      const one = (id, key, rings) => {
        const n = byId.get(id);
        const body = bodyNodes[id];
        if (!n || !body || isHidden(id)) return false;
        const p = network.canvasToDOM({ x: body.x, y: body.y });
        // Off the canvas (zoomed in): no label, or it would sit at the edge for nothing there.
        if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) return false;
        const text = clip(n.label);
        ctx.font = key ? KEY_FONT : FONT;
        const w = Math.ceil(ctx.measureText(text).width) + 4;
        const r = (body.options.size || 10) * scale;
        const box = place(occupied, p.x, p.y, r, w, width, height, rings);
        if (!box || (!key && box.area)) return false;
        delete box.area;
        occupied.add(box);
        drawBox(ctx, box, text, p.x, p.y, key);
        boxes.push(Object.assign(box, { id: id, label: text, key: state.key.has(id) }));
        return true;
      };
      for (const id of state.ranked) if (state.key.has(id)) one(id, true, 12);
      if (zoomed) {
        let others = 0;
        for (const id of state.ranked) {
          if (others >= MAX_OTHERS) break;
          if (!state.key.has(id) && one(id, false, 0)) others++;
        }
      }
      if (state.hovered !== null && !boxes.some((b) => b.id === state.hovered)) {
        one(state.hovered, true, 2);
      }
      ctx.restore();
      state.boxes = boxes;
    };
    return state;
  };
})();
