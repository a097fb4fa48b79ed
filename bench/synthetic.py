"""Seeded synthetic analysis graphs shaped like the summit graph, for the viewer benchmark.

Same node and edge attributes as kg.projection's analysis graph (so the viewer renders them as it
renders the real one), a scale-free structure (preferential attachment, about 2.4 edges per node as
in the summit graph), and the summit graph's mix of node kinds and relation types.
"""
from __future__ import annotations

import random

import networkx as nx

from kg.namespaces import ID

# (kind, class, weight) roughly as in the summit graph
CLASSES = (
    ("theme", "PolicyTheme", 61), ("actor", "State", 17), ("actor", "Person", 15),
    ("actor", "InternationalOrganisation", 7), ("initiative", "ExchangeProgramme", 10),
    ("initiative", "Programme", 8), ("initiative", "Plan", 4), ("initiative", "CooperationScheme", 4),
    ("framework", "PolicyVision", 5), ("framework", "Treaty", 4), ("event", "AgendaItem", 7),
    ("event", "HistoricalEvent", 6), ("situation", "Situation", 11), ("place", "Region", 5),
)
RELATIONS = (  # (relation, predicate, en, ja, weight)
    ("relation", "ajk:theme", "theme", "政策分野", 94), ("relation", "skos:broader", "broader theme", "上位分野", 55),
    ("relation", "ajk:launchedBy", "launched by", "立ち上げ主体", 24), ("statement", "ajk:about", "announced", "表明", 60),
    ("statement", "ajk:about", "expressed intent to cooperate", "協力の意向", 40),
    ("participation", "ajk:representing", "represented", "代表", 14),
)
AGENDA = [str(ID[f"agenda-{i}"]) for i in range(1, 5)]


def synthetic_graph(nodes: int, seed: int = 20231217) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    shape = nx.barabasi_albert_graph(nodes, 2, seed=seed)
    extra = nx.gnm_random_graph(nodes, nodes // 2, seed=seed + 1)  # some links outside the hubs
    graph = nx.MultiDiGraph()
    kinds = rng.choices(CLASSES, weights=[c[2] for c in CLASSES], k=nodes)
    themes = [i for i, (kind, _, _) in enumerate(kinds) if kind == "theme"] or [0]
    for i, (kind, cls, _) in enumerate(kinds):
        iri = str(ID[f"synthetic-{i:05d}"])
        graph.add_node(iri, iri=iri, curie=f"id:synthetic-{i:05d}", kind=kind, cls=cls,
                       label_en=f"{cls} {i}", label_ja=f"要素{i}（{kind}）", alt_labels=[f"S{i}"],
                       description_en=f"Synthetic {cls.lower()} number {i}.", description_ja=None, date=None,
                       figures=[], passages=[], agenda=sorted(rng.sample(AGENDA, rng.randint(0, 2))),
                       themes=sorted({str(ID[f"synthetic-{rng.choice(themes):05d}"])}))
    pairs = sorted({(max(u, v), min(u, v)) for u, v in shape.edges} | {(u, v) for u, v in extra.edges if u != v})
    for n, (u, v) in enumerate(pairs):
        relation, predicate, en, ja, _ = rng.choices(RELATIONS, weights=[r[4] for r in RELATIONS])[0]
        source, target = str(ID[f"synthetic-{u:05d}"]), str(ID[f"synthetic-{v:05d}"])
        attributes = {"relation": relation, "predicate": predicate, "label_en": en, "label_ja": ja, "passages": []}
        if relation == "statement":
            attributes.update(statement=str(ID[f"s-{n}"]), statement_kind=None, statement_en=f"Statement {n}",
                              statement_ja=f"発言{n}", themes=[], agenda=rng.choice(AGENDA))
        graph.add_edge(source, target, key=f"{predicate}>{n}", **attributes)
    return graph
