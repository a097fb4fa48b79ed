"""Write a synthetic corpus: the real shared records and summit document, plus N seeded readouts.

Each synthetic readout looks like a real one: its own source text, statements by the real leaders
(Kishida, the ASEAN side ...) about the real frameworks, themes and initiatives and about new
initiatives of its own, with figures, every fact quoting its text. Same seed, same files.

    python bench/corpus.py --documents 100 --out build/corpus-100
    kg build --records build/corpus-100/records --documents build/corpus-100/documents --out build/corpus-100/dist
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg import paths  # noqa: E402
from kg.corpus import load_corpus, pin  # noqa: E402
from kg.grounding import fold  # noqa: E402

SEED = 20231217
STATEMENTS_PER_DOCUMENT = 24
INITIATIVES_PER_DOCUMENT = 4
KINDS = ["stated", "emphasised", "announced", "proposed", "intent-to-cooperate", "supported", "welcomed",
         "appreciated", "expressed-expectation", "expressed-concern", "requested", "agreed"]
INITIATIVE_TYPES = ["Fund", "Programme", "ExchangeProgramme", "Plan", "CooperationScheme", "FinancingFacility"]
VERBS = {"stated": "述べた", "emphasised": "強調した", "announced": "発表した", "proposed": "提案した",
         "intent-to-cooperate": "協力していきたいと述べた", "supported": "支持を表明した", "welcomed": "歓迎した",
         "appreciated": "謝意を表明した", "expressed-expectation": "期待を表明した",
         "expressed-concern": "懸念を表明した", "requested": "要請した", "agreed": "一致した"}


def shared_pools(corpus) -> dict[str, list]:
    """Ids of the real records a synthetic readout may speak about, by role."""
    pools: dict[str, list] = {"speaker": ["kishida-fumio", "asean-countries", "joko-widodo"], "about": [], "theme": []}
    for item in corpus.records:
        types = set(item.record.types)
        if "PolicyTheme" in types:
            pools["theme"].append(item.record.id)
            pools["about"].append(item.record.id)
        if types & {"Framework", "PolicyVision", "Treaty", "Initiative", "Fund", "Programme", "ExchangeProgramme",
                    "Plan", "CooperationScheme", "FinancingFacility", "Pledge", "Situation", "State"}:
            pools["about"].append(item.record.id)
    return {k: sorted(set(v)) for k, v in pools.items()}


def readout(index: int, rng: random.Random, pools: dict) -> tuple[str, list, list]:
    """One readout: its text, its document record and its facts."""
    doc = f"synthetic-readout-{index:04d}"
    day = f"20{24 + index % 3}-{1 + index % 12:02d}-{1 + index % 28:02d}"
    title = f"合成会合第{index}号の概要"
    lines, facts = [title], []
    initiatives = []
    for j in range(INITIATIVES_PER_DOCUMENT):
        rid = f"{doc}-initiative-{j}"
        amount = rng.randrange(1, 900) * 100_000_000
        name = f"合成イニシアティブ{index}の{j}"
        sentence = f"{name}を立ち上げ、{amount:,}円規模の支援を行う（第{index}号第{j}項）"
        lines.append(sentence + "。")
        initiatives.append(rid)
        facts.append({
            "id": rid, "type": rng.choice(INITIATIVE_TYPES),
            "label": {"ja": name, "en": f"Synthetic initiative {index}.{j}"},
            "description": {"en": f"A synthetic initiative of readout {index}, for benchmarks."},
            "date": day,
            "links": {"launchedBy": "japan", "theme": rng.sample(pools["theme"], 2)},
            "quote": f"{name}を立ち上げ",
            "figures": [{"measure": "budget", "value": amount, "currency": "JPY", "qualifier": "scale-of",
                         "quote": f"{amount:,}円規模の支援を行う（第{index}号第{j}項）"}],
        })
    for k in range(STATEMENTS_PER_DOCUMENT):
        kind = rng.choice(KINDS)
        speaker = rng.choice(pools["speaker"])
        about = sorted(set(rng.sample(pools["about"], 2) + [rng.choice(initiatives)]))
        # Entities are named by id: their Japanese labels are quotes of the summit text.
        topic = "、".join(f"〔{a}〕" for a in about[:2])
        sentence = f"第{index}号第{k}発言として、{topic}について{VERBS[kind]}"
        lines.append(sentence + "。")
        facts.append({
            "id": f"{doc}-statement-{k}", "type": "Statement",
            "label": {"ja": f"合成発言{index}の{k}", "en": f"Synthetic statement {index}.{k}"},
            "date": day,
            "links": {"speaker": speaker, "onBehalfOf": "japan" if speaker == "kishida-fumio" else "asean",
                      "statementKind": kind, "about": about, "theme": rng.choice(pools["theme"])},
            "quote": sentence,
        })
    document = [{
        "id": doc, "type": "SourceDocument",
        "label": {"ja": title, "en": f"Summary of synthetic meeting {index}"},
        "description": {"en": "A synthetic readout generated for benchmarks."},
        "file": "text.ja.txt", "cite": "mofa-readout",  # as the tests' second document: a document cites, never quotes itself
    }]
    return "\n".join(lines) + "\n", document, facts


def write(path: Path, records: list) -> None:
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def generate(count: int, out: Path, seed: int = SEED) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(paths.RECORDS, out / "records")
    shutil.copytree(paths.DOCUMENTS, out / "documents")
    corpus = load_corpus(paths.RECORDS, paths.DOCUMENTS)
    pools = shared_pools(corpus)
    # Shared records' quotes must stay unique across documents: no synthetic text may contain one.
    shared_quotes = {fold(q) for i in corpus.records if i.document is None for q in i.record.quotes + [i.record.heading or ""] if q}
    rng = random.Random(seed)
    for index in range(1, count + 1):
        text, document, facts = readout(index, rng, pools)
        clash = [q for q in shared_quotes if q in fold(text)]
        if clash:
            raise ValueError(f"synthetic readout {index} contains a shared quote {clash[0]!r}; change the templates")
        folder = out / "documents" / document[0]["id"]
        folder.mkdir()
        (folder / "text.ja.txt").write_text(text, encoding="utf-8")
        pin(folder / "text.ja.txt")
        write(folder / "document.yaml", document)
        write(folder / "facts.yaml", facts)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, required=True, help="synthetic readouts to write")
    parser.add_argument("--out", type=Path, required=True, help="folder to write records/ and documents/ into (replaced)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate(args.documents, args.out, args.seed)
    real = sum(1 for folder in paths.DOCUMENTS.iterdir() if folder.is_dir())
    print(f"{args.documents} synthetic readouts + the {real} document(s) of {paths.DOCUMENTS.relative_to(paths.ROOT)} "
          f"in {args.out}")


if __name__ == "__main__":
    main()
