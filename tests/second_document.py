"""A second document beside the summit's readout, for the multi-document tests."""
from __future__ import annotations

from pathlib import Path

from kg.corpus import pin

# A sentence the summit document also contains: in a document's own records it is not ambiguous.
SHARED_SENTENCE = "この信頼を次世代に繋いでいきたい"
SECOND_TEXT = f"日ＡＳＥＡＮ外相会議の概要\n上川大臣から、{SHARED_SENTENCE}と述べた。\nＡＯＩＰへの支持を改めて表明した。\n"
SECOND_DOCUMENT = """- id: second-readout
  type: SourceDocument
  label: {ja: 日ＡＳＥＡＮ外相会議の概要, en: Summary of an ASEAN-Japan foreign ministers' meeting}
  description: {en: A fixture document for the multi-document tests.}
  file: readout.ja.txt
  cite: mofa-readout
"""
SECOND_FACTS = f"""- id: s-second-trust
  type: Statement
  label: {{ja: 信頼を次世代に, en: Trust passed on to the next generation}}
  date: "2024-07-26"
  links: {{speaker: kishida-fumio, onBehalfOf: japan, statementKind: intent-to-cooperate, about: asean}}
  quote: {SHARED_SENTENCE}
- id: s-second-aoip
  type: Statement
  label: {{ja: ＡＯＩＰへの支持, en: "Support for the AOIP, again"}}
  date: "2024-07-26"
  links: {{speaker: kishida-fumio, onBehalfOf: japan, statementKind: supported, about: aoip}}
  quote: ＡＯＩＰへの支持を改めて表明した
"""


def add_document(documents: Path, name: str = "second-readout", text: str = SECOND_TEXT,
                 document: str = SECOND_DOCUMENT, facts: str = SECOND_FACTS) -> Path:
    folder = documents / name
    folder.mkdir()
    (folder / "readout.ja.txt").write_text(text, encoding="utf-8")
    pin(folder / "readout.ja.txt")
    (folder / "document.yaml").write_text(document, encoding="utf-8")
    (folder / "statements.yaml").write_text(facts, encoding="utf-8")
    return folder
