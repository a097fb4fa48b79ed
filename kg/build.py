"""The build: load -> validate records -> assert RDF -> SHACL -> reason -> export, into dist/ atomically."""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Callable, Iterator

import networkx as nx
from rdflib import Graph, URIRef

from . import paths
from .analytics import Analytics, analyse
from .analytics_export import to_gexf, to_graphml, to_json, to_markdown, to_rdf
from .assertions import assert_records
from .corpus import load_corpus
from .export import canonical_lines, jsonld_chunks, readable_turtle, turtle_chunks, write
from .graphs import ANALYTICS, DATASET, ONTOLOGY, DocumentOf, Placement, chain_graphs, described, quad_lines
from .store import persisting
from .namespaces import ID, bind_prefixes
from .ontology import load_ontology, read_turtle
from .projection import project
from .triple_index import TripleIndex
from .reasoning import InconsistentOntologyError, infer
from .rules import Rules
from .statistics import Tally, as_kept
from .records import Located
from .validation import check_shapes
from .viewer import write_viewer


@dataclass
class Inputs:
    """Everything a build reads; tests point these at fixtures."""

    records: Path = paths.RECORDS
    documents: Path = paths.DOCUMENTS
    ontology: tuple[Path, ...] = paths.ONTOLOGY_FILES
    dataset: Path = paths.DATASET
    shapes: Path = paths.SHAPES
    root: Path = paths.ROOT


@dataclass
class Built:
    """The triples of one build. The build keeps them in plain sets (an rdflib Graph costs ~3 KB a
    triple); the rdflib Graph views below are made on first use, for tests and interactive use."""

    ontology: Graph
    asserted_triples: set
    inferred_triples: set
    analytics: Analytics
    dataset: Graph  # the dataset's own description (title, licence, source)
    document_of: DocumentOf  # the document each node was minted from (kg.graphs)
    chain_graphs: dict  # the graphs of chain entailments between shared nodes (kg.graphs.chain_graphs)
    warnings: list = field(default_factory=list)

    @cached_property
    def scores(self) -> Graph:
        """The analytics asserted back as RDF (scores, communities)."""
        return to_rdf(self.analytics)

    @cached_property
    def asserted(self) -> Graph:
        return graph_of(self.asserted_triples)

    @cached_property
    def inferred(self) -> Graph:
        return graph_of(self.inferred_triples)

    @cached_property
    def full(self) -> Graph:
        graph = graph_of(self.asserted_triples, self.inferred_triples)
        graph += self.ontology
        graph += self.scores
        graph += self.dataset
        return graph

    @cached_property
    def placement(self) -> Placement:
        """The named graph of each triple, by N-Triples line."""
        by_part = {}
        for graph, part in ((ANALYTICS, self.scores), (DATASET, self.dataset), (ONTOLOGY, self.ontology)):
            by_part.update(dict.fromkeys(canonical_lines(part), graph))
        return Placement(self.document_of, by_part, self.chain_graphs)

    @property
    def analysis(self) -> nx.MultiDiGraph:
        return self.analytics.graph


def graph_of(*parts) -> Graph:
    graph = bind_prefixes(Graph())
    for part in parts:
        for triple in part:
            graph.add(triple)
    return graph


class Steps:
    """Runs named steps, printing each with its timing."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log

    @contextmanager
    def step(self, name: str):
        start = time.perf_counter()
        yield
        self.done(name, time.perf_counter() - start)

    def done(self, name: str, seconds: float) -> None:
        # The process's peak memory so far: the step that raises it is the one to look at.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.log(f"  {name:<28} {seconds:6.2f} s  (peak {peak:,.0f} MiB)")

    def beside(self, pool: ThreadPoolExecutor, work: Callable, *args) -> Future:
        """Start `work` in a thread of `pool`; `taken` logs its line (so lines keep their order)."""
        start = time.perf_counter()
        return pool.submit(lambda: (work(*args), time.perf_counter() - start))

    def taken(self, name: str, future: Future):
        result, seconds = future.result()
        self.done(name, seconds)
        return result


def record_namer(records: list[Located]) -> Callable[[URIRef], str]:
    """'file: record id' for a node minted from a record, so SHACL results point at the YAML."""
    where = {ID[item.record.id]: f"{item.file}: record {item.where}" for item in records}

    def name(node: URIRef) -> str:
        key = URIRef(str(node).split("/figure/")[0])
        return where.get(key, str(node))

    return name


def make_graph(inputs: Inputs = Inputs(), log: Callable[[str], None] = lambda _: None) -> Built:
    """The graph, checked by SHACL and HermiT."""
    with graph_in_check(inputs, log) as (built, _):
        pass
    return built


@contextmanager
def graph_in_check(inputs: Inputs, log: Callable[[str], None]) -> Iterator[tuple[Built, Callable[[], list]]]:
    """(the graph, `finish`) while SHACL (rudof, in a child process) and HermiT (a JVM) check it
    beside the rules, the analytics and the block, their threads mostly waiting. `finish()` waits
    for their verdicts and returns SHACL's warnings; leaving the block waits for them if the block
    did not. A shape violation is reported before an inconsistency, and before whatever failed in
    the block, as if the checks had run first."""
    steps = Steps(log)
    with steps.step("load ontology"):
        ontology = load_ontology(inputs.ontology)
        dataset = read_turtle(inputs.dataset)
        read_turtle(inputs.shapes)  # a syntax error named now, not from SHACL's thread
    with steps.step("load and validate records"):
        corpus = load_corpus(inputs.records, inputs.documents, inputs.root)
        records = corpus.records
        for triple in described(records):  # each document's graph, in the dataset's description
            dataset.add(triple)
    with steps.step("assert RDF, ground quotes"):
        asserted = assert_records(records, ontology, corpus.texts)
    rules = Rules.of(ontology)
    with ThreadPoolExecutor(max_workers=2) as pool, explained(records):
        checks = Checks(steps,
                        steps.beside(pool, check_shapes, rules.closed(asserted), inputs.shapes, record_namer(records)),
                        steps.beside(pool, infer, ontology + shared_slice(asserted, records)))  # the curated entities
        try:
            with steps.step("materialise (rules)"):
                inferred = rules.materialise(asserted)
                rules.check(asserted, inferred)
            with steps.step("place in named graphs"):
                document_of = DocumentOf(records)
                by_chain = chain_graphs(rules.chains, asserted, inferred, document_of)
            with steps.step("analytics (NetworkX, igraph)"):
                analytics = analyse(project(TripleIndex(chain(ontology, asserted, inferred))))
            built = Built(ontology, asserted, inferred, analytics, dataset, document_of, by_chain)
            yield built, checks.finish
        finally:
            checks.finish()
        built.warnings = checks.warnings


class Checks:
    """SHACL and HermiT, running beside the build."""

    def __init__(self, steps: Steps, shacl: Future, hermit: Future):
        self.steps, self.shacl, self.hermit = steps, shacl, hermit
        self.waited, self.warnings = False, []

    def finish(self) -> list:
        """Wait for both verdicts (once): raise on a violation, then on an inconsistency; return
        SHACL's warnings."""
        if not self.waited:
            self.waited = True
            self.warnings = self.steps.taken("SHACL validation", self.shacl)
            self.steps.taken("reason (HermiT)", self.hermit)
        return self.warnings


def shared_slice(asserted: set, records: list[Located]) -> Graph:
    """The triples about shared records (not a document's facts): the part the DL reasoner checks,
    which stays the same size however many documents there are."""
    shared = {str(ID[item.record.id]) for item in records if item.document is None}
    part = Graph()
    for s, p, o in asserted:
        if re.sub(r"/(figure/[^/]+|time)$", "", str(s)) in shared:
            part.add((s, p, o))
    return part


@contextmanager
def explained(records: list[Located]):
    """An inconsistency names the records to fix."""
    try:
        yield
    except InconsistentOntologyError as error:
        raise InconsistentOntologyError(f"{error.explanation}\n{records_involved(error.explanation, records)}") from None


def records_involved(explanation: str, records: list[Located]) -> str:
    """Where the individuals an explanation names were written, so the curator knows what to fix."""
    name = record_namer(records)
    ids = sorted(set(re.findall(r"\bid:([a-z0-9-]+)", explanation)))
    lines = [f"  {name(ID[record_id])}" for record_id in ids]
    return "Records involved:\n" + "\n".join(lines) if lines else ""


def report(built: Built, total: int, statistics: dict) -> bytes:
    summary = {
        "triples": {
            "ontology": len(built.ontology),
            "asserted": len(built.asserted_triples),
            "inferred": len(built.inferred_triples),
            "analytics": len(built.scores),
            "dataset": len(built.dataset),
            "total": total,
        },
        "shacl_warnings": [str(w) for w in built.warnings],
        "statistics": statistics,  # what the service states of the dataset (kg.statistics)
    }
    return (json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_quads(built: Built, out: Path, steps: Steps) -> tuple[list[str], dict]:
    """Write kg.nq into `out`, first, so that the query store loads it while the other files are
    written; returns the graph's triples as the sorted N-Triples lines it was written from (the
    largest object of a build), for the other files, and their statistics (counted on the way) as
    report.json keeps them."""
    with steps.step("export N-Quads, count"):
        lines = canonical_lines(built.ontology, built.asserted_triples, built.inferred_triples, built.scores,
                                built.dataset)
        tally = Tally()
        write((f"{quad}\n" for quad in tally.counting(quad_lines(lines, built.placement))), out / "kg.nq")
        statistics = as_kept(tally.statistics(), out / "kg.nq")
    return lines, statistics


def write_graph(lines: list[str], built: Built, out: Path, steps: Steps, shapes: Path) -> None:
    """Write the graph's other files into `out`. (report.json, which holds SHACL's warnings, is
    written once SHACL is done.)"""
    with steps.step("export Turtle and JSON-LD"):
        write(turtle_chunks(lines), out / "kg.ttl")
        write(jsonld_chunks(lines), out / "kg.jsonld")
        (out / "ontology.ttl").write_bytes(readable_turtle(built.ontology))
        (out / "shapes.ttl").write_bytes(readable_turtle(Graph().parse(shapes, format="turtle")))


def write_views(built: Built, out: Path, steps: Steps) -> None:
    """Write the analytics files and the viewer into `out`."""
    with steps.step("analytics, GEXF, GraphML"):
        (out / "analytics.json").write_bytes(to_json(built.analytics))
        (out / "analytics.md").write_bytes(to_markdown(built.analytics).encode("utf-8"))
        (out / "analysis.gexf").write_bytes(to_gexf(built.analytics))
        (out / "analysis.graphml").write_bytes(to_graphml(built.analytics))
    with steps.step("viewer"):
        write_viewer(built.analysis, out / "viewer.html", {node: s["pagerank"] for node, s in built.analytics.scores.items()})


def replace_dir(new: Path, target: Path) -> None:
    """Swap a finished build into place; the old one stays until the new one is complete."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def build(out: Path = paths.DIST, inputs: Inputs = Inputs(), log: Callable[[str], None] = print) -> Built:
    """Build everything into `out`. On any error `out` is left exactly as it was."""
    started = time.perf_counter()
    log(f"Building the knowledge graph into {out}/")
    with graph_in_check(inputs, log) as (built, finish_checks):
        # The files are written while SHACL and HermiT finish, into a staging folder swapped in
        # only once they have passed.
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
        try:
            steps = Steps(log)
            lines, statistics = write_quads(built, staging, steps)
            total = len(lines)
            # The query store (kg/store.py) loads kg.nq in a child process while the other files
            # are written. Stamped with kg.nq's SHA-256 and swapped in as dist.store/ before dist/
            # is, so a failure here leaves both as they were.
            with persisting(staging / "kg.nq", out) as loading:
                write_graph(lines, built, staging, steps, inputs.shapes)
                del lines  # freed before the analytics files are made
                write_views(built, staging, steps)
                built.warnings = finish_checks()
                (staging / "report.json").write_bytes(report(built, total, statistics))
            steps.done("persist query store", loading.seconds)
            staging.chmod(0o755)
            replace_dir(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log(f"Done in {time.perf_counter() - started:.2f} s: {total} triples ({len(built.ontology)} ontology, "
        f"{len(built.asserted_triples)} asserted, {len(built.inferred_triples)} inferred, {len(built.scores)} analytics, "
        f"{len(built.dataset)} dataset), "
        f"{len(built.warnings)} SHACL warnings")
    return built
