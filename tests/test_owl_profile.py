"""The exports are OWL 2 DL (checked with the OWL API's profile checker, as the ODK does in CI)."""
from kg.owl_profile import dl_profile

XSD = "http://www.w3.org/2001/XMLSchema#"
# What the README says: the dates, years, year-months and durations use XSD datatypes that OWL 2's
# datatype map leaves out; the profile checker accepts them, HermiT is told to ignore them.
DATES_AND_DURATIONS = [XSD + name for name in ("date", "duration", "gYear", "gYearMonth")]


def test_ontology_is_owl2_dl_but_for_date_datatypes(dist):
    profile = dl_profile(dist / "ontology.ttl")
    assert profile.violations == [] and set(profile.unmapped) <= set(DATES_AND_DURATIONS)


def test_whole_graph_is_owl2_dl_but_for_date_datatypes(dist):
    profile = dl_profile(dist / "kg.ttl")
    assert profile.violations == [] and profile.unmapped == DATES_AND_DURATIONS


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
    assert dl_profile(punned).violations != []
