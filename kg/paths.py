"""Where the project's inputs and outputs live."""
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
RECORDS = PACKAGE / "data" / "records"
DOCUMENTS = PACKAGE / "data" / "documents"
DATASET = PACKAGE / "data" / "dataset.ttl"  # the dataset's own description: title, licence, source
ONTOLOGY = ROOT / "ontology"
ONTOLOGY_FILES = (ONTOLOGY / "ajk.ttl", ONTOLOGY / "external.ttl")
SHAPES = ONTOLOGY / "shapes.ttl"
QUERIES = ROOT / "queries"
DIST = ROOT / "dist"


def not_a_checkout() -> str | None:
    """Why kg cannot run from where it is installed, or None: it reads the ontology and the named
    queries from its repository's checkout, which a wheel installed elsewhere does not carry."""
    missing = [path.name + "/" for path in (ONTOLOGY, QUERIES) if not path.is_dir()]
    if not missing:
        return None
    return (f"{' and '.join(missing)} not found beside the kg package in {ROOT}: kg runs from a checkout of "
            "its repository; install it there with `pip install -e .` (or `make build`)")
