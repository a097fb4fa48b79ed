"""kg.sorted_lines: an entity's lines of kg.nq found by bisecting the file, against reading it whole."""
from collections import defaultdict

from kg.namespaces import ID
from kg.sorted_lines import subject_lines


def lines_by_subject(path) -> dict[str, list[bytes]]:
    found = defaultdict(list)
    with open(path, "rb") as lines:
        for line in lines:
            if line.startswith(b"<"):
                found[line[1:line.index(b">")].decode("utf-8")].append(line)
    return found


def test_every_subject_s_lines_are_found_by_bisecting(dist):
    whole = lines_by_subject(dist / "kg.nq")
    assert len(whole) > 1000
    for iri, lines in whole.items():  # the first subject and the last among them
        assert subject_lines(dist / "kg.nq", iri) == lines, iri


def test_a_subject_not_in_the_file_has_no_lines(dist):
    for iri in (f"{ID}no-such-thing", f"{ID}japan-", "http://", "~"):
        assert subject_lines(dist / "kg.nq", iri) == []


def test_a_subject_is_not_found_by_the_prefix_of_another(dist):
    assert subject_lines(dist / "kg.nq", f"{ID}jap") == []
    assert all(line.startswith(f"<{ID}japan> ".encode()) for line in subject_lines(dist / "kg.nq", f"{ID}japan"))
