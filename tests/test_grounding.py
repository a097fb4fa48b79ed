"""Quotes are matched after NFKC with white space removed, and cited by exact offsets."""
import pytest

from kg import paths
from kg.grounding import QuoteError, Sections, SourceText, fold, join_lines
from kg.namespaces import AJK, ID, OA, PROV, SCHEMA
from rdflib.namespace import RDF

TEXT = (paths.DOCUMENTS / "mofa-session-summaries" / "summit-2023-12-17-session-summaries.ja.txt").read_text(encoding="utf-8")
SOURCE = SourceText(TEXT)


def test_fold_normalises_width_and_removes_white_space():
    assert fold("ＡＳＥ\n\nＡＮ　２０２２年 ") == "ASEAN2022年"


def test_quote_across_a_pdf_line_break_is_found_with_its_offsets():
    # "ＡＳＥＡ\n\nＮ憲章" is broken over two lines in the source
    span = SOURCE.locate("ＡＳＥＡＮ憲章にも掲げられている本質的な原則")
    assert "\n" in TEXT[span.start:span.end] and span.exact == TEXT[span.start:span.end]
    assert span.quoted == "ＡＳＥＡＮ憲章にも掲げられている本質的な原則"
    assert fold(span.exact) == fold(span.quoted)


def test_half_width_quote_matches_full_width_source():
    span = SOURCE.locate("ASEAN中心性・一体性")
    assert span.quoted == "ＡＳＥＡＮ中心性・一体性"  # the source breaks a line inside it


def test_quoted_text_keeps_real_spaces_but_joins_line_breaks():
    assert SOURCE.locate("共創 (co-creation)").quoted == "共創 (co-creation)"
    assert join_lines("日本\n\n とＡＳＥＡＮ") == "日本とＡＳＥＡＮ"


def test_prefix_and_suffix_surround_the_quote():
    span = SOURCE.locate("４００億円規模")
    assert span.suffix.startswith("の「次世代共創パートナー")  # as the text has them: a line may break in them
    assert join_lines(span.prefix).endswith("受益する、")
    assert TEXT[span.start - len(span.prefix):span.end + len(span.suffix)] == span.prefix + span.exact + span.suffix


def test_missing_quote_is_an_error():
    with pytest.raises(QuoteError, match="not found"):
        SOURCE.locate("日本は月面基地を建設する")


def test_ambiguous_quote_is_an_error():
    with pytest.raises(QuoteError, match="occurs 2 times"):
        SOURCE.locate("ミャンマー情勢")


def test_sections_are_the_last_heading_before_an_offset():
    sections = Sections()
    sections.add("agenda", 10, "a1")
    sections.add("agenda", 50, "a2")
    assert sections.at("agenda", 5) is None
    assert sections.at("agenda", 10) == (10, "a1")
    assert sections.at("agenda", 49) == (10, "a1")
    assert sections.at("agenda", 51) == (50, "a2")


def test_a_narrower_section_counts_only_inside_the_wider_one():
    sections = Sections()
    sections.add("session", 0, "s1")
    sections.add("agenda", 10, "a1")
    sections.add("session", 40, "s2")  # s2's opening lines, before its first agenda item
    sections.add("agenda", 50, "a2")
    assert sections.at("agenda", 45, after=sections.at("session", 45)[0]) is None
    assert sections.at("agenda", 55, after=sections.at("session", 55)[0]) == (50, "a2")
    assert sections.at("agenda", 20, after=sections.at("session", 20)[0]) == (10, "a1")


def test_a_passage_s_agenda_item_is_part_of_its_session(built):
    graph = built.full  # sessions list their agenda items (schema:subEvent), or the items their session
    placed = [(passage, session, graph.value(passage, AJK.inAgendaItem))
              for passage, session in graph.subject_objects(AJK.inSession)]
    assert len(placed) > 200
    for passage, session, agenda in placed:
        assert agenda is None or (agenda, SCHEMA.superEvent, session) in graph, passage
    # the heading of session 2 comes after agenda 2 (of session 1), and before agenda 3
    heading = next(p for p, s, _ in placed if str(graph.value(p, PROV.value)) == "〔セッション２〕")
    assert graph.value(heading, AJK.inSession) == ID["session-2"] and graph.value(heading, AJK.inAgendaItem) is None


def test_a_passage_s_selectors_pick_out_the_same_characters_of_its_document(built):
    """What a Web Annotation client does: anchor the text-quote selector in the document's text,
    and cut the text at the text-position selector's offsets; both give the passage."""
    graph = built.asserted
    texts = {ID["mofa-session-summaries"]: TEXT}
    passages = [p for p in graph.subjects(RDF.type, AJK.SourcePassage) if graph.value(p, OA.hasSource) in texts]
    assert len(passages) > 200
    for passage in passages:
        text = texts[graph.value(passage, OA.hasSource)]
        selectors = {graph.value(s, RDF.type): s for s in graph.objects(passage, OA.hasSelector)}
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        exact, prefix, suffix = (graph.value(quote, p) for p in (OA.exact, OA.prefix, OA.suffix))
        assert text[start:end] == str(exact), passage
        assert text.count(prefix + exact + suffix) == 1 and text.index(prefix + exact + suffix) == start - len(prefix)
        assert (start, end) == (int(graph.value(passage, AJK.startOffset)), int(graph.value(passage, AJK.endOffset)))
        # plain strings, as the vocabulary's range (xsd:string) has them; the reader's quote stays Japanese
        assert all(term.language is None and term.datatype is None for term in (exact, prefix, suffix))
        assert graph.value(passage, PROV.value).language == "ja"
