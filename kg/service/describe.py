"""The SPARQL 1.1 Service Description of the endpoint and the VoID/DCAT description of the dataset."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from ..namespaces import BASE, ID, ONTOLOGY_IRI, bind_prefixes
from ..statistics import Statistics, in_store, kept

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DUMP_TYPES = {  # dist/ file suffix -> media type, for the dumps the service offers
    ".ttl": "text/turtle", ".nq": "application/n-quads", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
    ".json": "application/json", ".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
    ".gexf": "application/gexf+xml", ".graphml": "application/graphml+xml",
}
RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def statistics(dist: Path, store: ox.Store) -> Statistics:
    """The counts the build kept for the kg.nq served; else (none kept, or kept for another kg.nq)
    counted in the store."""
    return kept(dist) or in_store(store)


def dumps(dist: Path) -> list[Path]:
    return sorted(p for p in Path(dist).iterdir() if p.is_file() and p.suffix in DUMP_TYPES and not p.name.startswith("."))


def as_rdflib(triples) -> Graph:
    """pyoxigraph triples as an rdflib Graph with our prefixes, for rdflib's serialisers."""
    return bind_prefixes(Graph()).parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def dataset_card(store: ox.Store) -> Graph:
    """What the graph says of id:dataset (kg/data/dataset.ttl): its title, licence and source, and who
    publishes it."""
    subject = ox.NamedNode(str(ID["dataset"]))
    said = [q.triple for q in store.quads_for_pattern(subject, None, None)]
    agents = {t.object for t in said if t.predicate.value in (str(DCTERMS.publisher), str(DCTERMS.creator))}
    said += [q.triple for agent in agents if isinstance(agent, ox.NamedNode)
             for q in store.quads_for_pattern(agent, None, None)]
    return as_rdflib(said)


def ontology_version_path(store: ox.Store) -> str:
    """The path of the ontology's owl:versionIRI on this service ("/ontology/0.1.0"), served as the
    ontology is; "/ontology" if it states none."""
    version = next(store.quads_for_pattern(ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(str(OWL.versionIRI)), None), None)
    return "/" + version.object.value.removeprefix(BASE) if version else "/ontology"


def void(base: str, stats: Statistics, dist: Path, card: Graph) -> Graph:
    """VoID and DCAT of id:dataset, the dataset's own IRI wherever it is served: its title, licence and
    source as the graph states them (`card`), and what this service holds of it, where its dumps and
    its endpoint are."""
    g = bind_prefixes(Graph())
    g.bind("sd", SD)
    ds = ID["dataset"]
    g += card
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((ds, VOID.triples, Literal(stats.triples)))
    g.add((ds, VOID.entities, Literal(stats.entities)))
    g.add((ds, VOID.distinctSubjects, Literal(stats.subjects)))
    g.add((ds, VOID.distinctObjects, Literal(stats.objects)))
    g.add((ds, VOID.properties, Literal(stats.properties)))
    g.add((ds, VOID.classes, Literal(len(stats.classes))))
    g.add((ds, VOID.exampleResource, ID["summit-2023"]))
    g.add((ds, VOID.rootResource, ID["summit-2023"]))
    for cls, count in stats.classes.items():
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    service = URIRef(base + "sparql")
    g.add((ds, DCAT.accessService, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for path in dumps(dist):
        url = URIRef(f"{base}dist/{path.name}")
        if path.suffix in (".ttl", ".jsonld", ".nt") and path.stem == "kg":
            g.add((ds, VOID.dataDump, url))
        dist_node = URIRef(f"{base}dist/{path.name}#distribution")
        g.add((ds, DCAT.distribution, dist_node))
        g.add((dist_node, RDF.type, DCAT.Distribution))
        g.add((dist_node, DCAT.downloadURL, url))
        g.add((dist_node, DCAT.mediaType, Literal(DUMP_TYPES[path.suffix].split(";")[0])))
        g.add((dist_node, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        g.add((dist_node, DCTERMS.title, Literal(path.name)))
    return g


def service_description(base: str, stats: Statistics, limits: dict) -> Graph:
    g = bind_prefixes(Graph())
    for prefix, ns in (("void", VOID), ("sd", SD), ("formats", FORMATS)):
        g.bind(prefix, ns)
    service = URIRef(base + "sparql")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMAT_IRIS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    if limits.get("allow_service"):
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode()
    graph = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, graph))
    g.add((graph, RDF.type, SD.Graph))
    g.add((graph, VOID.triples, Literal(stats.triples)))
    # The default graph is the union of the named graphs; default-graph-uri chooses some of them.
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name, triples in stats.graphs.items():
        named, described = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, described))
        g.add((described, RDF.type, SD.Graph))
        g.add((described, VOID.triples, Literal(triples)))
    g.add((dataset, DCTERMS.description, Literal(
        "Read-only. Limits: " + json.dumps(limits, sort_keys=True), lang="en")))
    g.add((service, DCTERMS.description, Literal(
        "SPARQL 1.1 Query over the ASEAN-Japan Commemorative Summit 2023 knowledge graph; the dataset is "
        f"described at {base}void", lang="en")))
    g.add((service, URIRef(str(VOID) + "inDataset"), ID["dataset"]))
    return g
