"""kg.sorted_lines: an entity's lines of kg.nq found by bisecting the file, against reading it whole."""
from collections import defaultdict

import pytest

from kg.namespaces import ID
from kg.sorted_lines import subject_lines


def lines_by_subject(path) -> dict[str, list[bytes]]:
    found = defaultdict(list)
    with open(path, "rb") as lines:
        for line in lines:
            if line.startswith(b"<"):
                found[line[1:line.index(b">")].decode("utf-8")].append(line)
    return found


def found(path, iri: str) -> list[bytes]:
    with open(path, "rb") as lines:
        return subject_lines(lines, iri)


def test_kg_nq_is_in_the_order_of_its_triples(dist):
    """What bisecting relies on: the build writes the lines sorted by their N-Triples text."""
    with open(dist / "kg.nq", "rb") as quads:
        triples = [quad.rsplit(b" ", 2)[0] for quad in quads]
    assert triples == sorted(triples) and len(triples) > 10_000


def test_every_subject_s_lines_are_found_by_bisecting(dist):
    whole = lines_by_subject(dist / "kg.nq")
    assert len(whole) > 1000
    for iri, lines in whole.items():  # among them IRIs that begin others (skos:Concept, skos:ConceptScheme)
        assert found(dist / "kg.nq", iri) == lines, iri


def test_a_subject_is_not_found_by_the_prefix_of_another(dist):
    assert found(dist / "kg.nq", f"{ID}jap") == []
    japan = found(dist / "kg.nq", f"{ID}japan")
    assert japan and all(line.startswith(f"<{ID}japan> ".encode()) for line in japan)


@pytest.mark.parametrize("text, iri, expected", [
    (b"", "http://x/a", 0),  # an empty file
    (b"<http://x/a> <http://x/p> \"1\" .\n<http://x/b> <http://x/p> \"2\" .", "http://x/b", 1),  # no final newline
    ("<http://x/a> <http://x/p> \"1\" .\n<http://x/é> <http://x/p> \"2\" .\n<http://x/é> <http://x/q> \"3\" .\n"
     "<http://x/ü> <http://x/p> \"4\" .\n".encode("utf-8"), "http://x/é", 2),  # IRIs beyond ASCII, sorted as UTF-8
    (b"<http://x/a> <http://x/p> \"1\" .\n", "http://x/a", 1),  # the first line and the last
    (b"<http://x/a> <http://x/p> \"1\" .\n", "http://x/b", 0),  # after every line
    (b"<http://x/b> <http://x/p> \"1\" .\n", "http://x/a", 0),  # before every line
])
def test_small_sorted_files(tmp_path, text, iri, expected):
    path = tmp_path / "lines.nt"
    path.write_bytes(text)
    lines = found(path, iri)
    assert len(lines) == expected and all(line.startswith(f"<{iri}> ".encode()) for line in lines)
