"""kg.by_graph: kg.nq's lines graph by graph through sorted runs on disk, against grouping it in memory;
and `kg push`'s chunks of them."""
from collections import defaultdict

import pytest

from kg.by_graph import graph_groups, has_blank_node, without_graph
from kg.push import chunks


def grouped_in_memory(path) -> list[tuple[str, list[bytes]]]:
    found = defaultdict(list)
    with open(path, "rb") as quads:
        for quad in quads:
            found[quad.rsplit(b" ", 2)[1]].append(quad)
    return [(graph[1:-1].decode("utf-8"), lines) for graph, lines in sorted(found.items())]


@pytest.mark.parametrize("run_lines", [1_000, 1_000_000])  # many runs merged, and one
def test_the_graphs_of_the_summit_s_build(dist, run_lines):
    groups = list(graph_groups(dist / "kg.nq", run_lines))
    assert groups == grouped_in_memory(dist / "kg.nq")
    assert len(groups) == 5 and sum(len(lines) for _, lines in groups) > 10_000


def test_the_graphs_of_two_documents(two_documents_dist):
    groups = list(graph_groups(two_documents_dist / "kg.nq", 700))
    assert groups == grouped_in_memory(two_documents_dist / "kg.nq")
    assert len([name for name, _ in groups if "/graph/document/" in name]) == 2


def test_a_graph_s_lines_keep_the_file_s_order_across_runs(tmp_path):
    path = tmp_path / "kg.nq"
    lines = [f'<http://x/s{i:02}> <http://x/p> "{i}" <http://x/g{i % 3}> .\n'.encode() for i in range(30)]
    path.write_bytes(b"".join(lines))
    groups = dict(graph_groups(path, run_lines=4))
    assert list(groups) == ["http://x/g0", "http://x/g1", "http://x/g2"]
    assert groups["http://x/g1"] == lines[1::3]


@pytest.mark.parametrize("line, blank", [
    (b"_:b0 <http://x/p> <http://x/o> <http://x/g> .\n", True),
    (b"<http://x/s> <http://x/p> _:b0 <http://x/g> .\n", True),
    (b'<http://x/s> <http://x/p> "not _:b0" <http://x/g> .\n', False),  # a literal that mentions one
    (b'<http://x/s> <http://x/p> "_:b0" .\n', False),
    (b"<http://x/s> <http://x/p> <http://x/_:b0> .\n", False),
])
def test_blank_nodes_are_told_by_their_position(line, blank):
    assert has_blank_node(line) is blank


def test_a_quad_s_triple():
    assert without_graph(b'<http://x/s> <http://x/p> "a b" <http://x/g> .\n') == b'<http://x/s> <http://x/p> "a b" .\n'


def test_every_blank_node_line_goes_in_the_first_chunk_however_many():
    blank = [f"_:b{i} <http://x/p> <http://x/o> .\n".encode() for i in range(5)]
    rest = [f"<http://x/s{i}> <http://x/p> <http://x/o> .\n".encode() for i in range(7)]
    sent = list(chunks(blank, iter(rest), size=3))
    assert sent[0] == blank and [len(chunk) for chunk in sent[1:]] == [3, 3, 1]
    assert [line for chunk in sent for line in chunk] == blank + rest
    assert list(chunks(blank[:1], iter(rest), size=3))[0] == blank[:1] + rest[:2]


def test_an_empty_graph_is_still_replaced():
    assert list(chunks([], iter([]), size=3)) == [[]]
