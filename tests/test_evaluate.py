"""Scoring against gold (newsgraph.evaluate and ``newsgraph evaluate``).

Each matching rule of the referee (../shared/tools/kgeval.py) gets a hand-built
graph; the agreement tests run the referee itself on the seed build and on a
deliberately messy graph and compare every number it prints with ours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import GOLD, KGEVAL, SMALL_MODEL
from rdflib import Graph

from newsgraph.cli import main
from newsgraph.errors import InputError
from newsgraph.evaluate import (
    DEFAULT_VOCAB,
    format_report,
    load_gold,
    normalize_label,
    normalize_predicate,
    parse_gold,
    score,
)
from newsgraph.export import load_graph
from newsgraph.resolve import normalize_name

PREFIXES = """
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix ex: <http://example.org/rel/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix sdo: <https://schema.org/> .
@prefix schema: <http://schema.org/> .
"""


def _graph(body: str) -> Graph:
    return Graph().parse(data=PREFIXES + body, format="turtle")


def _stmt(s: str, p: str, o: str, *, article: str = "a1", confidence: float | None = 0.9,
          asserted: bool = True, extra: str = "", evidence: str = "A sentence.") -> str:
    conf = f"ng:confidence {confidence} ; " if confidence is not None else ""
    fact = f"{s} {p} {o} .\n" if asserted else ""
    return (f"{fact}[] a rdf:Statement ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;"
            f" prov:wasDerivedFrom <urn:art:{article}> ; {conf}{extra}"
            f' ng:evidence "{evidence}" .\n')


def _articles(*ids: str) -> str:
    return "".join(f'<urn:art:{i}> a ng:Article ; dct:identifier "{i}" .\n' for i in ids)


def _gold(*records: dict) -> str:
    return "\n".join(json.dumps(r) for r in records) + "\n"


def _fact(subject: str, predicate: str, obj: str, *, article: str = "a1", **more) -> dict:
    return {"article": article, "subject": subject, "predicate": predicate, "object": obj,
            "polarity": "positive", "tier": "core", **more}


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("text, expected", [
    ("Xiaomi", "xiaomi"),
    ("The Walt Disney Co.", "walt disney"),
    ("AT&T Inc", "at and t"),
    ("Huawei Technologies Co., Ltd.", "huawei technologies"),
    ("Apple's", "apple"),
    ("Apple’s", "apples"),  # kgeval drops ’ before it strips the possessive
    ("the", "the"),
    ("The The", "the"),
    ("Co", "co"),
    ("Société Générale SA", "societe generale"),
    ("U.S.", "u s"),
    ("", ""),
])
def test_normalize_label_is_kgevals(text: str, expected: str) -> None:
    assert normalize_label(text) == expected


def test_normalize_label_differs_from_the_resolvers_on_curly_possessives() -> None:
    assert normalize_name("Xiaomi’s") == "xiaomi"
    assert normalize_label("Xiaomi’s") == "xiaomis"


@pytest.mark.parametrize("predicate, expected", [
    ("worksFor", "worksfor"),
    ("https://w3id.org/newsgraph/ontology#blockedBy", "blockedby"),
    ("http://example.org/rel/plans_to_enter", "planstoenter"),
    ("ng:leads", "ngleads"),  # no / or #: the whole name, as kgeval does
])
def test_normalize_predicate(predicate: str, expected: str) -> None:
    assert normalize_predicate(predicate) == expected


# --------------------------------------------------------------------------- matching rules


@pytest.mark.parametrize("gold, labels, predicted, found", [
    # (gold predicate, subject, object), (subject label, object label), predicate -> found?
    (("acquired", "Fiserv", "First Data"), ("Fiserv Inc.", "First Data Corp"), "ng:acquired", 1),
    (("acquired", "Fiserv", "First Data"), ("First Data", "Fiserv"), "ng:acquired", 0),
    (("acquired", "Disney", "Fox"), ("The Walt Disney Co", "Fox"), "ng:acquired", 0),
    (("acquired", "Walt Disney", "Fox"), ("The Walt Disney Co", "fox"), "ng:acquired", 1),
    (("partnersWith", "Xiaomi", "Microsoft"), ("Microsoft", "Xiaomi"), "ng:partnersWith", 1),
    (("competesWith", "Google", "Amazon"), ("Amazon", "Google"), "ng:competesWith", 1),
    (("blockedBy", "Huawei", "AT&T"), ("AT&T", "Huawei"), "ng:blocks", 1),
    (("blockedBy", "Huawei", "AT&T"), ("Huawei", "AT&T"), "ng:blocks", 0),
    (("blocks", "AT&T", "Huawei"), ("Huawei", "AT&T"), "ng:blockedBy", 1),
    (("worksFor", "Lei Jun", "Xiaomi"), ("Lei Jun", "Xiaomi"), "ng:leads", 1),
    (("leads", "Lei Jun", "Xiaomi"), ("Lei Jun", "Xiaomi"), "ng:worksFor", 0),
    (("basedIn", "Xiaomi", "China"), ("Xiaomi", "China"), "ng:operatesIn", 1),
    (("operatesIn", "Xiaomi", "China"), ("Xiaomi", "China"), "ng:basedIn", 0),
    (("acquired", "Fiserv", "First Data"), ("Fiserv", "First Data"), "ex:acquired", 1),
    (("acquired", "Fiserv", "First Data"), ("Fiserv", "First Data"), "ng:investsIn", 0),
    (("makes", "Huawei", "Mate 10 Pro"), ("Huawei's", "Mate 10 Pro"), "ng:makes", 1),
    (("makes", "Huawei", "Mate 10 Pro"), ("Huawei’s", "Mate 10 Pro"), "ng:makes", 0),
])
def test_matching_rule(gold: tuple[str, str, str], labels: tuple[str, str], predicted: str,
                       found: int) -> None:
    g = _graph(_articles("a1")
               + f'<urn:e:s> a ng:Organization ; rdfs:label "{labels[0]}" .\n'
               + f'<urn:e:o> a ng:Organization ; rdfs:label "{labels[1]}" .\n'
               + _stmt("<urn:e:s>", predicted, "<urn:e:o>"))
    predicate, subject, obj = gold
    result = score(g, parse_gold([json.dumps(_fact(subject, predicate, obj))]))
    assert (result.found, result.correct, result.predicted) == (found, found, 1)
    assert len(result.false_positives) == 1 - found
    assert len(result.misses) == 1 - found


def test_gold_aliases_and_every_label_property_match() -> None:
    g = _graph(_articles("a1") + """
        <urn:e:s> skos:altLabel "Alphabet Inc." .
        <urn:e:o> sdo:name "Google LLC" .
        <urn:e:x> foaf:name "U.S." ; owl:sameAs <urn:e:y> .
        <urn:e:y> schema:alternateName "America" .
    """ + _stmt("<urn:e:o>", "ng:subsidiaryOf", "<urn:e:s>")
        + _stmt("<urn:e:s>", "ng:basedIn", "<urn:e:x>"))
    gold = parse_gold([
        json.dumps(_fact("Google", "subsidiaryOf", "Alphabet")),
        json.dumps(_fact("Alphabet", "basedIn", "United States", object_aliases=["America"])),
    ])
    assert score(g, gold).found == 2


def test_only_asserted_non_negated_facts_of_the_article_count() -> None:
    g = _graph(_articles("a1", "a2") + """
        <urn:e:s> rdfs:label "Xiaomi" . <urn:e:o> rdfs:label "Spain" .
        <urn:e:u> rdfs:label "United States" . <urn:e:i> rdfs:label "India" .
        <urn:e:c> rdfs:label "China" .
    """ + _stmt("<urn:e:s>", "ng:operatesIn", "<urn:e:o>", asserted=False)
        + _stmt("<urn:e:s>", "ng:operatesIn", "<urn:e:u>", extra="ng:negated true ;")
        + _stmt("<urn:e:s>", "ng:operatesIn", "<urn:e:i>", extra='ng:polarity "negative" ;')
        + _stmt("<urn:e:s>", "ng:basedIn", "<urn:e:c>", article="a2")
        + _stmt("<urn:e:s>", "ng:memberOf", "<urn:e:c>")  # not in the default vocabulary
        + '<urn:e:s> ng:makes "Mi 9" .\n[] a rdf:Statement ; rdf:subject <urn:e:s> ;'
          ' rdf:predicate ng:makes ; rdf:object "Mi 9" ; prov:wasDerivedFrom <urn:art:a1> .\n')
    gold = parse_gold([json.dumps(_fact(*f)) for f in [
        ("Xiaomi", "operatesIn", "Spain"), ("Xiaomi", "operatesIn", "United States"),
        ("Xiaomi", "operatesIn", "India"), ("Xiaomi", "basedIn", "China"),
    ]])
    result = score(g, gold)
    assert (result.found, result.predicted) == (0, 0)
    assert score(g, gold, vocab=[*DEFAULT_VOCAB, "memberOf"]).predicted == 1
    assert score(g, gold, vocab=[]).predicted == 1  # empty: every predicate


def test_statements_of_one_fact_count_once_and_dct_source_is_provenance() -> None:
    g = _graph(_articles("a1") + """
        <urn:e:s> rdfs:label "Qualcomm" . <urn:e:o> rdfs:label "Apple" .
        <urn:e:s> ng:sued <urn:e:o> .
        [] a rdf:Statement ; rdf:subject <urn:e:s> ; rdf:predicate ng:sued ;
           rdf:object <urn:e:o> ; dct:source <urn:art:a1> ; ng:confidence 0.5 .
    """ + _stmt("<urn:e:s>", "ng:sued", "<urn:e:o>", confidence=0.95, evidence="Best."))
    result = score(g, parse_gold([json.dumps(_fact("Qualcomm", "sued", "Apple"))]))
    assert (result.predicted, result.correct) == (1, 1)
    assert (result.confident.predicted, result.unconfident.predicted) == (1, 0)


def test_missing_article_and_article_ids_through_schema_identifier() -> None:
    g = _graph('<urn:art:a2> schema:identifier "a2" .\n'
               '<urn:e:s> rdfs:label "Altria" . <urn:e:o> rdfs:label "Juul" .\n'
               + _stmt("<urn:e:s>", "ng:investsIn", "<urn:e:o>", article="a2"))
    gold = parse_gold([json.dumps(_fact("Altria", "investsIn", "Juul", article=a))
                       for a in ("a1", "a2")])
    result = score(g, gold)
    assert result.summary()["articles"] == 2
    assert result.articles_missing == ["a1"]
    assert (result.found, result.predicted) == (1, 1)


# --------------------------------------------------------------------------- negation, types


def test_asserting_a_denied_fact_is_a_violation_not_a_false_positive() -> None:
    g = _graph(_articles("a1") + """
        <urn:e:s> rdfs:label "Xiaomi" . <urn:e:o> rdfs:label "United States" .
    """ + _stmt("<urn:e:s>", "ng:operatesIn", "<urn:e:o>", confidence=0.77,
                evidence="It does not sell phones in the US."))
    denied = _fact("Xiaomi", "operatesIn", "United States", polarity="negated",
                   evidence="The company doesn't sell smartphones in the US.")
    result = score(g, parse_gold([json.dumps(denied)]))
    assert result.summary()["negated_violations"] == 1
    assert (result.gold, result.predicted, result.correct) == (0, 1, 0)
    assert result.false_positives == []
    violation = result.violations[0]
    assert violation.gold.evidence.startswith("The company doesn't")
    assert violation.prediction.confidence == 0.77
    assert "doesn't sell" in format_report(result, show=5)


def test_a_denied_fact_kept_only_as_a_negated_statement_is_fine() -> None:
    g = _graph(_articles("a1") + '<urn:e:s> rdfs:label "Xiaomi" . <urn:e:o> rdfs:label "US" .\n'
               + _stmt("<urn:e:s>", "ng:operatesIn", "<urn:e:o>", asserted=False,
                       extra="ng:negated true ;"))
    denied = _fact("Xiaomi", "operatesIn", "US", polarity="negated")
    assert score(g, parse_gold([json.dumps(denied)])).summary()["negated_violations"] == 0


def test_type_accuracy_is_strict() -> None:
    g = _graph("""
        <urn:e:x> a ng:Organization ; rdfs:label "Xiaomi Corp" .
        <urn:e:h> a ng:Organization, ng:Place ; rdfs:label "Huawei" .
        <urn:e:m> a sdo:Organization, ng:Mentioned ; rdfs:label "Microsoft" .
        <urn:e:l> a ng:Person ; rdfs:label "Lei" . <urn:e:l2> owl:sameAs <urn:e:l> .
        <urn:e:j> a ng:Organization ; rdfs:label "Lei Jun" .
    """)
    entities = [
        {"name": "Xiaomi", "type": "Organization"},  # ok (legal suffix)
        {"name": "Huawei", "type": "Organization"},  # two core types: wrong
        {"name": "Microsoft", "type": "Organization"},  # other namespaces, other types: ok
        {"name": "Lei Jun", "type": "Person", "aliases": ["Lei"]},  # one candidate right: ok
        {"name": "Nobody", "type": "Person"},  # not in the graph
    ]
    result = score(g, parse_gold([json.dumps({"article": "a1", "entities": entities})]))
    assert (result.entities, result.entities_typed) == (5, 3)
    assert result.summary()["type_accuracy"] == 0.6
    assert score(g, parse_gold([])).summary()["type_accuracy"] is None


# --------------------------------------------------------------------------- breakdowns


@pytest.fixture(scope="module")
def mixed() -> tuple[Graph, str]:
    g = _graph(_articles("a1") + """
        <urn:e:x> a ng:Organization ; rdfs:label "Xiaomi" .
        <urn:e:m> a ng:Organization ; rdfs:label "Microsoft" .
        <urn:e:l> a ng:Person ; rdfs:label "Lei Jun" .
        <urn:e:c> a ng:Place ; rdfs:label "China" .
        <urn:e:s> a ng:Place ; rdfs:label "Spain" .
    """ + _stmt("<urn:e:x>", "ng:partnersWith", "<urn:e:m>", confidence=0.9)
        + _stmt("<urn:e:l>", "ng:leads", "<urn:e:x>", confidence=0.85)
        + _stmt("<urn:e:x>", "ng:operatesIn", "<urn:e:c>", confidence=0.6)
        + _stmt("<urn:e:x>", "ng:operatesIn", "<urn:e:s>", confidence=0.5,
                evidence="Xiaomi opened a store in Spain.")
        + _stmt("<urn:e:m>", "ng:acquired", "<urn:e:x>", confidence=0.95,
                evidence="Microsoft bought Xiaomi, said nobody."))
    gold = _gold(
        _fact("Xiaomi", "partnersWith", "Microsoft"),
        _fact("Lei Jun", "worksFor", "Xiaomi", tier="extra"),
        _fact("Xiaomi", "basedIn", "China"),
        _fact("Xiaomi", "basedIn", "Beijing", evidence="Beijing-based Xiaomi said …"),
        _fact("Xiaomi", "makes", "Mi 9", tier="extra"),
    )
    return g, gold


def test_per_predicate_rows(mixed: tuple[Graph, str]) -> None:
    g, gold = mixed
    result = score(g, parse_gold(gold.splitlines()))
    rows = {r.predicate: (r.gold, r.found, r.predicted, r.correct) for r in result.predicates}
    assert rows == {
        "partnersWith": (1, 1, 1, 1),
        "worksFor": (1, 1, 0, 0),
        "leads": (0, 0, 1, 1),  # leads satisfies worksFor
        "basedIn": (2, 1, 0, 0),
        "operatesIn": (0, 0, 2, 1),  # operatesIn satisfies basedIn
        "acquired": (0, 0, 1, 0),
        "makes": (1, 0, 0, 0),
    }
    assert (result.gold, result.found, result.predicted, result.correct) == (5, 3, 5, 3)
    assert (result.gold_core, result.found_core) == (3, 2)
    summary = result.summary()
    assert (summary["recall"], summary["precision"], summary["f1"]) == (0.6, 0.6, 0.6)
    assert summary["core_recall"] == 0.667
    leads = next(r for r in result.predicates if r.predicate == "leads")
    assert (leads.precision, leads.recall, leads.f1) == (1.0, 0.0, 0.0)


def test_confidence_split(mixed: tuple[Graph, str]) -> None:
    g, gold = mixed
    result = score(g, parse_gold(gold.splitlines()))
    assert (result.confident.predicted, result.confident.correct) == (3, 2)
    assert (result.unconfident.predicted, result.unconfident.correct) == (2, 1)
    split = result.to_dict()["confidence"]
    assert split["confident"].items() >= {"predicted": 3, "correct": 2, "precision": 0.667}.items()
    assert split["all"].items() >= {"predicted": 5, "correct": 3, "precision": 0.6}.items()
    strict = score(g, parse_gold(gold.splitlines()), threshold=0.9)
    assert (strict.confident.predicted, strict.confident.correct) == (2, 1)


def test_min_confidence_leaves_out_weak_predictions(mixed: tuple[Graph, str]) -> None:
    g, gold = mixed
    result = score(g, parse_gold(gold.splitlines()), min_confidence=0.8)
    assert (result.predicted, result.correct) == (3, 2)


def test_misses_and_false_positives_carry_their_evidence(mixed: tuple[Graph, str]) -> None:
    g, gold = mixed
    result = score(g, parse_gold(gold.splitlines()))
    assert [(m.object, m.evidence) for m in result.misses] == [
        ("Beijing", "Beijing-based Xiaomi said …"), ("Mi 9", None)]
    assert [(p.subject, p.predicate, p.object, p.confidence, p.evidence)
            for p in result.false_positives] == [
        ("Microsoft", "acquired", "Xiaomi", 0.95, "Microsoft bought Xiaomi, said nobody."),
        ("Xiaomi", "operatesIn", "Spain", 0.5, "Xiaomi opened a store in Spain.")]
    report = format_report(result, show=1)
    assert report.splitlines()[0] == result.summary_line()
    assert "misses (1 of 2)" in report and "Beijing-based Xiaomi said" in report
    assert "false positives (1 of 2)" in report and "Microsoft bought Xiaomi" in report
    assert "opened a store" not in report
    assert len(result.to_dict(limit=1)["false_positives"]) == 1
    assert len(result.to_dict()["false_positives"]) == 2


# --------------------------------------------------------------------------- gold files


@pytest.mark.parametrize("line, message", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"article": "a1"}', "neither a fact"),
    ('{"subject": "A", "predicate": "sued", "object": "B"}', "no 'article'"),
    ('{"article": "a1", "predicate": "sued", "object": "B"}', "no 'subject'"),
    ('{"article": "a1", "subject": "A", "predicate": "sued", "object": 3}', "'object'"),
    ('{"article": "a1", "subject": "A", "predicate": "sued", "object": "B",'
     ' "polarity": "maybe"}', "polarity 'maybe'"),
    ('{"article": "a1", "subject": "A", "predicate": "sued", "object": "B",'
     ' "subject_aliases": "A Inc"}', "'subject_aliases'"),
    ('{"article": "a1", "entities": [{"name": "A"}]}', "no 'type'"),
])
def test_malformed_gold_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(_gold(_fact("A", "sued", "B")) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert str(info.value).startswith(f"{path}:3: ")
    assert message in str(info.value)


def test_missing_gold_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.jsonl"):
        load_gold(tmp_path / "nope.jsonl")


def test_load_graph_merges_named_graphs_and_reports_bad_files(tmp_path: Path) -> None:
    trig = tmp_path / "g.trig"
    trig.write_text(PREFIXES + '<urn:g1> { <urn:a> rdfs:label "A" . }\n'
                    '<urn:g2> { <urn:b> rdfs:label "B" . }\n', encoding="utf-8")
    assert len(load_graph(trig)) == 2
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl: not valid turtle"):
        load_graph(bad)
    with pytest.raises(InputError, match="no such file"):
        load_graph(tmp_path / "missing.nt")


# --------------------------------------------------------------------------- command line


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["evaluate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mixed_files(mixed: tuple[Graph, str], tmp_path: Path) -> tuple[Path, Path]:
    g, gold = mixed
    graph_path, gold_path = tmp_path / "g.ttl", tmp_path / "gold.jsonl"
    g.serialize(graph_path, format="turtle")
    gold_path.write_text(gold, encoding="utf-8")
    return graph_path, gold_path


def test_cli_text_report(mixed_files: tuple[Path, Path]) -> None:
    graph, gold = mixed_files
    code, out, err = _run(str(graph), "--gold", str(gold), "--show", "2")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("articles=1 articles_missing=0 gold=5 gold_core=3 predicted=5 "
                        "core_recall=0.667 recall=0.6 precision=0.6 f1=0.6 "
                        "negated_violations=0 type_accuracy=None")
    assert any(line.split()[:5] == ["operatesIn", "0", "0", "2", "1"] for line in lines)
    assert any(line.startswith("confidence >= 0.8") and "precision=0.667" in line
               for line in lines)
    assert "misses (2 of 2)" in out and "false positives (2 of 2)" in out


def test_cli_json(mixed_files: tuple[Path, Path]) -> None:
    graph, gold = mixed_files
    code, out, _ = _run(str(graph), "--gold", str(gold), "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data)[:11] == ["articles", "articles_missing", "gold", "gold_core", "predicted",
                               "core_recall", "recall", "precision", "f1",
                               "negated_violations", "type_accuracy"]
    assert data["confidence"]["confident"]["precision"] == 0.667
    assert {r["predicate"] for r in data["predicates"]} >= {"leads", "worksFor"}
    assert len(data["misses"]) == 2 and data["misses"][0]["object"] == "Beijing"


def test_cli_vocab(mixed_files: tuple[Path, Path]) -> None:
    graph, gold = mixed_files
    code, out, _ = _run(str(graph), "--gold", str(gold), "--json", "--vocab", "partnersWith")
    assert code == 0 and json.loads(out)["predicted"] == 1
    code, _, err = _run(str(graph), "--gold", str(gold), "--vocab", "partnersWith,sueed")
    assert code == 1 and err.count("\n") == 1 and "'sueed'" in err and "sued" in err


def test_cli_missing_gold_is_one_line(mixed_files: tuple[Path, Path], tmp_path: Path) -> None:
    graph, _ = mixed_files
    code, out, err = _run(str(graph), "--gold", str(tmp_path / "nope.jsonl"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("newsgraph: error: ")
    assert "nope.jsonl" in err


def test_cli_malformed_gold_names_the_line(mixed_files: tuple[Path, Path]) -> None:
    graph, gold = mixed_files
    gold.write_text(gold.read_text(encoding="utf-8") + '{"article": "a1", "subject": "X"\n',
                    encoding="utf-8")
    code, _, err = _run(str(graph), "--gold", str(gold))
    assert code == 1 and err.count("\n") == 1 and f"{gold}:6:" in err


def test_cli_rejects_articles_mixed_with_graphs(mixed_files: tuple[Path, Path]) -> None:
    graph, gold = mixed_files
    code, _, err = _run(str(graph), str(GOLD.parent / "articles"), "--gold", str(gold))
    assert code == 1 and err.count("\n") == 1 and "g.ttl" in err


def test_cli_builds_articles_and_saves_the_graph(tmp_path: Path) -> None:
    article = tmp_path / "a1.txt"
    article.write_text("Qualcomm sued Apple in California on Monday.\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(_gold(_fact("Qualcomm", "sued", "Apple")), encoding="utf-8")
    saved = tmp_path / "built.nt"
    code, out, err = _run(str(article), "--gold", str(gold), "--model", SMALL_MODEL,
                          "--save", str(saved), "--json")
    assert code == 0, err
    assert json.loads(out)["articles_missing"] == 0
    assert json.loads(out) == json.loads(_run(str(saved), "--gold", str(gold), "--json")[1])


# --------------------------------------------------------------------------- agreement

MESSY_GRAPH = _articles("a1") + """
<urn:art:a2> sdo:identifier "a2" .
<urn:art:a3> schema:identifier "a3" .
<urn:art:a5> dct:identifier "a5" .
<urn:e:xiaomi> a ng:Organization ; rdfs:label "Xiaomi Corp." ; skos:altLabel "XIAOMI" .
<urn:e:microsoft> a sdo:Organization ; sdo:name "The Microsoft Corporation" .
<urn:e:ms2> owl:sameAs <urn:e:microsoft> .
<urn:e:huawei> a ng:Organization, ng:Place ; foaf:name "Huawei’s" .
<urn:e:huawei2> a ng:Organization ; rdfs:label "Huawei's" .
<urn:e:att> a ng:Organization ; skos:prefLabel "AT&T Inc" .
<urn:e:lei> a ng:Person ; rdfs:label "Lei Jun" .
<urn:e:china> a ng:Place ; rdfs:label "China" .
<urn:e:us> a ng:Place ; rdfs:label "U.S." ; owl:sameAs <urn:e:usa> .
<urn:e:usa> schema:alternateName "United States" .
<urn:e:spain> a ng:Place ; rdfs:label "Spain" .
<urn:e:apple> a ng:Organization ; rdfs:label "Apple" .
""" + "".join([
    _stmt("<urn:e:microsoft>", "ng:partnersWith", "<urn:e:xiaomi>", confidence=0.9),
    _stmt("<urn:e:microsoft>", "ng:partnersWith", "<urn:e:xiaomi>", confidence=0.6),
    _stmt("<urn:e:att>", "ex:blocks", "<urn:e:huawei2>", confidence=0.8),
    _stmt("<urn:e:lei>", "ng:leads", "<urn:e:xiaomi>", confidence=None),
    _stmt("<urn:e:xiaomi>", "ng:operatesIn", "<urn:e:china>", confidence=0.7),
    _stmt("<urn:e:xiaomi>", "ng:operatesIn", "<urn:e:spain>", asserted=False),
    _stmt("<urn:e:xiaomi>", "ng:operatesIn", "<urn:e:us>", extra="ng:negated true ;"),
    _stmt("<urn:e:xiaomi>", "ng:operatesIn", "<urn:e:us>", extra='ex:polarity "negative" ;'),
    _stmt("<urn:e:xiaomi>", "ng:operatesIn", "<urn:e:us>", confidence=0.5),
    _stmt("<urn:e:xiaomi>", "ng:plansToEnter", "<urn:e:us>", extra='ex:isNegated "1" ;'),
    _stmt("<urn:e:huawei>", "ng:acquired", "<urn:e:apple>", confidence=0.99),
    _stmt("<urn:e:xiaomi>", "ng:memberOf", "<urn:e:apple>"),
    _stmt("<urn:e:ms2>", "ng:competesWith", "<urn:e:apple>", article="a2"),
    _stmt("<urn:e:xiaomi>", "ng:acquired", "<urn:e:apple>", article="a3"),
    _stmt("<urn:e:xiaomi>", "ng:acquired", "<urn:e:apple>", article="a5"),
    _stmt("<urn:e:apple>", "ng:sued", "<urn:e:xiaomi>", article="nowhere"),
]) + """
<urn:e:xiaomi> ng:makes "Mi 9" .
[] a rdf:Statement ; rdf:subject <urn:e:xiaomi> ; rdf:predicate ng:makes ; rdf:object "Mi 9" ;
   prov:wasDerivedFrom <urn:art:a1> .
<urn:e:apple> ng:sued <urn:e:xiaomi> .
[] a rdf:Statement ; rdf:subject <urn:e:apple> ; rdf:predicate ng:sued ;
   rdf:object <urn:e:xiaomi> ; dct:source <urn:art:a1> ; ng:confidence 0.82 .
"""

MESSY_GOLD = _gold(
    _fact("Xiaomi", "partnersWith", "Microsoft"),
    _fact("Huawei", "blockedBy", "AT&T", object_aliases=["AT&T Inc"]),
    _fact("Lei Jun", "worksFor", "Xiaomi", tier="extra"),
    _fact("Xiaomi", "basedIn", "China"),
    _fact("Xiaomi", "operatesIn", "United States", object_aliases=["U.S."],
          polarity="negated"),
    _fact("Xiaomi", "plansToEnter", "US", polarity="negated"),
    _fact("Huawei", "acquired", "Apple"),
    _fact("Xiaomi", "mergedWith", "Apple", tier="extra"),
    _fact("Apple", "competesWith", "Microsoft", article="a2"),
    _fact("Apple", "acquired", "Xiaomi", article="a3"),
    _fact("Apple", "makes", "iPhone", article="a4"),
    {"article": "a1", "entities": [
        {"name": "Xiaomi", "type": "Organization", "aliases": []},
        {"name": "Huawei", "type": "Organization", "aliases": ["Huawei Technologies"]},
        {"name": "AT&T", "type": "Person", "aliases": []},
        {"name": "Microsoft", "type": "Organization", "aliases": []},
        {"name": "Lei Jun", "type": "Person", "aliases": []},
        {"name": "Nobody", "type": "Person", "aliases": []},
    ]},
    {"article": "a4", "entities": [{"name": "United States", "type": "Place"}]},
)


def _kgeval(graph: Path, gold: Path) -> dict:
    if not KGEVAL.exists():
        pytest.skip(f"{KGEVAL} not found (../shared is not beside the repository)")
    proc = subprocess.run([sys.executable, str(KGEVAL), "--gold", str(gold), "--graph",
                           str(graph), "--json"],
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(proc.stdout)


def _agree(graph: Path, gold: Path) -> dict:
    referee = _kgeval(graph, gold)
    code, out, err = _run(str(graph), "--gold", str(gold), "--json")
    assert code == 0, err
    ours = json.loads(out)
    assert {k: ours[k] for k in referee} == referee
    code, out, _ = _run(str(graph), "--gold", str(gold))
    assert out.splitlines()[0] == " ".join(f"{k}={v}" for k, v in referee.items())
    return referee


def test_agrees_with_kgeval_on_a_messy_graph(tmp_path: Path) -> None:
    graph, gold = tmp_path / "messy.nt", tmp_path / "gold.jsonl"
    _graph(MESSY_GRAPH).serialize(graph, format="nt", encoding="utf-8")
    gold.write_text(MESSY_GOLD, encoding="utf-8")
    referee = _agree(graph, gold)
    # the graph exercises what it should: not everything right, not everything wrong
    assert referee["articles_missing"] == 1
    assert referee["negated_violations"] == 1
    assert 0 < referee["recall"] < 1 and 0 < referee["precision"] < 1
    assert 0 < referee["type_accuracy"] < 1


def test_agrees_with_kgeval_on_the_seed_build(seeds_kg, tmp_path: Path) -> None:
    graph = seeds_kg.write(tmp_path / "seeds.trig")
    referee = _agree(graph, GOLD)
    assert score(seeds_kg.graph, load_gold(GOLD)).summary() == referee


def test_cli_saves_merged_graph_files_in_any_format(mixed_files: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    graph, gold = mixed_files
    other = tmp_path / "other.nt"
    other.write_text('<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n',
                     encoding="utf-8")
    saved = tmp_path / "merged.nq"
    code, out, err = _run(str(graph), str(other), "--gold", str(gold), "--save", str(saved))
    assert code == 0, err
    assert len(load_graph(saved)) == len(load_graph(graph)) + 1
    assert _run(str(saved), "--gold", str(gold))[1] == out


def test_precision_per_decile_and_per_rule(mixed: tuple[Graph, str]) -> None:
    """Calibration and rule quality at a glance: every prediction lands in the decile of
    its confidence and under the rule (ng:extractor) of its most confident statement."""
    g, gold = mixed
    result = score(g, parse_gold(gold.splitlines()))
    assert sum(b.predicted for b in result.deciles) == result.predicted
    assert sum(b.correct for b in result.deciles) == result.correct
    for i, bucket in enumerate(result.deciles):
        if bucket.predicted:
            assert i / 10 <= bucket.mean_confidence <= (i + 1) / 10
    assert sum(b.predicted for b in result.extractors.values()) == result.predicted
    report = format_report(result)
    assert "confidence decile" in report and "rule" in report
