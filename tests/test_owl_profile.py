"""The exports are OWL 2 DL (checked with the OWL API's profile checker, as the ODK does in CI)."""
from kg.owl_profile import dl_profile_violations


def test_ontology_is_owl2_dl(dist):
    assert dl_profile_violations(dist / "ontology.ttl") == []


def test_whole_graph_is_owl2_dl(dist):
    assert dl_profile_violations(dist / "kg.ttl") == []


def test_the_check_finds_violations(tmp_path):
    punned = tmp_path / "punned.ttl"
    punned.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex: a owl:Ontology .\n"
        "ex:p a owl:ObjectProperty , owl:DatatypeProperty .\n"  # one IRI, two kinds of property
        "ex:a ex:p ex:b .\n",
        encoding="utf-8",
    )
    assert dl_profile_violations(punned) != []
