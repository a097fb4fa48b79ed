/* The viewer's logic without DOM or vis-network: search, filters, labels. Runs in the page and,
   for tests, in Node.js (module.exports at the end). */
var KGCore = (function () {
  "use strict";

  /* NFKC folds full-width letters and digits (ＡＺＥＣ -> AZEC) and half-width katakana. */
  function normalise(text) {
    return String(text == null ? "" : text).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function label(info, lang) {
    return (lang === "ja" ? info.label_ja : info.label_en) || info.label_en || info.label_ja || info.curie || "";
  }

  function otherLabel(info, lang) {
    return label(info, lang === "ja" ? "en" : "ja");
  }

  function names(info) {
    return [info.label_en, info.label_ja, info.curie].concat(info.alt || []).filter(Boolean);
  }

  /* Entities whose name, Japanese name, acronym (alternative label) or CURIE matches the query:
     exact matches first, then prefixes, then substrings; ties by label. */
  function search(entities, ids, query, lang, limit) {
    var q = normalise(query);
    if (!q) { return []; }
    var hits = [];
    ids.forEach(function (id) {
      var best = null;
      names(entities[id]).forEach(function (name) {
        var n = normalise(name);
        var at = n.indexOf(q);
        var rank = n === q ? 0 : at === 0 ? 1 : at > 0 ? 2 : null;
        if (rank !== null && (best === null || rank < best)) { best = rank; }
      });
      if (best !== null) { hits.push({ id: id, rank: best, label: label(entities[id], lang) }); }
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || a.label.length - b.label.length ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : 1);
    });
    return hits.slice(0, limit || 20).map(function (hit) { return hit.id; });
  }

  /* filter = { hiddenClasses: {cls: true}, theme: curie | null, agenda: [curie] | null } */
  function nodeVisible(info, filter) {
    if (filter.hiddenClasses[info.cls]) { return false; }
    if (filter.theme && (info.themes || []).indexOf(filter.theme) < 0) { return false; }
    if (filter.agenda && !(info.agenda || []).some(function (a) { return filter.agenda.indexOf(a) >= 0; })) {
      return false;
    }
    return true;
  }

  /* An edge shows when both ends do; a statement made in another agenda item than the one chosen does not. */
  function edgeVisible(info, fromVisible, toVisible, filter) {
    if (!fromVisible || !toVisible) { return false; }
    if (filter.agenda && info.agenda && filter.agenda.indexOf(info.agenda) < 0) { return false; }
    return true;
  }

  /* Agenda filter values: an item's CURIE, or a session's CURIE standing for all its items. */
  function agendaChoices(groups) {
    var choices = {};
    groups.forEach(function (group) {
      var items = group.items.map(function (item) { return item.id; });
      if (group.id) { choices[group.id] = items; }
      items.forEach(function (id) { choices[id] = [id]; });
    });
    return choices;
  }

  function where(passage, lang) {
    var parts = lang === "ja" ? [passage.session_ja, passage.agenda_ja] : [passage.session_en, passage.agenda_en];
    return parts.filter(Boolean).join(" · ");
  }

  return {
    normalise: normalise, label: label, otherLabel: otherLabel, search: search,
    nodeVisible: nodeVisible, edgeVisible: edgeVisible, agendaChoices: agendaChoices, where: where
  };
})();
if (typeof module === "object" && module && module.exports) { module.exports = KGCore; }
