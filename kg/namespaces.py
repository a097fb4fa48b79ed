"""The project's IRIs, defined once, and the prefixes used in every output and query."""
from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/asean-japan-kg/"
AJK = Namespace(BASE + "ontology#")  # vocabulary terms
ID = Namespace(BASE + "id/")  # instance data
ONTOLOGY_IRI = BASE + "ontology"

SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")

PREFIXES = {
    "ajk": AJK,
    "id": ID,
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "time": TIME,
    "vann": VANN,
    "void": VOID,
    "xsd": XSD,
}


def bind_prefixes(graph):
    """Bind our prefixes (replacing rdflib's defaults) so every serialisation uses the same ones."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> dict[str, str]:
    """PREFIX declarations for every query, so query files need not repeat them."""
    return {p: f"PREFIX {p}: <{ns}>" for p, ns in sorted(PREFIXES.items())}


_LONGEST_FIRST = sorted(((prefix, str(ns)) for prefix, ns in PREFIXES.items()), key=lambda kv: -len(kv[1]))


def curie(term) -> str:
    """'id:japan' for an IRI in one of our prefixes (the longest namespace wins), else '<IRI>'."""
    text = str(term)
    for prefix, namespace in _LONGEST_FIRST:
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def expand(curie: str):
    """'ajk:Fund' -> IRI; a bare name means a term of our vocabulary."""
    prefix, sep, local = curie.partition(":")
    if not sep:
        return AJK[curie]
    if prefix not in PREFIXES:
        raise KeyError(f"unknown prefix {prefix!r} in {curie!r}")
    return PREFIXES[prefix][local]
