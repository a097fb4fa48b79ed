"""The built graph in an embedded pyoxigraph store: SPARQL over dist/kg.nq (kg.ttl's triples, each in
its named graph: kg/graphs.py), 10-90x faster than rdflib's evaluator. A query reads the union of the
graphs unless it names the graphs to read (`default_graph`). Imports no rdflib, so a query worker
process starts quickly.

The build also persists the store on disk (dist.store/, see `persisting`), so that `kg query`, `kg serve`
and kg.query open it in milliseconds instead of loading kg.nq again. Run as a script, this module
is the child process that fills it."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

# Our prefixes as plain strings (kg.namespaces has them as rdflib Namespaces; this module avoids rdflib).
BASE = "https://w3id.org/asean-japan-kg/"
PREFIXES = {
    "ajk": BASE + "ontology#",
    "id": BASE + "id/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


UNION = {"use_default_graph_as_union": True}  # how every query of the store reads it unless told otherwise


def graph_file(dist: Path, name: str = "kg.ttl") -> Path:
    path = Path(dist) / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `kg build` (or `make run`) first")
    return path


def quads_file(dist: Path) -> Path:
    return graph_file(dist, "kg.nq")


# --- the persisted store: dist.store/ beside dist/ ------------------------------------------------
# A RocksDB folder is not byte-for-byte reproducible (file numbers, compaction, logs), so it lives
# beside dist/, not in it: dist/ stays the deterministic product, dist.store/ a derived index of its
# kg.nq. A stamp names the kg.nq it was loaded from (SHA-256); a store whose stamp does not match
# the kg.nq next to it is ignored, so a stale or half-swapped store can never answer. As in git's
# index, an unchanged size and modification time vouch for unchanged content, so that opening the
# store does not hash the file (0.35 s at 1.5M triples); a file touched since is hashed.

STAMP = "stamp.json"
LOAD_BATCH = 50_000
DATA = "oxigraph"


def store_dir(dist: Path) -> Path:
    """Where the persisted store of a build folder lives: `dist/` -> `dist.store/`."""
    dist = Path(dist)
    return dist.with_name(dist.name + ".store")


def sha256(path: Path) -> str:
    """The file's SHA-256, read once per process while the file is unchanged (the same inode, size and
    modification time, what the stamp trusts too): `kg serve` asks for kg.nq's twice as it starts,
    to open its store and to check the statistics the build kept (0.35 s each at 1.5M triples)."""
    info = os.stat(path)
    return _sha256(str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=16)
def _sha256(path: str, *identity) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp_of(path: Path) -> dict:
    info = path.stat()
    return {"kg.nq": {"sha256": sha256(path), "size": info.st_size, "mtime_ns": info.st_mtime_ns},
            "pyoxigraph": ox.__version__}


def fill(source: Path, folder: Path) -> None:
    """Load `source` (a kg.nq) into a new on-disk store in `folder`, stamped with it."""
    store = ox.Store(str(folder / DATA))
    # In batches: one bulk load of a million triples held 1.1 GB; batches of 50,000 hold ~100 MB
    # and load faster (measured on a 1.33M-triple kg.ttl).
    quads = ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS)
    while batch := list(islice(quads, LOAD_BATCH)):
        store.bulk_extend(batch)
    store.optimize()
    store.flush()
    del store  # closes RocksDB before the folder moves
    (folder / STAMP).write_text(json.dumps(_stamp_of(Path(source)), indent=2, sort_keys=True) + "\n")


class Loading:
    seconds: float = 0.0  # how long the child took (it reports it: the block may outlast it)


@contextmanager
def persisting(source: Path, dist: Path) -> Iterator[Loading]:
    """Load `source` (a kg.nq) into a new on-disk store in a child process while the block runs
    (the build writes its other files meanwhile), then swap it in as dist.store/ in one rename.
    On any error, in the block or in the child, the previous dist.store/ stays as it was."""
    target = store_dir(dist)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    errors, loading = tempfile.TemporaryFile(), Loading()
    # -P: run as a script with kg/ kept off sys.path, so that no module of ours shadows a standard one
    child = subprocess.Popen([sys.executable, "-P", __file__, str(source), str(staging)],
                             stdout=subprocess.PIPE, stderr=errors)
    try:
        yield loading
        took = child.communicate()[0]  # the child writes only its time, once done
        if child.returncode != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"loading {source} into the query store failed:\n{said}")
        loading.seconds = float(took)
        staging.chmod(0o755)
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        errors.close()
        shutil.rmtree(staging, ignore_errors=True)


def persisted(dist: Path) -> Path | None:
    """The store folder if it was loaded from exactly the dist/kg.nq there now, else None."""
    folder = store_dir(dist)
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return None
    source = Path(dist) / "kg.nq"
    recorded = stamp.get("kg.nq", {})
    try:
        info = source.stat()
    except OSError:
        return None
    if recorded.get("size") != info.st_size or stamp.get("pyoxigraph") != ox.__version__:
        return None
    if recorded.get("mtime_ns") != info.st_mtime_ns and recorded.get("sha256") != sha256(source):
        return None
    return folder / DATA


def open_store(dist: Path, *, persisted_only: bool = False) -> ox.Store:
    """dist/kg.nq in a store: the persisted one, read-only (many processes may share it), when it
    matches kg.nq; otherwise loaded into memory from the file."""
    quads_file(dist)  # no build: say so, even if an old store is lying around
    folder = persisted(dist)
    if folder is not None:
        return ox.Store.read_only(str(folder))
    if persisted_only:
        raise FileNotFoundError(f"{store_dir(dist)} is missing or does not match {Path(dist) / 'kg.nq'}")
    return load_store(dist)


def load_store(dist: Path) -> ox.Store:
    """An in-memory store holding dist/kg.nq's named graphs."""
    store = ox.Store()
    store.load(path=str(quads_file(dist)), format=ox.RdfFormat.N_QUADS)
    return store


if __name__ == "__main__":  # the child process of `persisting`
    started = time.perf_counter()
    fill(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{time.perf_counter() - started:.3f}")
