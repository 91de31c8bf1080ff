// The query page: fills the editor from the library, runs queries, draws the results.
// Everything from the server is written with textContent, never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let library = [];

  function show(text) { $("status").textContent = text; }

  function cell(term) {
    if (!term) return "";
    if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
    return term.value;
  }

  function drawTable(data) {
    const out = $("results");
    out.replaceChildren();
    if (typeof data.boolean === "boolean") {
      out.textContent = data.boolean ? "yes" : "no";
      return;
    }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const b of rows) {
      const tr = body.insertRow();
      for (const v of vars) {
        const td = tr.insertCell();
        const term = b[v];
        if (term && term.type === "uri" && /^https?:\/\//.test(term.value)) {
          const a = document.createElement("a");
          a.href = term.value;
          a.rel = "noopener noreferrer";
          a.textContent = term.value;
          td.appendChild(a);
        } else {
          td.textContent = cell(term);
        }
      }
    }
    out.appendChild(table);
    show(rows.length + (rows.length === 1 ? " row" : " rows"));
  }

  async function run(event) {
    if (event.submitter && event.submitter.name === "format") return;  // plain form download
    event.preventDefault();
    show("running…");
    const body = new URLSearchParams({ query: $("query").value });
    try {
      const resp = await fetch("/sparql", {
        method: "POST",
        // Rows and booleans as JSON; a graph (CONSTRUCT, DESCRIBE) as Turtle.
        headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: body,
      });
      const text = await resp.text();
      if (!resp.ok) {
        $("results").replaceChildren();
        show(resp.status + ": " + text);
        return;
      }
      if ((resp.headers.get("Content-Type") || "").startsWith("text/turtle")) {
        const pre = document.createElement("pre");
        pre.textContent = text;
        $("results").replaceChildren(pre);
        show("a graph, in Turtle");
        return;
      }
      drawTable(JSON.parse(text));
    } catch (err) {
      show("failed: " + err);
    }
  }

  function choose() {
    const q = library.find((item) => item.name === $("library").value);
    $("question").textContent = q ? q.question : "";
    if (q) $("query").value = q.text;
  }

  async function init() {
    $("form").addEventListener("submit", run);
    $("library").addEventListener("change", choose);
    const resp = await fetch("/library.json");
    const data = await resp.json();
    library = data.queries;
    for (const q of library) {
      const opt = document.createElement("option");
      opt.value = q.name;
      opt.textContent = q.name + " — " + q.question;
      $("library").appendChild(opt);
    }
    if (data.views.length) {
      $("views-section").hidden = false;
      for (const name of data.views) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/views/" + encodeURIComponent(name);
        a.textContent = name;
        li.appendChild(a);
        $("views").appendChild(li);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", init);
})();
