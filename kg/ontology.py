"""The ontology: our terms plus the declarations of the external terms we reuse; and the other
curated Turtle files (the shapes, the dataset's description), read so that a syntax error names its file."""
import re
from pathlib import Path

from rdflib import Graph

from . import paths
from .namespaces import bind_prefixes
from .records import DataError, Problem


def read_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """`path` parsed into `graph` (a new one by default); DataError naming the file and line if it is not Turtle."""
    graph = graph if graph is not None else Graph()
    try:
        return graph.parse(path, format="turtle")
    except Exception as error:  # rdflib's BadSyntax, or a bad IRI or literal the parser rejects
        said = " ".join(line.strip() for line in str(error).splitlines()[:2])
        said = re.sub(r"\s*of <[^>]*>|\s*at \^ in:$", "", said)  # rdflib names the file "<>"; the message names it
        raise DataError([Problem(str(path), "-", f"not valid Turtle: {said}")]) from None


def load_ontology(files: tuple[Path, ...] = paths.ONTOLOGY_FILES) -> Graph:
    graph = bind_prefixes(Graph())
    for path in files:
        read_turtle(path, graph)
    return graph
