"""The shapes, rule by rule, on broken copies of the real data: each break is caught with the
curators' message, and the build's SHACL engine (rudof) reports exactly what pySHACL, the
reference implementation, reports (focus node, path, constraint component, severity)."""
from __future__ import annotations

import pytest
from pyshacl import validate
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

from kg import paths
from kg.namespaces import AJK, ID, SCHEMA
from kg.rules import Rules
from kg.validation import Engine, ShapeViolations, check_shapes, engine_results, focus_local

STATEMENT = ID["s-a1-kishida-supports-aoip"]
MONEY = ID["next-generation-co-creation-partnership/figure/budget"]
FIGURE = ID["jaif/figure/projects-implemented"]


def drop(s=None, p=None, o=None):
    return lambda data: {t for t in data if not ((s is None or t[0] == s) and (p is None or t[1] == p)
                                                 and (o is None or t[2] == o))}


def add(*triples):
    return lambda data: data | set(triples)


def replace(s, p, value):
    return lambda data: {t for t in data if not (t[0] == s and t[1] == p)} | {(s, p, value)}


def first_passage(data):
    return min(o for s, p, o in data if s == STATEMENT and p == PROV.wasDerivedFrom)


def passage_offsets_swapped(data):
    passage = first_passage(data)
    start = next(o for s, p, o in data if s == passage and p == AJK.startOffset)
    end = next(o for s, p, o in data if s == passage and p == AJK.endOffset)
    return replace(passage, AJK.startOffset, end)(replace(passage, AJK.endOffset, start)(data))


# name -> (how to break the data, a message the curator must see)
BREAKS = {
    "no Japanese label": (lambda data: {t for t in data if not (t[0] == ID.aoip and t[1] == RDFS.label
                                                                and t[2].language == "ja")},
                          "needs a Japanese (@ja) rdfs:label"),
    "label in French": (add((ID.aoip, RDFS.label, Literal("Perspectives", lang="fr"))),
                        "needs exactly one Japanese (@ja) and one English (@en) rdfs:label"),
    "two English labels": (add((ID.aoip, RDFS.label, Literal("AOIP again", lang="en"))),
                           "needs exactly one Japanese (@ja) and one English (@en) rdfs:label"),
    "no provenance": (drop(ID.aoip, PROV.wasDerivedFrom), "needs provenance"),
    "no English description": (drop(ID.aoip, DCTERMS.description), "needs a short English description"),
    "speaker not an agent": (replace(STATEMENT, AJK.speaker, ID.aoip), "exactly one speaker, an agent"),
    "two speakers": (add((STATEMENT, AJK.speaker, ID.japan)), "exactly one speaker, an agent"),
    "no statement kind": (drop(STATEMENT, AJK.statementKind), "exactly one kind"),
    "theme not a concept": (add((STATEMENT, AJK.theme, ID.japan)), "theme must be a policy theme"),
    "statement not placed": (drop(STATEMENT, AJK.madeDuring), "placed in the meeting"),
    "statement said nothing": (drop(STATEMENT, AJK.about), "says nothing about what was said"),
    "CAMEO code not digits": (replace(ID.supported, AJK.cameoCode, Literal("05a")), "CAMEO code"),
    "figure without its passage": (drop(FIGURE, PROV.wasDerivedFrom), "a figure is quoted from the source"),
    "figure without value": (drop(FIGURE, SCHEMA.value), "a figure has a value or a period"),
    "money without currency": (drop(MONEY, SCHEMA.currency), "ISO 4217 currency"),
    "money value as text": (replace(MONEY, SCHEMA.value, Literal("7000000000")), "schema:value"),
    "currency not a code": (replace(MONEY, SCHEMA.currency, Literal("yen")), "schema:currency"),
    "date as text": (replace(ID["asean-chair-2023"], AJK.date, Literal("17 December 2023")),
                     "xsd:gYear, xsd:gYearMonth or xsd:date"),
    "passage ends before it starts": (passage_offsets_swapped, "ajk:startOffset"),
    "country code in lower case": (replace(ID.japan, AJK.iso3166Alpha2, Literal("jp")), "ISO 3166-1 alpha-2"),
    "concept in no scheme": (drop(ID["theme-clean-energy"], SKOS.inScheme), "belongs to a concept scheme"),
    "initiative without theme": (drop(ID.jaif, AJK.theme), "serves at least one policy theme"),
    "partner not an agent": (add((ID.jaif, AJK.partner, ID.aoip)), "is an agent (a person, state or organisation)"),
    "participation without participant": (drop(ID["participation-anwar-ibrahim"], AJK.participant), "ajk:participant"),
}


@pytest.fixture(scope="module")
def rules(built):
    return Rules.of(built.ontology)


@pytest.fixture(scope="module")
def shapes_graph():
    return Graph().parse(paths.SHAPES, format="turtle")


def reference(data: set, shapes_graph: Graph) -> set:
    """pySHACL's results: (severity, focus, path, component)."""
    graph = Graph()
    for triple in data:
        graph.add(triple)
    _, report, _ = validate(graph, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    return {
        (str(report.value(r, SH.resultSeverity)).rpartition("#")[2], str(report.value(r, SH.focusNode)),
         str(report.value(r, SH.resultPath) or ""), str(report.value(r, SH.sourceConstraintComponent)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def ours(data: set, part_triples: int = 2_000) -> set:
    """The build's engine; in parts of 2,000 triples by default, so that the summit's ~9,000 are
    validated in several parts, as a large corpus is."""
    return {(e.severity, e.focus_node, e.path or "", e.constraint_component)
            for e in engine_results(data, paths.SHAPES, part_triples)}


def test_the_real_data_has_only_the_four_known_warnings(built, rules, shapes_graph):
    data = rules.hierarchy_closure(built.asserted_triples)
    warnings = check_shapes(data, paths.SHAPES)
    assert {(w.severity, w.focus.rsplit("/", 1)[1], w.message) for w in warnings} == {
        ("Warning", name, "the statement says nothing about what was said")
        for name in ("s-opening-watanabe-remarks", "s-opening-hirabayashi-remarks", "s-a4-joko-opening",
                     "s-other-timor-leste")}
    assert ours(data) == ours(data, part_triples=10**9) == reference(data, shapes_graph)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_break_is_caught_as_pyshacl_catches_it(name, built, rules, shapes_graph):
    breaks, message = BREAKS[name]
    data = rules.hierarchy_closure(breaks(set(built.asserted_triples)))
    assert data != rules.hierarchy_closure(built.asserted_triples), "the break changed nothing"
    found = ours(data)
    assert found == reference(data, shapes_graph)
    if name == "statement said nothing":  # a warning: the build goes on
        assert ("Warning", str(STATEMENT), str(AJK.about), str(SH.MinCountConstraintComponent)) in found
        warnings = check_shapes(data, paths.SHAPES)
        assert any(w.focus == str(STATEMENT) and message in w.message for w in warnings)
        return
    with pytest.raises(ShapeViolations) as caught:
        check_shapes(data, paths.SHAPES)
    assert message in str(caught.value)


@pytest.mark.parametrize("name, found", [("speaker not an agent", "(found id:aoip)"),
                                         ("partner not an agent", "(found id:aoip)"),
                                         ("currency not a code", '(found "yen")'),
                                         ("no provenance", None)])  # nothing there: no value to name
def test_a_violation_names_the_value_at_fault(name, found, built, rules):
    data = rules.hierarchy_closure(BREAKS[name][0](set(built.asserted_triples)))
    with pytest.raises(ShapeViolations) as caught:
        check_shapes(data, paths.SHAPES)
    said = str(caught.value)
    assert (found in said) if found else "(found" not in said, said


def test_parts_are_used_only_where_a_node_needs_no_one_elses_triples(shapes_graph):
    assert focus_local(shapes_graph)
    nested = Graph()
    nested += shapes_graph
    nested.add((AJK.StatementSpeakerShape, SH.node, AJK.CuratedResourceShape))  # the speaker's own labels
    assert not focus_local(nested)


def test_an_engine_that_fails_says_why(tmp_path):
    # rudof runs in a child process: its own error, not a silent empty result, must reach the user.
    unreadable = tmp_path / "shapes.ttl"
    unreadable.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<#s> sh:targetClass <#C> ;\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"the SHACL engine \(rudof\) failed with exit code 1:(.|\n)*"
                                           r"Error parsing Turtle data"):
        with Engine(unreadable) as engine:
            engine.send(b"")
