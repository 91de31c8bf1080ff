// The date window: two sliders over the distinct dates of the edges' evidence. An edge is
// in the window when any of its evidence is dated inside it; once the window is narrower
// than all the dates, undated edges are out too (as with --since/--until). The window is
// shown as dates beside the sliders. Hidden when the view has no dated edge.
(function () {
  "use strict";
  window.pgTimeline = function (data, onChange) {
    const edgeDates = new Map();
    const all = new Set();
    for (const e of data.edges) {
      const dates = (e.evidence || []).map((i) => data.evidence[i].date).filter(Boolean);
      edgeDates.set(e.id, dates);
      for (const d of dates) all.add(d);
    }
    const dates = Array.from(all).sort();
    const box = document.getElementById("date-filter");
    const from = document.getElementById("date-from");
    const to = document.getElementById("date-to");
    const caption = document.getElementById("date-window");
    const t = { lo: 0, hi: Math.max(0, dates.length - 1), dates: dates };
    t.active = () => dates.length > 0 && (t.lo > 0 || t.hi < dates.length - 1);
    t.contains = (id) => {
      if (!t.active()) return true;
      const a = dates[t.lo];
      const b = dates[t.hi];
      return edgeDates.get(id).some((d) => d >= a && d <= b);
    };
    function show() {
      if (!dates.length) return;
      caption.textContent = dates[t.lo] === dates[t.hi] ? dates[t.lo] : `${dates[t.lo]} to ${dates[t.hi]}`;
    }
    t.set = (lo, hi) => {
      t.lo = Math.max(0, Math.min(lo, dates.length - 1));
      t.hi = Math.max(t.lo, Math.min(hi, dates.length - 1));
      from.value = String(t.lo);
      to.value = String(t.hi);
      show();
      onChange();
    };
    // Dates from a link (#since=…&until=…): the first and last dates inside them.
    t.setDates = (since, until) => {
      let lo = 0;
      let hi = dates.length - 1;
      if (since) lo = Math.max(0, dates.findIndex((d) => d >= since));
      if (until) { const i = dates.findLastIndex((d) => d <= until); hi = i < 0 ? 0 : i; }
      t.set(lo, hi);
    };
    if (dates.length < 2) {
      box.hidden = true;
      return t;
    }
    for (const s of [from, to]) { s.min = "0"; s.max = String(dates.length - 1); s.step = "1"; }
    from.value = "0";
    to.value = String(dates.length - 1);
    from.addEventListener("input", () => t.set(Number(from.value), Math.max(Number(from.value), t.hi)));
    to.addEventListener("input", () => t.set(Math.min(t.lo, Number(to.value)), Number(to.value)));
    show();
    return t;
  };
})();
