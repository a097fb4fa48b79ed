"""The named SPARQL queries (queries/*.rq), each checked against the real built graph.

The expected answers come from the source text (kg/data/sources/...session-summaries.ja.txt)
and the context facts of the parent MOFA readout (see the source notes), not from what the
queries happen to print today: each test should fail if the data or the query were wrong.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg import paths
from kg.namespaces import AJK, ID
from kg.queries import named_queries, rows, run, with_prologue

NAMED = named_queries()
SOURCE = (paths.DOCUMENTS / "mofa-session-summaries" / "summit-2023-12-17-session-summaries.ja.txt").read_text(encoding="utf-8")
JAPANESE = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u4e00-\u9fff]")  # hiragana, katakana, kanji

AGENDA_2 = "Agenda 2: Partners for peace and stability; regional and international situations"
AGENDA_4 = "Agenda 4: Partners in co-creating the economies and societies of the future"
ASEAN_SIDE = "ASEAN countries (collectively)"


def answer(graph: Graph, name: str, **bindings: str) -> list[dict[str, str]]:
    """Rows of a named query; keyword arguments bind its parameters to ids (e.g. theme="theme-x")."""
    text = NAMED[name].text
    if not bindings:
        return rows(run(graph, text))
    init = {var: URIRef(ID[local]) for var, local in bindings.items()}
    return rows(graph.query(with_prologue(text), initBindings=init))


def squash(text: str) -> str:
    """Without any white space: the source breaks lines (and pages) in the middle of words."""
    return re.sub(r"\s+", "", text)


def in_source(passage: str) -> bool:
    return bool(squash(passage)) and squash(passage) in squash(SOURCE)


def column(result: list[dict[str, str]], name: str) -> set[str]:
    return {row[name] for row in result}


def statements(graph: Graph) -> set[str]:
    return {f"id:{s[len(ID):]}" for s in graph.subjects(RDF.type, AJK.Statement)}


# --- The query files themselves -----------------------------------------------------------------

def test_named_queries_have_english_and_japanese_questions():
    assert len(NAMED) >= 15, sorted(NAMED)
    for name, query in NAMED.items():
        assert query.question_en.strip(), f"{name}: empty '# Q:' header"
        assert query.question_ja.strip(), f"{name}: empty '# 問:' header"
        assert JAPANESE.search(query.question_ja), f"{name}: the '# 問:' header has no Japanese: {query.question_ja!r}"
        assert "SELECT" in query.text.upper() or "ASK" in query.text.upper(), name


# --- One test per named query -------------------------------------------------------------------

def test_agenda_themes(kg_graph):
    result = answer(kg_graph, "agenda-themes")
    counts = {(r["agenda"], r["theme"]): int(r["statements"]) for r in result}
    assert len(counts) == len(result), "each (agenda item, theme) pair once"
    themes = defaultdict(set)
    for agenda, theme in counts:
        themes[agenda].add(theme)
    assert {"id:opening", "id:agenda-1", "id:agenda-2", "id:agenda-3", "id:agenda-4"} <= set(themes)
    # The agenda items' own themes, from their headings.
    assert "id:theme-asean-japan-relations" in themes["id:agenda-1"]
    assert {"id:theme-peace-and-stability", "id:theme-regional-and-international-situations"} <= themes["id:agenda-2"]
    assert "id:theme-people-to-people" in themes["id:agenda-3"]
    assert "id:theme-economy-and-society" in themes["id:agenda-4"]
    # The themes of what was said in them.
    assert {"id:theme-nuclear-disarmament", "id:theme-wps", "id:theme-cybersecurity", "id:theme-defence-cooperation",
            "id:theme-maritime-cooperation", "id:theme-transnational-crime"} <= themes["id:agenda-2"]
    assert {"id:theme-youth-exchange", "id:theme-tourism", "id:theme-sports", "id:theme-culture"} <= themes["id:agenda-3"]
    assert {"id:theme-climate-change", "id:theme-digital-economy", "id:theme-automotive-industry",
            "id:theme-msme-and-startups", "id:theme-supply-chains"} <= themes["id:agenda-4"]
    # ... and not those of other agenda items.
    assert "id:theme-climate-change" not in themes["id:agenda-3"]
    assert "id:theme-tourism" not in themes["id:agenda-2"]
    assert "id:theme-cybersecurity" not in themes["id:opening"]
    # Cybersecurity: Kishida's list of fields and the ASEAN side's expectation, both in agenda 2.
    assert counts[("id:agenda-2", "id:theme-cybersecurity")] == 2
    # Climate change in agenda 4: Kishida's shared challenges, the ASEAN side's expectations and the
    # climate measures of the 35-billion-dollar pledge.
    assert counts[("id:agenda-4", "id:theme-climate-change")] == 3


def test_aoip_supporters(kg_graph):
    result = answer(kg_graph, "aoip-supporters")
    assert column(result, "supporter") == {"id:japan", "id:asean-countries"}
    japan = {(r["kind_en"], r["statement"]) for r in result if r["supporter"] == "id:japan"}
    assert ("supported", "id:s-a1-kishida-supports-aoip") in japan  # 一貫して強く支持
    assert ("expressed intent to cooperate", "id:s-a1-kishida-mainstream-aoip") in japan  # 主流化を引き続き後押し
    assert {r["agenda_en"] for r in result if r["supporter"] == "id:japan"} == {
        "Agenda 1: Review of ASEAN-Japan relations"}
    # ＡＯＩＰとＦＯＩＰが地域の平和と安定のために重要である (agenda 2)
    asean = [r for r in result if r["supporter"] == "id:asean-countries"]
    assert {r["statement"] for r in asean} >= {"id:s-a2-asean-aoip-foip"}
    assert {r["agenda_en"] for r in asean} == {AGENDA_2}


def test_asean_members_attendance(kg_graph):
    result = answer(kg_graph, "asean-members-attendance")
    leaders = {r["state"]: r["leader_en"] for r in result}
    assert len(result) == 10, "one row per member state"
    assert leaders == {
        "id:brunei": "Hassanal Bolkiah",
        "id:cambodia": "Hun Manet",
        "id:indonesia": "Joko Widodo",
        "id:lao-pdr": "Sonexay Siphandone",
        "id:malaysia": "Anwar Ibrahim",
        "id:myanmar": "",  # not in the list of attendees
        "id:philippines": "Ferdinand R. Marcos Jr.",
        "id:singapore": "Lee Hsien Loong",
        "id:thailand": "Srettha Thavisin",
        "id:viet-nam": "Pham Minh Chinh",
    }
    assert all(r["state_en"] and JAPANESE.search(r["state_ja"]) for r in result)
    assert "id:timor-leste" not in leaders  # an observer, not a member state


def test_asean_side(kg_graph):
    result = answer(kg_graph, "asean-side")
    said = {(r["kind_en"], r["agenda_en"].split(":")[0], r["about_en"]) for r in result}
    assert ("expressed appreciation", "Agenda 2", "ASEAN Outlook on the Indo-Pacific") in said  # 支持への謝意
    assert ("expressed appreciation", "Agenda 4", "Japan") in said  # 日本の貢献に対する謝意
    assert ("expressed concern", "Agenda 2", "Situation of concern in the East and South China Seas") in said
    assert ("condemned", "Agenda 2", "North Korea's missile launches") in said  # ミサイル発射への非難
    assert ("expressed expectation", "Agenda 1", "ASEAN-Japan relations") in said
    assert ("expressed expectation", "Agenda 3", "Next Generation Co-Creation Partnership: WA of Culture 2.0") in said
    for about in ("Asia Zero Emission Community", "ASEAN-Japan MIDORI Cooperation Plan",
                  "Japan-ASEAN Comprehensive Connectivity Initiative"):
        assert ("expressed expectation", "Agenda 4", about) in said
    assert ("stated", "Agenda 2", "Situation in Myanmar") in said  # 「５つのコンセンサス」による解決に向けた努力
    # The ASEAN side spoke in agenda items 1 to 4 only, never in the opening.
    assert {agenda for _, agenda, _ in said} == {"Agenda 1", "Agenda 2", "Agenda 3", "Agenda 4"}
    assert all(r["about_en"] and r["about_ja"] for r in result)


def test_cameo_events(kg_graph):
    result = answer(kg_graph, "cameo-events")
    assert all(re.fullmatch(r"\d{3}", r["cameo"]) for r in result), {r["cameo"] for r in result}
    assert {r["source_iso"] for r in result if r["source_actor"] == "Japan"} == {"JP"}
    assert {r["source_iso"] for r in result if r["source_actor"] == "Indonesia"} == {"ID"}
    assert {r["source_iso"] for r in result if r["source_actor"] == ASEAN_SIDE} == {""}
    events = {(r["statement"], r["source_actor"], r["cameo"], r["target"], r["target_iso"]) for r in result}
    assert ("id:s-a2-asean-condemn-missiles", ASEAN_SIDE, "111", "North Korea", "KP") in events
    assert ("id:s-a2-kishida-concern-myanmar", "Japan", "012", "Situation in Myanmar", "") in events
    assert ("id:s-a2-kishida-abductions", "Japan", "020", "Abductions issue", "") in events
    assert ("id:s-a1-kishida-supports-aoip", "Japan", "051", "ASEAN Outlook on the Indo-Pacific", "") in events
    assert ("id:s-opening-joko-reliable-partner", "Indonesia", "051", "Japan", "JP") in events
    dates = {r["statement"]: r["date"] for r in result}
    assert dates["id:s-a2-kishida-concern-myanmar"] == "2023-12-17"
    assert dates["id:s-other-timor-leste"] == "2023-12-17"  # under other matters, after agenda 4
    # Every statement is an event, including one made at another time that carries its own date:
    # Prime Minister Fukuda's goal of 1977, recalled by Kishida in agenda 3.
    assert set(dates) == statements(kg_graph), sorted(statements(kg_graph) - set(dates))
    assert dates["id:s-1977-fukuda-heart-to-heart"] == "1977"


def test_concerns(kg_graph):
    result = answer(kg_graph, "concerns")
    said = {(r["speaker_en"], r["kind_en"], r["about"]) for r in result}
    for situation in ("myanmar-situation", "east-china-sea-situation", "south-china-sea-situation",
                      "north-korea-nuclear-missile"):  # 〜を深刻に懸念すること
        assert ("KISHIDA Fumio", "expressed concern", f"id:{situation}") in said
    assert (ASEAN_SIDE, "expressed concern", "id:east-and-south-china-seas-situation") in said  # 懸念すべき状況
    assert (ASEAN_SIDE, "condemned", "id:north-korea-missile-launches") in said  # ミサイル発射への非難
    # Only the ASEAN side condemned, and only North Korea.
    condemned = {(speaker, about) for speaker, kind, about in said if kind == "condemned"}
    assert {speaker for speaker, _ in condemned} == {ASEAN_SIDE}
    assert {about for _, about in condemned} <= {"id:north-korea-missile-launches", "id:north-korea"}
    # The ASEAN side referred to Myanmar (the Five-Point Consensus); it did not voice concern.
    assert (ASEAN_SIDE, "expressed concern", "id:myanmar-situation") not in said
    # All of it about the regional and international situations, in agenda 2.
    situations = {"id:myanmar-situation", "id:east-china-sea-situation", "id:south-china-sea-situation",
                  "id:north-korea-nuclear-missile", "id:north-korea-missile-launches", "id:north-korea",
                  "id:east-and-south-china-seas-situation"}
    assert {r["agenda_en"] for r in result if r["about"] in situations} == {AGENDA_2}


def test_exchange_programmes(kg_graph):
    result = answer(kg_graph, "exchange-programmes")
    figures = {r["programme"]: r["figures"].replace(",", "") for r in result}
    assert set(figures) == {f"id:{p}" for p in (
        # The programmes Kishida cited with their numbers of participants ...
        "jenesys", "nihongo-partners", "ship-for-youth", "asia-kakehashi-project", "sakura-science-program",
        "government-scholarship-students",
        # ... and the new ones he announced.
        "next-generation-co-creation-partnership", "young-business-leaders-exchange",
        "study-and-dispatch-programmes", "joint-research-programme")}
    assert len(result) == len(figures)
    partnership = figures["id:next-generation-co-creation-partnership"]
    assert "budget" in partnership and "40000000000" in partnership and "JPY" in partnership  # ４００億円規模
    assert "beneficiaries" in partnership and "10000000 persons" in partnership  # １千万人以上が受益
    assert "duration" in partnership and "P10Y" in partnership  # 今後１０年間
    assert "budget" in figures["id:joint-research-programme"] and "15000000000" in figures["id:joint-research-programme"]
    # The source mentions the participants' numbers of the existing programmes but does not give them.
    for programme in ("jenesys", "nihongo-partners", "ship-for-youth", "asia-kakehashi-project",
                      "sakura-science-program", "government-scholarship-students"):
        assert figures[f"id:{programme}"] == "", programme
    assert result[0]["programme"] == "id:next-generation-co-creation-partnership"  # the most figures first


def test_figures(kg_graph):
    result = answer(kg_graph, "figures")
    # of, measure, value, unit or currency, qualifier, period, year, and the number as the source writes it.
    expected = {
        ("id:jaif", "projects implemented", Decimal(570), "projects", "at least", "", "", "５７０件以上"),
        ("id:fiftieth-anniversary-projects", "events held", Decimal(470), "events", "exactly", "", "2023", "４７０件"),
        ("id:next-generation-co-creation-partnership", "budget", Decimal(40_000_000_000), "JPY", "on the scale of",
         "", "", "４００億円規模"),
        ("id:next-generation-co-creation-partnership", "beneficiaries", Decimal(10_000_000), "persons", "at least",
         "", "", "１千万人以上"),
        ("id:next-generation-co-creation-partnership", "duration", None, "", "exactly", "P10Y", "", "１０年間"),
        ("id:joint-research-programme", "budget", Decimal(15_000_000_000), "JPY", "approximately", "", "",
         "約１５０億円"),
        ("id:japan-direct-investment-in-asean", "direct investment", Decimal(2_800_000_000_000), "JPY",
         "approximately", "P1Y", "", "約２．８兆円"),
        ("id:japan-direct-investment-in-asean", "rank as a source of inward direct investment", Decimal(2), "rank",
         "exactly", "", "", "第二"),
        ("id:japanese-companies-in-asean", "business establishments", Decimal(15_000), "establishments",
         "approximately", "", "", "約１．５万"),
        ("id:japanese-nationals-in-asean", "residents", Decimal(200_000), "persons", "approximately", "", "",
         "約２０万人"),
        ("id:asean-gdp", "world GDP rank", Decimal(5), "rank", "exactly", "", "2022", "第５位"),
        ("id:finance-mobilisation-pledge", "financing target", Decimal(35_000_000_000), "USD", "at least", "P5Y", "",
         "３５０億ドル以上"),
    }
    got = set()
    for r in result:
        token = next((e[-1] for e in expected if (e[0], e[1]) == (r["of"], r["measure_en"])), None)
        assert token is not None, f"a figure the source does not give: {r}"
        assert in_source(r["passage"]), r["passage"]
        assert token in squash(r["passage"]), (token, r["passage"])
        value = Decimal(r["value"]) if r["value"] else None
        got.add((r["of"], r["measure_en"], value, r["unit"], r["qualifier_en"], r["period"], r["year"], token))
    assert len(result) == len(expected)
    assert got == expected


def test_initiatives_by_theme(kg_graph):
    default = answer(kg_graph, "initiatives-by-theme")  # climate change
    climate = {"id:theme-climate-change", "id:theme-clean-energy", "id:theme-energy-transition"}
    assert column(default, "initiative") == {
        "id:space",  # 日ＡＳＥＡＮ気候環境戦略プログラム
        "id:midori-cooperation-plan",
        "id:finance-mobilisation-pledge",  # ... アジア・ゼロエミッション共同体構想の実現を含む気候変動対策
    }
    assert column(default, "via_theme") <= climate

    economy = answer(kg_graph, "initiatives-by-theme", theme="theme-economy-and-society")
    found = column(economy, "initiative")
    assert column(default, "initiative") < found
    assert {"id:jica-adb-infrastructure-mechanism", "id:comprehensive-connectivity-initiative",
            "id:automotive-co-creation-initiative", "id:emergency-financing-facility", "id:jaif"} <= found
    assert not found & {"id:jenesys", "id:next-generation-co-creation-partnership"}  # people-to-people
    under_economy = {f"id:{t[len(ID):]}" for t in kg_graph.transitive_subjects(SKOS.broader, ID["theme-economy-and-society"])}
    assert column(economy, "via_theme") <= under_economy
    assert ("id:jica-adb-infrastructure-mechanism", "id:theme-quality-infrastructure") in {
        (r["initiative"], r["via_theme"]) for r in economy}

    people = column(answer(kg_graph, "initiatives-by-theme", theme="theme-people-to-people"), "initiative")
    assert {"id:next-generation-co-creation-partnership", "id:jenesys", "id:joint-research-programme"} <= people
    assert "id:space" not in people


def test_japan_initiatives(kg_graph):
    result = answer(kg_graph, "japan-initiatives")
    by_id = {r["initiative"]: r for r in result}
    assert len(by_id) == len(result), Counter(r["initiative"] for r in result).most_common(3)
    partnership = by_id["id:next-generation-co-creation-partnership"]
    assert partnership["type"] == "ExchangeProgramme" and partnership["date"] == "2023-12-17"
    assert (Decimal(partnership["amount"]), partnership["currency"], partnership["amount_qualifier"]) == (
        Decimal(40_000_000_000), "JPY", "on the scale of")
    assert (int(partnership["beneficiaries"]), partnership["beneficiaries_qualifier"]) == (10_000_000, "at least")
    assert partnership["duration"] == "P10Y"
    research = by_id["id:joint-research-programme"]
    assert (Decimal(research["amount"]), research["currency"], research["amount_qualifier"]) == (
        Decimal(15_000_000_000), "JPY", "approximately")
    pledge = by_id["id:finance-mobilisation-pledge"]
    assert (pledge["type"], Decimal(pledge["amount"]), pledge["currency"], pledge["amount_qualifier"],
            pledge["duration"]) == ("Pledge", Decimal(35_000_000_000), "USD", "at least", "P5Y")
    assert by_id["id:foip-new-plan"]["date"] == "2023-03"  # 本年３月
    assert by_id["id:comprehensive-connectivity-initiative"]["date"] == "2023-09"  # ９月
    assert by_id["id:jica-adb-infrastructure-mechanism"]["type"] == "FinancingFacility"
    assert {"id:emergency-financing-facility", "id:automotive-co-creation-initiative",
            "id:official-security-assistance", "id:jaif", "id:jenesys"} <= set(by_id)
    # Launched at the ministers' meetings, not by Japan alone.
    assert "id:tourism-ministers-initiatives" not in by_id
    # Money first.
    assert [bool(r["amount"]) for r in result] == sorted((bool(r["amount"]) for r in result), reverse=True)
    assert sum(bool(r["amount"]) for r in result) == 3


def test_japan_supported_frameworks(kg_graph):
    result = answer(kg_graph, "japan-supported-frameworks")
    how = {(r["framework"], r["how"], r["evidence"]) for r in result}
    assert ("id:aoip", "statement: supported", "id:s-a1-kishida-supports-aoip") in how
    assert ("id:aoip", "statement: expressed intent to cooperate", "id:s-a1-kishida-mainstream-aoip") in how
    # ９月にはＡＯＩＰの優先協力分野である連結性を強化すべく、「日ＡＳＥＡＮ包括的連結性イニシアティブ」を発表
    assert ("id:aoip", "initiative contributesTo", "id:comprehensive-connectivity-initiative") in how
    assert ("id:foip", "initiative basedOn", "id:foip-new-plan") in how
    assert ("id:azec", "initiative contributesTo", "id:finance-mobilisation-pledge") in how
    assert ("id:hiroshima-action-plan", "statement: expressed intent to cooperate",
            "id:s-a2-kishida-security-fields") in how
    assert ("id:development-cooperation-charter", "initiative basedOn", "id:offer-type-cooperation") in how
    frameworks = column(result, "framework")
    assert {"id:aoip", "id:foip", "id:azec", "id:hiroshima-action-plan", "id:development-cooperation-charter"} <= frameworks
    # The ASEAN side's own frameworks: Japan neither spoke in their support nor built on them.
    assert not frameworks & {"id:five-point-consensus", "id:code-of-conduct"}


def test_money_per_currency(kg_graph):
    result = answer(kg_graph, "money-per-currency")
    totals = {r["currency"]: (Decimal(r["total"]), int(r["initiatives"])) for r in result}
    assert totals == {
        "JPY": (Decimal(55_000_000_000), 2),  # ４００億円規模 + 約１５０億円
        "USD": (Decimal(35_000_000_000), 1),  # ３５０億ドル以上
    }
    jpy = next(r["breakdown"] for r in result if r["currency"] == "JPY")
    assert "Next Generation Co-Creation Partnership" in jpy and "on the scale of" in jpy
    assert "joint research" in jpy and "approximately" in jpy
    usd = next(r["breakdown"] for r in result if r["currency"] == "USD")
    assert "at least" in usd


def test_organisations_in_initiatives(kg_graph):
    result = answer(kg_graph, "organisations-in-initiatives")
    roles = {(r["organisation"], r["capacity"], r["initiative"]) for r in result}
    assert len(roles) == len(result)
    # ＪＩＣＡがＡＤＢと協調して質の高いインフラへの投融資を行う仕組みの創設
    assert ("id:jica", "implementedBy", "id:jica-adb-infrastructure-mechanism") in roles
    assert ("id:adb", "partner", "id:jica-adb-infrastructure-mechanism") in roles
    assert ("id:japan", "launchedBy", "id:jica-adb-infrastructure-mechanism") in roles
    assert ("id:acpheed", "beneficiary", "id:acpheed-support") in roles  # 感染症対策センターの早期稼働に向けた支援
    assert ("id:asean", "beneficiary", "id:jaif") in roles
    assert ("id:japan", "launchedBy", "id:next-generation-co-creation-partnership") in roles
    assert ("id:japan", "launchedBy", "id:finance-mobilisation-pledge") in roles
    assert ("id:japan", "launchedBy", "id:tourism-ministers-initiatives") not in roles
    # Capacities are the specific sub-properties of ajk:involves, never ajk:involves itself.
    assert column(result, "capacity") <= {"launchedBy", "implementedBy", "partner", "beneficiary", "knowledgePartner"}


def test_participants(kg_graph):
    result = answer(kg_graph, "participants")
    people = {r["person"]: (r["representing"], r["post_en"], set(r["roles"].split(", "))) for r in result}
    assert len(result) == 14 and len(people) == 14
    assert people["id:kishida-fumio"] == ("id:japan", "Prime Minister of Japan", {"co-chair", "host"})
    assert people["id:joko-widodo"] == ("id:indonesia", "President of Indonesia", {"co-chair"})
    assert people["id:watanabe-tetsuya"][::2] == ("id:eria", {"chair's guest"})
    assert people["id:hirabayashi-kunihiko"][::2] == ("id:asean-japan-centre", {"chair's guest"})
    assert people["id:xanana-gusmao"][::2] == ("id:timor-leste", {"observer"})
    assert people["id:kao-kim-hourn"][::2] == ("id:asean-secretariat", {"attendee"})
    attendees = {person: state for person, (state, _, roles) in people.items() if roles == {"attendee"}}
    assert attendees == {
        "id:hassanal-bolkiah": "id:brunei", "id:ferdinand-marcos-jr": "id:philippines",
        "id:lee-hsien-loong": "id:singapore", "id:pham-minh-chinh": "id:viet-nam",
        "id:anwar-ibrahim": "id:malaysia", "id:sonexay-siphandone": "id:lao-pdr",
        "id:hun-manet": "id:cambodia", "id:srettha-thavisin": "id:thailand",
        "id:kao-kim-hourn": "id:asean-secretariat",
    }
    assert "id:myanmar" not in column(result, "representing")
    assert "id:fukuda-takeo" not in people  # recalled from 1977, not present
    names = {r["person"]: (r["name_en"], r["name_ja"]) for r in result}
    assert names["id:kishida-fumio"] == ("KISHIDA Fumio", "岸田文雄")
    assert names["id:xanana-gusmao"][0] == "Xanana Gusmão"


def test_provenance(kg_graph):
    # Bound to one statement: its verbatim passage, where it stands in the source.
    myanmar = answer(kg_graph, "provenance", fact="s-a2-kishida-concern-myanmar")
    assert len(myanmar) == 1
    row = myanmar[0]
    assert in_source(row["passage"]) and "ミャンマー情勢" in squash(row["passage"])
    assert (row["session_en"], row["agenda_en"]) == ("Session 1", AGENDA_2)
    assert squash(SOURCE[int(row["start"]):int(row["end"])]) == squash(row["passage"])

    pledge = answer(kg_graph, "provenance", fact="s-a4-kishida-35-billion")
    assert len(pledge) == 1 and in_source(pledge[0]["passage"]) and "３５０億ドル以上" in pledge[0]["passage"]
    assert (pledge[0]["session_en"], pledge[0]["agenda_en"]) == ("Session 2", AGENDA_4)

    # Any fact can be bound, e.g. a figure.
    budget = answer(kg_graph, "provenance", fact="next-generation-co-creation-partnership/figure/budget")
    assert len(budget) == 1 and squash(budget[0]["passage"]) == "４００億円規模"
    assert budget[0]["agenda_en"].startswith("Agenda 3:")

    # Unbound, the default: every statement (and only statements) grounded in the source.
    default = answer(kg_graph, "provenance")
    for r in default:
        assert in_source(r["passage"]), (r["fact"], r["passage"])
        assert squash(SOURCE[int(r["start"]):int(r["end"])]) == squash(r["passage"]), r["fact"]
    facts = column(default, "fact")
    assert "id:s-a2-kishida-concern-myanmar" in facts
    assert "id:s-other-timor-leste" not in facts  # from the parent readout, not from the source text
    assert [int(r["start"]) for r in default] == sorted(int(r["start"]) for r in default)
    not_statements = facts - statements(kg_graph)
    assert not not_statements, f"{len(not_statements)} non-statements in the default, e.g. {sorted(not_statements)[:5]}"
    assert facts == statements(kg_graph) - {"id:s-other-timor-leste"}


def test_situations(kg_graph):
    result = answer(kg_graph, "situations")
    assert column(result, "situation") == {f"id:{s}" for s in (
        "myanmar-situation", "east-china-sea-situation", "south-china-sea-situation",
        "east-and-south-china-seas-situation", "north-korea-nuclear-missile", "north-korea-missile-launches",
        "abductions-issue", "israel-palestine-situation", "russia-aggression-against-ukraine", "ukraine-situation",
        "middle-east-situation")}
    assert column(result, "agenda_en") == {AGENDA_2}
    raised = {(r["situation"], r["speaker_en"], r["kind_en"]) for r in result}
    assert ("id:myanmar-situation", "KISHIDA Fumio", "expressed concern") in raised
    assert ("id:myanmar-situation", ASEAN_SIDE, "stated") in raised
    assert ("id:east-china-sea-situation", "KISHIDA Fumio", "expressed concern") in raised
    assert ("id:south-china-sea-situation", "KISHIDA Fumio", "expressed concern") in raised
    assert ("id:east-and-south-china-seas-situation", ASEAN_SIDE, "expressed concern") in raised
    assert ("id:north-korea-nuclear-missile", "KISHIDA Fumio", "expressed concern") in raised
    assert ("id:north-korea-missile-launches", ASEAN_SIDE, "condemned") in raised  # ミサイル発射への非難
    assert ("id:north-korea-nuclear-missile", ASEAN_SIDE, "condemned") not in raised  # Japan's wording, not theirs
    assert ("id:abductions-issue", "KISHIDA Fumio", "requested") in raised  # 理解と協力を引き続き要請
    assert ("id:israel-palestine-situation", "KISHIDA Fumio", "explained position") in raised
    assert ("id:russia-aggression-against-ukraine", "KISHIDA Fumio", "explained position") in raised
    assert ("id:ukraine-situation", ASEAN_SIDE, "explained position") in raised  # ウクライナ情勢
    assert ("id:russia-aggression-against-ukraine", ASEAN_SIDE, "explained position") not in raised
    assert ("id:middle-east-situation", ASEAN_SIDE, "explained position") in raised
    assert all(JAPANESE.search(r["situation_ja"]) for r in result)


def test_speakers_by_agenda(kg_graph):
    result = answer(kg_graph, "speakers-by-agenda")
    counts = {(r["agenda"], r["speaker"]): int(r["statements"]) for r in result}
    speakers = defaultdict(set)
    for agenda, speaker in counts:
        speakers[agenda].add(speaker)
    assert dict(speakers) == {
        "id:opening": {"id:kishida-fumio", "id:joko-widodo", "id:watanabe-tetsuya", "id:hirabayashi-kunihiko"},
        "id:agenda-1": {"id:kishida-fumio", "id:asean-countries"},
        "id:agenda-2": {"id:kishida-fumio", "id:asean-countries", "id:japan-and-asean-leaders"},
        "id:agenda-3": {"id:kishida-fumio", "id:asean-countries", "id:japan-and-asean-leaders"},
        "id:agenda-4": {"id:joko-widodo", "id:kishida-fumio", "id:asean-countries"},
        "id:adoption-and-other-matters": {"id:timor-leste"},
    }
    # The chair's guests' remarks, Joko's opening remarks in agenda 4 and Timor-Leste's statement: one each.
    for key in [("id:opening", "id:watanabe-tetsuya"), ("id:opening", "id:hirabayashi-kunihiko"),
                ("id:agenda-4", "id:joko-widodo"), ("id:adoption-and-other-matters", "id:timor-leste")]:
        assert counts[key] == 1, key
    # Kishida speaks most in every agenda item.
    for agenda, who in speakers.items():
        if "id:kishida-fumio" in who:
            assert counts[(agenda, "id:kishida-fumio")] == max(counts[(agenda, s)] for s in who), agenda
    made_during = {s for s in kg_graph.subjects(AJK.madeDuring, None) if (s, RDF.type, AJK.Statement) in kg_graph}
    assert sum(counts.values()) == len(made_during)


def test_statement_kinds_cameo(kg_graph):
    result = answer(kg_graph, "statement-kinds-cameo")
    cameo = {r["kind"]: r["cameo"] for r in result}
    count = {r["kind"]: int(r["statements"]) for r in result}
    assert len(cameo) == len(result)
    assert cameo == {
        "id:stated": "010", "id:emphasised": "010", "id:recalled": "010", "id:explained-position": "010",
        "id:announced": "030", "id:proposed": "030", "id:intent-to-cooperate": "030",
        "id:supported": "051", "id:welcomed": "051", "id:appreciated": "051",
        "id:expressed-expectation": "013", "id:expressed-concern": "012", "id:condemned": "111",
        "id:requested": "020", "id:agreed": "019",
    }
    # 支持 (Kishida on the AOIP), 非難 (the ASEAN side on North Korea's missiles), 要請 (the abductions issue).
    assert count["id:supported"] == 1 and count["id:condemned"] == 1 and count["id:requested"] == 1
    # 深刻に懸念 (Myanmar, East China Sea, South China Sea, North Korea) and 懸念すべき状況 (ASEAN side).
    assert count["id:expressed-concern"] >= 5
    assert sum(count.values()) == len(statements(kg_graph))
    for kind, n in count.items():
        assert n == len(set(kg_graph.subjects(AJK.statementKind, ID[kind[3:]]))), kind
    assert [int(r["statements"]) for r in result] == sorted(count.values(), reverse=True)


def test_theme_coverage(kg_graph):
    result = answer(kg_graph, "theme-coverage")
    got = {r["top"]: (int(r["themes"]), int(r["initiatives"]), int(r["statements"])) for r in result}
    assert set(got) == {f"id:theme-{t}" for t in (
        "asean-japan-relations", "peace-and-stability", "principles", "economy-and-society", "people-to-people",
        "regional-and-international-situations")}
    # The situations raised in agenda 2: no narrower themes, no initiatives, and twelve statements about
    # them (seven by Kishida, five by the ASEAN side).
    assert got["id:theme-regional-and-international-situations"] == (1, 0, 12)
    # People-to-people: the ten exchange programmes and the tourism and sports ministers' initiatives.
    assert got["id:theme-people-to-people"][1] == 12
    assert got["id:theme-principles"][:2] == (10, 0)
    # Counted again without SPARQL: narrower themes, initiatives with one of them, and statements
    # with one of them, about one of them, or about something that has one of them.
    tops = {ID[t[3:]] for t in got}
    for top in tops:
        themes = set(kg_graph.transitive_subjects(SKOS.broader, top))
        initiatives = {i for t in themes for i in kg_graph.subjects(AJK.theme, t)
                       if (i, RDF.type, AJK.Initiative) in kg_graph}
        things = {x for t in themes for x in kg_graph.subjects(AJK.theme, t)} | themes
        said = {s for x in things for s in kg_graph.subjects(AJK.about, x)}
        said |= {s for t in themes for s in kg_graph.subjects(AJK.theme, t)}
        said = {s for s in said if (s, RDF.type, AJK.Statement) in kg_graph}
        assert got[f"id:{top[len(ID):]}"] == (len(themes), len(initiatives), len(said)), top
    in_order = [int(r["statements"]) for r in result]
    assert in_order == sorted(in_order, reverse=True)


def test_timeline(kg_graph):
    result = answer(kg_graph, "timeline")
    dates = [r["date"] for r in result]
    assert dates == sorted(dates), "in non-decreasing date order"
    assert (result[0]["what"], result[0]["date"]) == ("id:dialogue-start-1973", "1973")  # １９７３年、対話を開始
    assert (result[1]["what"], result[1]["date"]) == ("id:first-summit-1977", "1977")  # １９７７年の初の首脳会議
    on = {(r["what"], r["date"]) for r in result}
    assert ("id:foip-new-plan", "2023-03") in on  # 本年３月にＦＯＩＰの新たなプランを発表
    assert ("id:comprehensive-connectivity-initiative", "2023-09") in on  # ９月には ... イニシアティブを発表
    assert ("id:summit-2023", "2023-12-17") in on
    assert ("id:joint-vision-statement", "2023-12-17") in on  # outcome documents adopted at the summit
    assert ("id:implementation-plan", "2023-12-17") in on
    assert ("id:next-generation-co-creation-partnership", "2023-12-17") in on
    assert not column(result, "what") & statements(kg_graph)
    assert len(column(result, "what")) == len(result), "each thing once, with its most specific class"
    # Only events, initiatives and documents, as the question says.
    events = {AJK.Initiative, URIRef("https://schema.org/Event"), URIRef("https://schema.org/CreativeWork")}
    for r in result:
        thing = ID[r["what"][3:]]
        kinds = set(kg_graph.objects(thing, RDF.type))
        kinds |= {sup for k in kinds for sup in kg_graph.transitive_objects(k, RDFS.subClassOf)}
        assert kinds & events, f"{r['what']} ({r['class']}) is not an event, initiative or document"
