// The query page: named queries one click away, results as a table, downloads. No external code.
"use strict";
(function () {
  const named = JSON.parse(document.getElementById("named-queries").textContent);
  const byName = Object.fromEntries(named.map((q) => [q.name, q]));
  const query = document.getElementById("query");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const question = document.getElementById("question");
  const chosen = document.getElementById("document");
  const documents = JSON.parse(document.getElementById("documents").textContent);
  const graphsOf = Object.fromEntries(documents.map((d) => [d.id, d.graphs]));
  const ID = "https://w3id.org/asean-japan-kg/id/";
  const ONTOLOGY = "https://w3id.org/asean-japan-kg/ontology";

  function local(iri) {
    if (iri.startsWith(ID)) return "/id/" + iri.slice(ID.length);
    if (iri.startsWith(ONTOLOGY)) return "/ontology" + iri.slice(ONTOLOGY.length);
    return iri;
  }
  function short(iri) {
    if (iri.startsWith(ID)) return "id:" + iri.slice(ID.length);
    if (iri.startsWith(ONTOLOGY + "#")) return "ajk:" + iri.slice(ONTOLOGY.length + 1);
    return iri;
  }
  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = local(term.value);
      a.textContent = short(term.value);
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
      if (term.datatype) td.title = term.datatype;
    }
    return td;
  }
  function table(data) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const b of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of data.head.vars) tr.appendChild(cell(b[v]));
    }
    return t;
  }
  // The query, and the chosen document's graphs as the default graph (none: the whole graph).
  function request(extra) {
    const params = new URLSearchParams({ query: query.value, ...extra });
    for (const graph of graphsOf[chosen.value] || []) params.append("default-graph-uri", graph);
    return params;
  }
  function downloads() {
    for (const fmt of ["csv", "tsv", "json", "xml", "turtle", "jsonld"]) {
      document.getElementById("dl-" + fmt).href = "/sparql?" + request({ format: fmt }).toString();
    }
  }
  // A run started while another is under way supersedes it: the older answer, however late, is dropped,
  // so the table and the status always belong to the last question asked (and the document chosen).
  let latest = 0;
  async function run(event) {
    if (event) event.preventDefault();
    const mine = ++latest;
    downloads();
    status.textContent = "running…";
    results.replaceChildren();
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: request({}),
      });
    } catch (error) {
      if (mine === latest) status.textContent = "the service did not answer: " + error;
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    const text = await response.text();
    if (mine !== latest) return;
    if (!response.ok) {
      status.textContent = "error " + response.status + ": ";
      const pre = document.createElement("pre");
      pre.className = "error";
      pre.textContent = text;
      results.appendChild(pre);
      return;
    }
    const truncated = response.headers.get("X-SPARQL-Truncated");
    if (type.startsWith("application/sparql-results+json")) {
      const data = JSON.parse(text);
      if ("boolean" in data) {
        status.textContent = "answer: " + (data.boolean ? "yes" : "no") + " (" + ms + " ms)";
        return;
      }
      status.textContent = data.results.bindings.length + " rows in " + ms + " ms" + (truncated ? " — truncated: " + truncated : "");
      results.appendChild(table(data));
    } else {
      status.textContent = "graph result in " + ms + " ms" + (truncated ? " — truncated: " + truncated : "");
      const pre = document.createElement("pre");
      pre.textContent = text;
      results.appendChild(pre);
    }
  }
  document.getElementById("named").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (!button) return;
    const q = byName[button.dataset.name];
    query.value = q.text;
    question.textContent = q.question_en + " / " + q.question_ja;
    run();
  });
  document.getElementById("form").addEventListener("submit", run);
  query.addEventListener("input", downloads);
  chosen.addEventListener("change", () => run());
  downloads();
})();
