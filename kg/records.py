"""Curated records: YAML files under kg/data/records, validated by typed models.

Every record describes one resource (an actor, framework, initiative, theme, event, statement ...).
Relations and literal values are keyed by ontology property names, so a curator adds facts by
editing YAML only; the build checks the names against the ontology.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Union

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, field_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
OneOrMany = Union[str, list[str]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the curated data, located for the curator."""

    file: str
    record: str  # "-" for a problem with the file as a whole
    message: str

    def __str__(self) -> str:
        where = self.file if self.record == "-" else f"{self.file}: record {self.record}"
        return f"{where}: {self.message}"


class DataError(Exception):
    """The curated data has problems; str() lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _clean_text(value: str) -> str:
    if value != value.strip() or "  " in value or "\n" in value:
        raise ValueError("text must not have leading/trailing white space, double spaces or line breaks")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Labels(Strict):
    ja: Text
    en: Text

    _clean = field_validator("ja", "en")(_clean_text)


class AltLabels(Strict):
    ja: list[Text] = []
    en: list[Text] = []


class Description(Strict):
    en: Text
    ja: Text | None = None


class Figure(Strict):
    """A number the source gives: money (value + currency), a quantity (value + unit), a duration."""

    measure: RecordId
    value: Decimal | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    unit: Text | None = None
    qualifier: RecordId = "exact"
    period: Annotated[str, StringConstraints(pattern=r"^P(\d+Y)?(\d+M)?(\d+D)?$")] | None = None
    year: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] | None = None
    quote: Text

    @field_validator("value", mode="before")
    @classmethod
    def _plain_number(cls, value):
        if value is not None and not re.fullmatch(r"\d+(\.\d+)?", str(value)):
            raise ValueError("write the number plainly, e.g. 40000000000 or 2.8")
        return value


class Record(Strict):
    id: RecordId
    type: OneOrMany
    label: Labels
    alt: AltLabels = AltLabels()
    description: Description | None = None
    links: dict[str, OneOrMany] = {}
    values: dict[str, OneOrMany] = {}
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    figures: list[Figure] = []
    quote: OneOrMany | None = None
    cite: OneOrMany | None = None
    heading: Text | None = None
    file: Text | None = None
    note: Text | None = None

    @staticmethod
    def many(value: OneOrMany | None) -> list[str]:
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)

    @property
    def types(self) -> list[str]:
        return self.many(self.type)

    @property
    def quotes(self) -> list[str]:
        return self.many(self.quote)

    @property
    def citations(self) -> list[str]:
        return self.many(self.cite)

    def link_targets(self) -> list[tuple[str, str]]:
        return [(prop, target) for prop, targets in self.links.items() for target in self.many(targets)]


@dataclass(frozen=True)
class Located:
    """A validated record and where it was written."""

    record: Record
    file: str
    line: int
    document: str | None = None  # the document whose text its quotes are in; None: shared (kg/corpus.py)

    @property
    def where(self) -> str:
        return f"{self.record.id!r} (line {self.line})"


class _LineLoader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):  # libyaml's parser when there
    """Keeps every scalar a string (no YAML 1.1 surprises: 'no' stays 'no', 2023-03 stays text)
    and remembers the line each mapping starts on."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_file(path: Path, display: str) -> tuple[list[Located], list[Problem]]:
    """Parse and validate one YAML file of records."""
    try:
        with path.open(encoding="utf-8") as stream:  # a stream, so YAML errors name the file
            raw = yaml.load(stream, Loader=_LineLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return [], [Problem(display, "-", f"not valid YAML: {error}")]
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [Problem(display, "-", "the file must be a YAML list of records")]
    located, problems = [], []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(display, f"#{index}", "a record must be a mapping"))
            continue
        line = item.get("__line__", 0)
        name = f"{item.get('id', f'#{index}')!r} (line {line})"
        try:
            record = Record.model_validate(_strip_lines(item))
        except ValidationError as error:
            for detail in error.errors():
                place = ".".join(str(p) for p in detail["loc"]) or "record"
                hint = " (an unquoted comma inside {...}? quote the text)" if detail["type"] == "extra_forbidden" else ""
                problems.append(Problem(display, name, f"{place}: {detail['msg']}{hint}"))
            continue
        located.append(Located(record, display, line))
    return located, problems


def load_records(directory: Path, root: Path | None = None) -> list[Located]:
    """Every record under `directory` (*.yaml, in name order); raises DataError listing all problems."""
    located, problems = [], []
    for path in sorted(directory.glob("*.yaml")):
        display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        more, trouble = load_file(path, display)
        located += more
        problems += trouble
    if problems:
        raise DataError(problems)
    return located
