"""Where the project's inputs and outputs live."""
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
RECORDS = PACKAGE / "data" / "records"
DOCUMENTS = PACKAGE / "data" / "documents"
ONTOLOGY = ROOT / "ontology"
ONTOLOGY_FILES = (ONTOLOGY / "ajk.ttl", ONTOLOGY / "external.ttl")
SHAPES = ONTOLOGY / "shapes.ttl"
QUERIES = ROOT / "queries"
DIST = ROOT / "dist"
