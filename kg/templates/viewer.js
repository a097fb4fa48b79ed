/* The viewer page: vis-network, search, filters, language switch, details panel.
   Text from the graph is only ever put on screen with textContent (or as canvas labels). */
(function () {
  "use strict";
  var core = KGCore;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var entities = data.info.nodes;
  var relations = data.info.edges;
  var state = {
    lang: data.lang,
    selected: null, // { type: "node" | "edge", id }
    filter: { hiddenClasses: {}, theme: null, agenda: null },
    faded: { nodes: [], edges: [] }
  };
  var startedAt = performance.now();
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, data.options);
  var createdAt = performance.now();

  /* State for tests and benchmarks. */
  var viewer = window.__viewer = {
    settled: false,
    settledAt: null,
    startedAt: startedAt, // performance.now() values: ms since navigation start
    createdAt: createdAt,
    drawnAt: null,
    stabilisedAt: null,
    counts: { nodes: nodes.length, edges: edges.length },
    lang: state.lang,
    selected: null,
    network: network,
    nodes: nodes,
    edges: edges,
    visibleNodeIds: function () { return nodes.getIds({ filter: function (n) { return !n.hidden; } }); },
    visibleEdgeIds: function () { return edges.getIds({ filter: function (e) { return !e.hidden; } }); },
    domPosition: function (id) { return network.canvasToDOM(network.getPosition(id)); }
  };

  network.once("afterDrawing", function () { viewer.drawnAt = performance.now(); });

  /* A short, bounded polish of the build-time layout, then a still picture: physics off for good. */
  network.once("stabilizationIterationsDone", function () {
    viewer.stabilisedAt = performance.now();
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    // settled = the still picture is on screen and the page answers input
    network.once("afterDrawing", function () {
      viewer.settled = true;
      viewer.settledAt = performance.now();
      document.body.setAttribute("data-settled", "true");
    });
    network.redraw();
  });

  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text != null) { element.textContent = String(text); }
    return element;
  }

  function clear(element) {
    while (element.firstChild) { element.removeChild(element.firstChild); }
  }

  /* ---------- labels and language ---------- */

  function applyLanguage(lang) {
    state.lang = viewer.lang = lang;
    document.documentElement.lang = lang;
    nodes.update(nodes.getIds().map(function (id) { return { id: id, label: core.label(entities[id], lang) }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, label: core.label(relations[id], lang) }; }));
    fillFilters();
    renderResults();
    renderPanel();
  }

  /* ---------- filters ---------- */

  var themeSelect = document.getElementById("kg-theme");
  var agendaSelect = document.getElementById("kg-agenda");
  var agendaChoices = core.agendaChoices(data.filters.agenda);

  function option(value, text) {
    var element = el("option", null, text);
    element.value = value;
    return element;
  }

  function fillFilters() {
    var theme = themeSelect.value, agenda = agendaSelect.value;
    while (themeSelect.options.length > 1) { themeSelect.remove(1); }
    themeSelect.options[0].textContent = state.lang === "ja" ? "すべての政策分野" : "All themes";
    data.filters.themes.forEach(function (t) {
      themeSelect.appendChild(option(t.id, core.label(t, state.lang) + " (" + t.count + ")"));
    });
    while (agendaSelect.firstChild) { agendaSelect.removeChild(agendaSelect.firstChild); }
    agendaSelect.appendChild(option("", state.lang === "ja" ? "会議全体" : "Whole summit"));
    data.filters.agenda.forEach(function (group) {
      var optgroup = el("optgroup");
      optgroup.label = core.label(group, state.lang);
      if (group.id) {
        optgroup.appendChild(option(group.id, core.label(group, state.lang) + (state.lang === "ja" ? "（全体）" : " (all)")));
      }
      group.items.forEach(function (item) { optgroup.appendChild(option(item.id, core.label(item, state.lang))); });
      agendaSelect.appendChild(optgroup);
    });
    themeSelect.value = theme;
    agendaSelect.value = agenda;
  }

  function applyFilters() {
    var filter = state.filter;
    var shown = {};
    var nodeUpdates = [];
    nodes.forEach(function (node) {
      var visible = core.nodeVisible(entities[node.id], filter);
      shown[node.id] = visible;
      if (!!node.hidden === visible) { nodeUpdates.push({ id: node.id, hidden: !visible }); }
    });
    var edgeUpdates = [];
    edges.forEach(function (edge) {
      var visible = core.edgeVisible(relations[edge.id], shown[edge.from], shown[edge.to], filter);
      if (!!edge.hidden === visible) { edgeUpdates.push({ id: edge.id, hidden: !visible }); }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    var count = viewer.visibleNodeIds().length;
    document.getElementById("kg-visible").textContent =
      count + " of " + nodes.length + " entities, " + viewer.visibleEdgeIds().length + " of " + edges.length + " relations shown";
    if (state.selected && state.selected.type === "node" && !shown[state.selected.id]) { deselect(); }
    renderResults();
  }

  themeSelect.addEventListener("change", function () {
    state.filter.theme = themeSelect.value || null;
    applyFilters();
  });
  agendaSelect.addEventListener("change", function () {
    state.filter.agenda = agendaSelect.value ? agendaChoices[agendaSelect.value] : null;
    applyFilters();
  });

  function buildLegend() {
    var legend = document.getElementById("kg-legend");
    data.legend.forEach(function (kind) {
      legend.appendChild(el("h3", null, kind.kind));
      kind.classes.forEach(function (entry) {
        var row = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.checked = true;
        box.setAttribute("data-cls", entry.cls);
        box.addEventListener("change", function () {
          if (box.checked) { delete state.filter.hiddenClasses[entry.cls]; } else { state.filter.hiddenClasses[entry.cls] = true; }
          applyFilters();
        });
        var glyph = el("span", "kg-glyph", kind.glyph);
        glyph.style.color = entry.colour;
        row.appendChild(box);
        row.appendChild(glyph);
        row.appendChild(el("span", null, entry.cls));
        row.appendChild(el("span", "kg-count", "(" + entry.count + ")"));
        legend.appendChild(row);
      });
    });
    var edgeLegend = document.getElementById("kg-edge-legend");
    data.edgeLegend.forEach(function (entry) {
      var row = el("li");
      var line = el("span", "kg-line");
      line.style.borderTopColor = entry.colour;
      line.style.borderTopStyle = entry.dashed ? "dashed" : "solid";
      row.appendChild(line);
      row.appendChild(el("span", null, entry.relation));
      edgeLegend.appendChild(row);
    });
  }

  /* ---------- search ---------- */

  var searchInput = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");

  function currentHits() {
    return core.search(entities, viewer.visibleNodeIds().sort(), searchInput.value, state.lang, 20);
  }

  function renderResults() {
    clear(results);
    var hits = currentHits();
    results.hidden = hits.length === 0;
    hits.forEach(function (id) {
      var item = el("li");
      var button = el("button", null, core.label(entities[id], state.lang));
      button.type = "button";
      button.setAttribute("data-id", id);
      button.appendChild(el("span", "kg-secondary", core.otherLabel(entities[id], state.lang) + " · " + entities[id].cls));
      button.addEventListener("click", function () { focusNode(id); });
      item.appendChild(button);
      results.appendChild(item);
    });
  }

  searchInput.addEventListener("input", renderResults);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = currentHits();
      if (hits.length) { focusNode(hits[0]); }
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });

  function focusNode(id) {
    results.hidden = true;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.3), animation: false });
    select({ type: "node", id: id });
  }

  /* ---------- selection: neighbourhood highlight and details panel ---------- */

  var FADED = 0.15; // opacity of what is not in the selection's neighbourhood
  var EDGE_FONT = data.options.edges.font;

  function highlight(keepNodes, keepEdges) {
    unhighlight();
    var keepN = {}, keepE = {};
    keepNodes.forEach(function (id) { keepN[id] = true; });
    keepEdges.forEach(function (id) { keepE[id] = true; });
    var fadedNodes = nodes.getIds().filter(function (id) { return !keepN[id]; });
    var fadedEdges = edges.getIds().filter(function (id) { return !keepE[id]; });
    nodes.update(fadedNodes.map(function (id) { return { id: id, opacity: FADED }; }));
    edges.update(fadedEdges.map(function (id) {
      return { id: id, color: { opacity: FADED }, font: { color: "rgba(0,0,0,0)", strokeWidth: 0 } };
    }));
    state.faded = { nodes: fadedNodes, edges: fadedEdges };
  }

  function unhighlight() {
    nodes.update(state.faded.nodes.map(function (id) { return { id: id, opacity: 1 }; }));
    edges.update(state.faded.edges.map(function (id) {
      return { id: id, color: { opacity: 1 }, font: { color: EDGE_FONT.color, strokeWidth: EDGE_FONT.strokeWidth } };
    }));
    state.faded = { nodes: [], edges: [] };
  }

  function select(selection) {
    state.selected = selection;
    viewer.selected = selection.type === "node" ? selection.id : null;
    viewer.selectedEdge = selection.type === "edge" ? selection.id : null;
    if (selection.type === "node") {
      highlight([selection.id].concat(network.getConnectedNodes(selection.id)), network.getConnectedEdges(selection.id));
    } else {
      var edge = edges.get(selection.id);
      highlight([edge.from, edge.to], [edge.id]);
    }
    renderPanel();
  }

  function deselect() {
    state.selected = null;
    viewer.selected = viewer.selectedEdge = null;
    network.unselectAll();
    unhighlight();
    renderPanel();
  }

  network.on("click", function (params) {
    if (params.nodes.length) { select({ type: "node", id: params.nodes[0] }); }
    else if (params.edges.length) { select({ type: "edge", id: params.edges[0] }); }
    else if (state.selected) { deselect(); }
  });
  document.getElementById("kg-panel-close").addEventListener("click", deselect);

  var panel = document.getElementById("kg-panel");
  var body = document.getElementById("kg-panel-body");

  function section(title) {
    body.appendChild(el("h3", null, title));
  }

  function link(text, onClick) {
    var button = el("button", "kg-link", text);
    button.type = "button";
    button.addEventListener("click", onClick);
    return button;
  }

  function facts(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] == null || row[1] === "") { return; }
      list.appendChild(el("dt", null, row[0]));
      list.appendChild(el("dd", null, row[1]));
    });
    body.appendChild(list);
  }

  function quotes(passages, container) {
    passages.forEach(function (passage) {
      var quote = el("blockquote", "kg-quote", passage.quote);
      quote.setAttribute("lang", "ja");
      quote.appendChild(el("span", "kg-where", core.where(passage, state.lang)));
      container.appendChild(quote);
    });
  }

  function renderPanel() {
    clear(body);
    var selection = state.selected;
    panel.hidden = !selection;
    if (!selection) { return; }
    if (selection.type === "node") { renderNode(selection.id); } else { renderEdge(selection.id); }
  }

  function renderNode(id) {
    var info = entities[id];
    var lang = state.lang;
    body.appendChild(el("h2", "kg-label", core.label(info, lang)));
    body.appendChild(el("p", "kg-other-label", core.otherLabel(info, lang)));
    body.appendChild(el("p", "kg-type", info.cls + " (" + info.kind + ") · " + id));
    var description = lang === "ja" ? (info.description_ja || info.description_en) : (info.description_en || info.description_ja);
    if (description) { body.appendChild(el("p", "kg-description", description)); }
    facts([["Also", info.alt.join(", ")], ["Date", info.date], ["PageRank", String(info.score)]]);
    if (info.figures.length) {
      section(lang === "ja" ? "数値" : "Figures");
      var list = el("ul", "kg-figures");
      info.figures.forEach(function (figure) {
        var item = el("li", "kg-figure");
        item.appendChild(el("span", null, core.label(figure, lang)));
        if (figure.amount) {
          item.appendChild(el("br"));
          item.appendChild(el("span", "kg-amount", (figure.qualifier ? figure.qualifier + " " : "") + figure.amount));
        }
        quotes(figure.passages, item);
        list.appendChild(item);
      });
      body.appendChild(list);
    }
    var connected = network.getConnectedEdges(id);
    if (connected.length) {
      section((lang === "ja" ? "関係" : "Relations") + " (" + connected.length + ")");
      var rels = el("ul", "kg-relations");
      connected.sort().forEach(function (edgeId) {
        var edge = edges.get(edgeId);
        var outgoing = edge.from === id;
        var other = outgoing ? edge.to : edge.from;
        var item = el("li");
        item.appendChild(document.createTextNode(outgoing ? "→ " : "← "));
        item.appendChild(link(core.label(relations[edgeId], lang), function () { select({ type: "edge", id: edgeId }); }));
        item.appendChild(document.createTextNode(outgoing ? " → " : " ← "));
        item.appendChild(link(core.label(entities[other], lang), function () { focusNode(other); }));
        rels.appendChild(item);
      });
      body.appendChild(rels);
    }
    if (info.passages.length) {
      section((lang === "ja" ? "出典" : "Source passages") + " (" + info.passages.length + ")");
      var sources = el("div", "kg-passages");
      quotes(info.passages, sources);
      body.appendChild(sources);
    }
  }

  function renderEdge(id) {
    var info = relations[id];
    var edge = edges.get(id);
    var lang = state.lang;
    body.appendChild(el("h2", "kg-label", core.label(info, lang)));
    body.appendChild(el("p", "kg-other-label", core.otherLabel(info, lang)));
    body.appendChild(el("p", "kg-type", info.relation + " · " + info.predicate));
    var ends = el("p", "kg-ends");
    ends.appendChild(link(core.label(entities[edge.from], lang), function () { focusNode(edge.from); }));
    ends.appendChild(document.createTextNode(" → "));
    ends.appendChild(link(core.label(entities[edge.to], lang), function () { focusNode(edge.to); }));
    body.appendChild(ends);
    if (info.relation === "statement") {
      var text = lang === "ja" ? info.statement_ja : info.statement_en;
      body.appendChild(el("p", "kg-description", text));
      body.appendChild(el("p", "kg-other-label", lang === "ja" ? info.statement_en : info.statement_ja));
      var themes = (info.themes || []).map(function (t) { return entities[t] ? core.label(entities[t], lang) : t; });
      facts([["Statement", info.statement], ["Kind", info.statement_kind], ["Themes", themes.join(", ")]]);
    }
    if (info.passages.length) {
      section((lang === "ja" ? "出典" : "Source passages") + " (" + info.passages.length + ")");
      var sources = el("div", "kg-passages");
      quotes(info.passages, sources);
      body.appendChild(sources);
    }
  }

  /* ---------- start ---------- */

  document.getElementById("kg-lang").addEventListener("change", function (event) { applyLanguage(event.target.value); });
  document.getElementById("kg-lang").value = state.lang;
  buildLegend();
  fillFilters();
  applyFilters();
})();
