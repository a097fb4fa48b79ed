"""Turn validated records into RDF: every check that needs more than one record happens here too
(unique ids, known terms, no dangling references, quotes found in the source)."""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from .grounding import QuoteError, Sections, SourceText, Span
from .namespaces import AJK, ID, OA, SCHEMA, curie, expand
from .records import DataError, Located, Problem

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
TIME_PROPERTY = {4: TIME.inXSDgYear, 7: TIME.inXSDgYearMonth, 10: TIME.inXSDDate}
SECTION_PROPERTY = {AJK.Session: AJK.inSession, AJK.AgendaItem: AJK.inAgendaItem}  # the widest first
SOURCE_TYPES = {AJK.SourceDocument, SCHEMA.WebPage}


def japanese_period(duration: str | None) -> str:
    """'P5Y' -> '5年間', 'P1Y6M' -> '1年6か月間' ('' for None)."""
    if not duration:
        return ""
    units = {"Y": "年", "M": "か月", "D": "日"}
    return "".join(f"{int(n)}{units[u]}" for n, u in re.findall(r"(\d+)([YMD])", duration)) + "間"


def japanese_date(iso: str) -> str:
    """'2023-12-17' -> '2023年12月17日' (also a year, or a year and month)."""
    return "".join(f"{int(part)}{unit}" for part, unit in zip(iso.split("-"), "年月日"))


@dataclass
class Vocabulary:
    """The terms the ontology declares, for checking record keys against."""

    classes: set
    object_properties: set
    datatype_properties: set
    ranges: dict
    ontology: Graph

    @classmethod
    def of(cls, ontology: Graph) -> "Vocabulary":
        return cls(
            classes=set(ontology.subjects(RDF.type, OWL.Class)),
            object_properties=set(ontology.subjects(RDF.type, OWL.ObjectProperty)),
            datatype_properties=set(ontology.subjects(RDF.type, OWL.DatatypeProperty)),
            ranges={p: r for p, r in ontology.subject_objects(RDFS.range)},
            ontology=ontology,
        )

    def ancestors(self, cls) -> set:
        """The class and all its named superclasses."""
        return {c for c in self.ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def full_width(text: str) -> str:
    """ＡＺＥＣ for AZEC: the source writes Latin letters and digits full-width."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def typed_literal(value: str, datatype=None) -> Literal:
    if datatype is None:
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            datatype = DATE_TYPES[len(value)]
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:]+([+-]\d{2}:\d{2}|Z)", value):
            datatype = XSD.dateTime
        elif value.startswith(("http://", "https://")):
            datatype = XSD.anyURI
    return Literal(value, datatype=datatype)


def number(value: Decimal, money: bool) -> Literal:
    if not money and value == value.to_integral_value():
        return Literal(str(int(value)), datatype=XSD.integer)
    text = format(value, "f")
    # The canonical xsd:decimal form has a point ("40000000000.0"), as Turtle writes it back.
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


class Asserter:
    def __init__(self, records: list[Located], ontology: Graph, texts: dict[str, Path]):
        self.records = records
        self.vocab = Vocabulary.of(ontology)
        self.text_paths = texts
        self.by_id = {}
        self.types: dict[str, set] = {}  # record id -> its classes and their superclasses
        self.heading_spans: dict[str, tuple[str, Span]] = {}
        self.problems: list[Problem] = []
        self.triples: set = set()  # a plain set: an rdflib Graph's indexes cost ~3 KB a triple
        self.iris: dict = {}
        self.agenda_items: dict[URIRef, set] = {}  # passage -> the agenda items it stands under
        self.texts: dict[str, SourceText] = {}
        self.sections = Sections()

    # -- checks -------------------------------------------------------------------------------
    def problem(self, item: Located, message: str) -> None:
        self.problems.append(Problem(item.file, item.where, message))

    def index(self) -> None:
        counts = Counter(item.record.id for item in self.records)
        for item in self.records:
            if counts[item.record.id] > 1:
                self.problem(item, f"id {item.record.id!r} is used by {counts[item.record.id]} records")
            self.by_id.setdefault(item.record.id, item)
        for record_id, item in self.by_id.items():
            found = set()
            for name in item.record.types:
                try:
                    found |= self.vocab.ancestors(expand(name))
                except KeyError:
                    pass  # reported as an unknown class when the record is asserted
            self.types[record_id] = found

    def types_of(self, record_id: str) -> set:
        return self.types.get(record_id, set())

    def did_you_mean(self, record_id: str) -> str:
        close = difflib.get_close_matches(record_id, self.by_id, n=3)
        return f" (did you mean {', '.join(close)}?)" if close else ""

    def term(self, item: Located, name: str, kind: set, what: str):
        try:
            iri = expand(name)
        except KeyError as error:
            self.problem(item, str(error))
            return None
        if iri not in kind:
            names = [self.short(term) for term in kind]
            close = difflib.get_close_matches(name, names, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            self.problem(item, f"{name!r} is not {what} of the ontology{hint}")
            return None
        return iri

    @staticmethod
    def short(term) -> str:
        """How a curator writes a term: bare for ours, prefixed for the others."""
        return curie(term).removeprefix("ajk:")

    def load_sources(self) -> None:
        for doc, path in sorted(self.text_paths.items()):
            try:
                self.texts[doc] = SourceText(path.read_text(encoding="utf-8"), name=path.name)
            except (OSError, UnicodeDecodeError) as error:
                self.problem(self.by_id[doc], f"cannot read source text {path}: {error}")

    def locate(self, item: Located, quote: str) -> tuple[str, Span] | None:
        """Where a quote stands: in the record's own document, or for a shared record, in exactly one."""
        found, errors = [], []
        own = item.document
        if own is not None:
            texts = {own: self.texts[own]} if own in self.texts else {}
        else:  # a shared record: where the quote is at all, first (cheap); the others cannot match
            texts = {doc: text for doc, text in self.texts.items() if quote in text} or self.texts
        for doc, text in sorted(texts.items()):
            try:
                found.append((doc, text.locate(quote)))
            except QuoteError as error:
                errors.append(str(error))
        if len(found) == 1:
            return found[0]
        if found:
            self.problem(item, f"quote found in {len(found)} documents; quote more of the passage: {quote!r}")
        else:
            self.problem(item, errors[0] if len(errors) == 1 else f"quote not found in any source text: {quote!r}")
        return None

    # -- triples ------------------------------------------------------------------------------
    def add(self, s, p, o) -> None:
        # One object per IRI: ID[...] makes a new one each time, and a million duplicates cost
        # memory and make every later set lookup compare strings instead of identities.
        iri = self.iris.setdefault
        self.triples.add((iri(s, s), iri(p, p), iri(o, o) if type(o) is URIRef else o))

    def passage(self, doc: str, span: Span) -> URIRef:
        node = ID[f"passage/{doc}/{span.start}-{span.end}"]
        if node in self.agenda_items:
            return node
        self.add(node, RDF.type, AJK.SourcePassage)
        self.add(node, RDFS.label, Literal(f"「{span.quoted[:24]}{'…' if len(span.quoted) > 24 else ''}」", lang="ja"))
        self.add(node, RDFS.label, Literal(f"Source passage {doc}, characters {span.start}-{span.end}", lang="en"))
        self.add(node, PROV.value, Literal(span.quoted, lang="ja"))
        self.add(node, PROV.wasQuotedFrom, ID[doc])
        start, end = (Literal(offset, datatype=XSD.nonNegativeInteger) for offset in (span.start, span.end))
        self.add(node, AJK.startOffset, start)
        self.add(node, AJK.endOffset, end)
        # As Web Annotation has it: a part of the document, picked out by its text and by its
        # position, both as the document's text has them (line breaks included), so that a client
        # anchoring either selector in that text finds the same characters. Plain strings: the
        # vocabulary gives oa:exact, oa:prefix and oa:suffix the range xsd:string.
        quote, position = (ID[f"passage/{doc}/{span.start}-{span.end}/{kind}"] for kind in ("text-quote", "text-position"))
        self.add(node, OA.hasSource, ID[doc])
        self.add(node, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.exact))
        self.add(quote, OA.prefix, Literal(span.prefix))
        self.add(quote, OA.suffix, Literal(span.suffix))
        self.add(node, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, start)
        self.add(position, OA.end, end)
        self.agenda_items[node] = set()
        within = 0  # where the wider section found starts
        for cls, prop in SECTION_PROPERTY.items():  # the widest first: sessions, then agenda items
            section = self.sections.at(f"{doc}/{cls}", span.start, after=within)
            if section:
                within, section_id = section
                self.add(node, prop, ID[section_id])
                if prop == AJK.inAgendaItem:
                    self.agenda_items[node].add(ID[section_id])
        return node

    def ground(self, item: Located, subject: URIRef, quotes: list[str]) -> list[URIRef]:
        passages = []
        for quote in quotes:
            located = self.locate(item, quote)
            if located and ID[located[0]] == subject:
                self.problem(item, f"a document cannot be derived from a passage of itself (it would be its own "
                                   f"source): cite where it was published instead of quoting {quote!r}")
            elif located:
                passages.append(self.passage(*located))
                self.add(subject, PROV.wasDerivedFrom, passages[-1])
        return passages

    def headings(self) -> None:
        """Register where each session and agenda item starts, before any passage is placed."""
        for item in self.records:
            if item.record.heading is None:
                continue
            located = self.locate(item, item.record.heading)
            levels = [cls for cls in SECTION_PROPERTY if cls in self.types_of(item.record.id)]
            if not levels:
                self.problem(item, "only a session or an agenda item can have a heading")
            if located:
                doc, span = located
                self.heading_spans[item.record.id] = located
                for cls in levels:
                    self.sections.add(f"{doc}/{cls}", span.start, item.record.id)

    def labels(self, subject: URIRef, item: Located, concept: bool) -> None:
        record = item.record
        for lang in ("ja", "en"):
            label = Literal(getattr(record.label, lang), lang=lang)
            self.add(subject, RDFS.label, label)
            if concept:
                self.add(subject, SKOS.prefLabel, label)
        alts = {(alt, "ja") for alt in record.alt.ja} | {(alt, "en") for alt in record.alt.en}
        for alt, lang in sorted(alts):
            self.add(subject, SKOS.altLabel, Literal(alt, lang=lang))
            if re.fullmatch(r"[A-Za-z0-9.\-]+", alt):
                self.add(subject, SKOS.altLabel, Literal(full_width(alt), lang="ja"))
        if record.description:
            self.add(subject, DCTERMS.description, Literal(record.description.en, lang="en"))
            if record.description.ja:
                self.add(subject, DCTERMS.description, Literal(record.description.ja, lang="ja"))
        if record.note:
            self.add(subject, SKOS.editorialNote, Literal(record.note, lang="en"))

    def figure(self, item: Located, subject: URIRef, figure) -> None:
        record = item.record
        node = ID[f"{record.id}/figure/{figure.measure}"]
        for ref in (figure.measure, figure.qualifier):
            if ref not in self.by_id:
                self.problem(item, f"figure refers to unknown record {ref!r}")
        if (subject, AJK.hasFigure, node) in self.triples:
            self.problem(item, f"two figures measure {figure.measure!r}; give each measure once")
        if figure.value is None and figure.period is None:
            self.problem(item, f"figure {figure.measure!r} needs a value or a period")
        if figure.currency and pycountry.currencies.get(alpha_3=figure.currency) is None:
            self.problem(item, f"figure {figure.measure!r}: {figure.currency!r} is not an ISO 4217 currency code")
        if figure.currency and figure.unit:
            self.problem(item, f"figure {figure.measure!r} has both a currency and a unit")
        money = figure.currency is not None
        self.add(subject, AJK.hasFigure, node)
        self.add(node, RDF.type, AJK.Figure)
        self.add(node, RDF.type, SCHEMA.MonetaryAmount if money else SCHEMA.QuantitativeValue)
        self.add(node, AJK.measure, ID[figure.measure])
        self.add(node, AJK.valueQualifier, ID[figure.qualifier])
        if figure.value is not None:
            self.add(node, SCHEMA.value, number(figure.value, money))
        if figure.currency:
            self.add(node, SCHEMA.currency, Literal(figure.currency))
        if figure.unit:
            self.add(node, SCHEMA.unitText, Literal(figure.unit, lang="en"))
        if figure.period:
            self.add(node, AJK.periodDuration, Literal(figure.period, datatype=XSD.duration))
        if figure.year:
            self.add(node, AJK.referenceYear, Literal(figure.year, datatype=XSD.gYear))
        for lang in ("en", "ja"):
            self.add(node, RDFS.label, Literal(self.figure_label(record, figure, lang), lang=lang))
        self.ground(item, node, [figure.quote])

    def figure_label(self, record, figure, lang: str) -> str:
        """'JAIF: projects implemented, at least 570 projects' in English; in Japanese the source's own
        words for the figure: '日・ＡＳＥＡＮ統合基金：実施プロジェクト数「５７０件以上のプロジェクトを実施してきた」'."""
        def name(ref):
            item = self.by_id.get(ref)
            return getattr(item.record.label, lang) if item else ref
        if lang == "ja":
            when = "、".join(x for x in (japanese_period(figure.period), f"{figure.year}年" if figure.year else "") if x)
            return f"{record.label.ja}：{name(figure.measure)}「{figure.quote}」" + (f"（{when}）" if when else "")
        amount = f"{figure.value:,} {figure.currency or figure.unit or ''}".strip() if figure.value is not None else ""
        if figure.qualifier != "exact" and amount:
            amount = f"{name(figure.qualifier)} {amount}"
        extras = ", ".join(x for x in (figure.period, figure.year) if x)
        text = ", ".join(x for x in (amount, extras) if x)
        return f"{record.label.en}: {name(figure.measure)}, {text}"

    def record(self, item: Located) -> None:
        record = item.record
        subject = ID[record.id]
        classes = [self.term(item, name, self.vocab.classes, "a class") for name in record.types]
        for cls in filter(None, classes):
            self.add(subject, RDF.type, cls)
        self.labels(subject, item, concept=SKOS.Concept in self.types_of(record.id))
        for prop_name, target in record.link_targets():
            prop = self.term(item, prop_name, self.vocab.object_properties, "an object property")
            if target not in self.by_id:
                self.problem(item, f"{prop_name} refers to unknown record {target!r}{self.did_you_mean(target)}")
            elif prop is not None:
                self.add(subject, prop, ID[target])
        for prop_name, values in record.values.items():
            prop = self.term(item, prop_name, self.vocab.datatype_properties, "a datatype property")
            for value in record.many(values):
                if prop == AJK.iso3166Alpha2 and pycountry.countries.get(alpha_2=value) is None:
                    self.problem(item, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
                if prop is not None:
                    self.add(subject, prop, typed_literal(value, self.vocab.ranges.get(prop)))
        if record.date:
            self.add(subject, AJK.date, typed_literal(record.date))
            instant = ID[f"{record.id}/time"]
            self.add(subject, TIME.hasTime, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, RDFS.label, Literal(record.date, lang="en"))  # like every entity, named in both
            self.add(instant, RDFS.label, Literal(japanese_date(record.date), lang="ja"))
            self.add(instant, TIME_PROPERTY[len(record.date)], typed_literal(record.date))
        if record.file:
            self.add(subject, AJK.sourceFile, Literal(record.file))
        if not (record.quotes or record.citations or record.heading):
            self.problem(item, "no provenance: give a quote from the source, or cite the source it comes from")
        passages = self.ground(item, subject, record.quotes)
        if record.id in self.heading_spans:
            self.add(subject, PROV.wasDerivedFrom, self.passage(*self.heading_spans[record.id]))
        for cited in record.citations:
            if cited not in self.by_id:
                self.problem(item, f"cites unknown record {cited!r}")
            elif not self.types_of(cited) & SOURCE_TYPES:
                self.problem(item, f"cites {cited!r}, which is not a source document or web page")
            else:
                self.add(subject, PROV.wasDerivedFrom, ID[cited])
        made_elsewhere = "madeDuring" in record.links or record.date is not None
        if AJK.Statement in self.types_of(record.id) and not made_elsewhere and len(passages) == len(record.quotes):
            self.place_statement(item, subject, passages)
        for figure in record.figures:
            self.figure(item, subject, figure)

    def place_statement(self, item: Located, subject: URIRef, passages: list[URIRef]) -> None:
        """A statement was made in the agenda item its passage stands under."""
        items = {o for p in passages for o in self.agenda_items[p]}
        if len(items) == 1:
            self.add(subject, AJK.madeDuring, items.pop())
        else:
            self.problem(item, "cannot tell the agenda item from the quote; add links: {madeDuring: ...}")

    def run(self) -> set:
        self.index()
        self.load_sources()
        self.headings()
        for item in self.records:
            self.record(item)
        if self.problems:
            raise DataError(self.problems)
        return self.triples


def assert_records(records: list[Located], ontology: Graph, texts: dict[str, Path]) -> set:
    """The instance data as a set of RDF triples; raises DataError naming every bad record. `texts`: document id -> source text."""
    return Asserter(records, ontology, texts).run()
