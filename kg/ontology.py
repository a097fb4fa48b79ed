"""The ontology: our terms plus the declarations of the external terms we reuse."""
from pathlib import Path

from rdflib import Graph

from . import paths
from .namespaces import bind_prefixes


def load_ontology(files: tuple[Path, ...] = paths.ONTOLOGY_FILES) -> Graph:
    graph = bind_prefixes(Graph())
    for path in files:
        graph.parse(path, format="turtle")
    return graph
