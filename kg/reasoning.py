"""OWL 2 DL reasoning over an rdflib graph with owlready2's HermiT (and Pellet for explanations).

`infer(graph)` returns only the entailed triples a linked-data consumer wants materialised:
rdf:type to every named superclass, and object property values between named individuals.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import owlready2
from owlready2.reasoning import _PELLET_CLASSPATH, JAVA_MEMORY
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .export import ntriples

# Types and properties from these vocabularies are never materialised.
_BUILTIN_NAMESPACES = (str(OWL), str(RDF), str(RDFS), str(XSD))

# rdf:type values that declare an object property (OWL 2 lets the characteristics stand alone).
_OBJECT_PROPERTY_TYPES = {
    OWL.ObjectProperty, OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty,
    OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.InverseFunctionalProperty,
}

# Pellet's Manchester renderer prints IRIs by local name, which is ambiguous; Pellet gets a copy
# of the data with every non-builtin IRI renamed to a numbered token we can map back exactly.
_TOKEN_IRI = "http://kg-reasoning.invalid/kgr_{}"
_TOKEN = re.compile(r"\bkgr_(\d+)\b")
_BLANK = re.compile(r"_:\S+")
_PELLET_TIMEOUT_S = 300


class InconsistentOntologyError(Exception):
    """Raised when the graph is inconsistent; str(e) is a readable, multi-line explanation."""

    def __init__(self, explanation: str):
        super().__init__(explanation)
        self.explanation = explanation


def infer(graph: Graph) -> Graph:
    """Reason over `graph` (OWL 2 DL ontology + instance data) with HermiT and return a new graph
    holding only the useful entailed triples that are not already in `graph`."""
    _require_java()
    source = _without_imports(graph)
    with tempfile.TemporaryDirectory(prefix="kg-reasoning-") as tmp:
        nt_path = Path(tmp) / "input.nt"
        # Sorted, so owlready2 reads the triples in the same order whatever the hash seed.
        nt_path.write_bytes(ntriples(source))
        world = owlready2.World()  # a fresh quadstore per call: nothing leaks between calls
        try:
            _reason(world, nt_path, tmp)
            entailed = _entailed_triples(world, source)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise InconsistentOntologyError(_explain_inconsistency(source, tmp)) from None
        except owlready2.OwlReadyJavaError as e:
            raise RuntimeError(f"HermiT reasoner failed: {e}") from None
        finally:
            world.close()
    result = Graph()
    for triple in entailed - set(graph):
        result.add(triple)
    return result


# --- reasoning -------------------------------------------------------------------------------


def _require_java() -> None:
    if shutil.which(owlready2.JAVA_EXE) is None:
        raise RuntimeError(
            "Java 17 is required for the HermiT reasoner (owlready2); install a JDK/JRE")


def _without_imports(graph: Graph) -> Graph:
    # owlready2 would fetch owl:imports from the web; the caller passes everything in one graph.
    copy = Graph()
    for prefix, namespace in graph.namespaces():  # keeps the caller's prefixes for explanations
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in graph.triples((None, None, None)):
        if triple[1] != OWL.imports:
            copy.add(triple)
    return copy


def _reason(world: owlready2.World, nt_path: Path, tmp: str) -> None:
    # owlready2 cannot parse Turtle, hence N-Triples. It prints warnings to stderr and leaves its
    # own temp file behind on inconsistency, so keep both contained.
    with contextlib.redirect_stderr(io.StringIO()), _owlready_tempdir(tmp):
        with open(nt_path, "rb") as f:
            world.get_ontology(nt_path.as_uri()).load(fileobj=f, format="ntriples")
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=True, ignore_unsupported_datatypes=True, debug=0)


@contextlib.contextmanager
def _owlready_tempdir(path: str):
    # sync_reasoner_hermit writes its input via tempfile with no dir argument.
    previous, tempfile.tempdir = tempfile.tempdir, path
    try:
        yield
    finally:
        tempfile.tempdir = previous


# --- closure ---------------------------------------------------------------------------------


def _entailed_triples(world: owlready2.World, source: Graph) -> set:
    """Types and object property values of named individuals, closed over the classified hierarchy."""
    individuals = _named_individuals(world, source)
    properties = _object_properties(world, source)
    # owlready resolves inverses through python names, which collide across namespaces
    # (schema:about, ajk:about): make them unique, or results depend on the hash seed.
    for index, prop in enumerate(properties):
        prop.python_name = f"kg_property_{index}"
    triples = set()
    for ind in individuals:
        for cls in ind.INDIRECT_is_a:  # ancestors of the (reasoner-assigned) types
            if _is_useful_class(cls):
                triples.add((URIRef(ind.iri), RDF.type, URIRef(cls.iri)))
    # Values from class-level hasValue restrictions or owl:sameAs can reach any individual.
    anyone = any((None, p, None) in source for p in (OWL.hasValue, OWL.sameAs))
    for prop in properties:
        for ind in _possible_subjects(prop, individuals, anyone):
            # What `ind.INDIRECT_<python_name>` calls; python names can collide, storids cannot.
            # Aware of inverses, transitivity and sub-properties, on top of HermiT's new values.
            for value in prop._get_indirect_values_for_individual(ind):
                if _is_named_individual(value):
                    triples.add((URIRef(ind.iri), URIRef(prop.iri), URIRef(value.iri)))
    # owlready misses an inverse's value when the forward value holds through a sub-property
    # (x schema:subjectOf s from s ajk:about x): every value of p is one of p's inverse.
    inverse = {URIRef(p.iri): URIRef(p.inverse_property.iri) for p in properties if p.inverse_property}
    for s, p, o in list(triples):
        if p in inverse:
            triples.add((o, inverse[p], s))
    return triples


def _possible_subjects(prop, individuals: list, anyone: bool) -> list:
    # Each indirect lookup costs a scan of the quadstore, so skip individuals that cannot have
    # a value: owlready's indirect values start from the individual's own (or inverse) triples
    # of the property or a sub-property, which after reasoning include HermiT's new values.
    if anyone or issubclass(prop, owlready2.ReflexiveProperty):
        return individuals
    subjects = {s for sub in prop.descendants() for s, _ in sub.get_relations()}
    return [ind for ind in individuals if ind in subjects]


def _named_individuals(world: owlready2.World, source: Graph) -> list:
    # world.individuals() only lists owl:NamedIndividual declarations, so look up every IRI
    # of the input instead (after reasoning HermiT has typed every individual it knows).
    iris = {n for n in source.subjects(unique=True) if isinstance(n, URIRef)}
    iris |= {n for n in source.objects(unique=True) if isinstance(n, URIRef)}
    found = (world[str(iri)] for iri in sorted(iris))
    return [e for e in found if _is_named_individual(e)]


def _object_properties(world: owlready2.World, source: Graph) -> list:
    iris = {s for t in _OBJECT_PROPERTY_TYPES for s in source.subjects(RDF.type, t)}
    iris = sorted(i for i in iris if isinstance(i, URIRef) and i != OWL.topObjectProperty)
    props = (world[str(iri)] for iri in iris)
    return [p for p in props if isinstance(p, owlready2.ObjectPropertyClass)]


def _is_named_individual(entity) -> bool:
    return isinstance(entity, owlready2.Thing) and entity.storid > 0  # blank nodes are < 0


def _is_useful_class(cls) -> bool:
    return isinstance(cls, owlready2.ThingClass) and not cls.iri.startswith(_BUILTIN_NAMESPACES)


# --- explanations ----------------------------------------------------------------------------


def _explain_inconsistency(source: Graph, tmp: str) -> str:
    header = "The ontology is inconsistent (HermiT)."
    try:
        axioms, names = _pellet_justification(source, tmp)
    except RuntimeError as e:
        return f"{header}\nNo explanation available: {e}"
    if not axioms:
        return f"{header}\nPellet found no justification (it may not support the offending axiom)."
    lines = [header]
    summary = _summarise(axioms, names)
    if summary:
        lines.append(summary)
    lines.append("Justification (Pellet explain):")
    # Pellet's order varies between runs: facts first, then schema, alphabetically.
    axioms = sorted(axioms, key=lambda a: (_assertion_subject(a) is None, _render(a, names)))
    lines += ["  " + _render(axiom, names) for axiom in axioms]
    return "\n".join(lines)


def _pellet_justification(source: Graph, tmp: str) -> tuple[list[str], dict[str, str]]:
    """Run `pellet explain` on a token-renamed copy; return its axiom lines and token -> name."""
    renamed, names = _tokenised(source)
    path = Path(tmp) / "explain.nt"
    renamed.serialize(path, format="nt", encoding="utf-8")
    command = [owlready2.JAVA_EXE, f"-Xmx{JAVA_MEMORY}M", "-cp", _PELLET_CLASSPATH,
               "pellet.Pellet", "explain", "--ignore-imports", str(path)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=_PELLET_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"Pellet explain timed out after {_PELLET_TIMEOUT_S}s") from None
    if run.returncode != 0:
        raise RuntimeError(f"Pellet explain failed: {(run.stderr or run.stdout).strip()}")
    return _parse_explanation(run.stdout), names


def _tokenised(source: Graph) -> tuple[Graph, dict[str, str]]:
    iris: dict[URIRef, str] = {}

    def token(node):
        # str(): rdflib's URIRef.startswith does not accept a tuple of prefixes.
        if not isinstance(node, URIRef) or str(node).startswith(_BUILTIN_NAMESPACES):
            return node
        return URIRef(_TOKEN_IRI.format(iris.setdefault(node, str(len(iris)))))

    renamed = Graph()
    for s, p, o in source:
        renamed.add((token(s), token(p), token(o)))
    return renamed, {number: _display_name(source, iri) for iri, number in iris.items()}


def _parse_explanation(output: str) -> list[str]:
    # Output: "Axiom: ...", blank, "Explanation(s): ", then "1)   axiom" + indented axioms.
    axioms, started = [], False
    for line in output.splitlines():
        if re.match(r"\d+\)", line.strip()):
            if started:
                break  # only the first justification
            started = True
            line = line.strip().split(")", 1)[1]
        if started and line.strip():
            axioms.append(line.strip())
    # Blank nodes come out as "_:file:/tmp/.../genid-nodeid-_:n1ab..."; number them instead.
    blanks: dict[str, str] = {}
    return [_BLANK.sub(lambda m: blanks.setdefault(m.group(0), f"_:b{len(blanks) + 1}"), a)
            for a in axioms]


def _display_name(graph: Graph, iri: URIRef) -> str:
    compact = graph.namespace_manager.normalizeUri(iri)
    label = _label(graph, iri)
    if label and label.casefold() != compact.rsplit(":", 1)[-1].casefold():
        return f'{compact} ("{label}")'
    return compact


def _label(graph: Graph, iri: URIRef) -> str | None:
    labels = [o for o in graph.objects(iri, RDFS.label) if isinstance(o, Literal)]
    # English first, then untagged, then any other language; sorted for determinism.
    labels.sort(key=lambda l: ({"en": 0, None: 1}.get(l.language, 2), l.language or "", str(l)))
    return str(labels[0]) if labels else None


def _render(axiom: str, names: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: names.get(m.group(1), m.group(0)), axiom)


def _summarise(axioms: list[str], names: dict[str, str]) -> str | None:
    """One plain sentence for the commonest case: one individual, two disjoint classes."""
    disjoint = [a.split(" disjointWith ") for a in axioms if " disjointWith " in a]
    subjects = {_assertion_subject(a) for a in axioms} - {None}
    if len(disjoint) != 1 or len(subjects) != 1 or not all(_TOKEN.fullmatch(c) for c in disjoint[0]):
        return None
    (individual,) = subjects
    if not _TOKEN.fullmatch(individual):
        return None
    first, second = (_render(c, names) for c in disjoint[0])
    return f"Individual {_render(individual, names)} is a {first} and a {second}, which are disjoint."


def _assertion_subject(axiom: str) -> str | None:
    # Pellet renders facts as "i type C" or "i p j" (named or anonymous i).
    words = axiom.split()
    if len(words) >= 3 and (words[1] == "type" or _TOKEN.fullmatch(words[1])):
        return words[0]
    return None
