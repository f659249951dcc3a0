"""Extractions built by hand, without spaCy: for tests of the stages after extraction,
and for writer processes the tests start (so this module imports no test framework)."""

from __future__ import annotations

from newsgraph.models import Article, Extraction, Mention, Relation


def extraction(
    article_id: str,
    names: dict[str, str] | None = None,
    facts: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    *,
    negated: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    repeat: dict[str, int] | None = None,
    title: str | None = None,
    date: str | None = None,
    author: str | None = None,
    evidence: str = "They said so.",
) -> Extraction:
    """An article mentioning ``names`` (text -> type), each ``repeat[text]`` times (1),
    stating ``facts`` and denying ``negated`` (subject text, predicate, object text)."""
    names = dict(names or {})
    for s, _, o in [*facts, *negated]:
        names.setdefault(s, "Organization")
        names.setdefault(o, "Organization")
    mentions: list[Mention] = []
    first: dict[str, Mention] = {}
    offset = 0
    for text, etype in names.items():
        for _ in range((repeat or {}).get(text, 1)):
            m = Mention(article_id=article_id, text=text, start=offset, end=offset + len(text),
                        label=etype, votes=((etype, 1.0),))
            mentions.append(m)
            first.setdefault(text, m)
            offset += len(text) + 1
    relations = [Relation(subject=first[s], predicate=p, object=first[o], evidence=evidence,
                          confidence=0.9, extractor="test", negated=neg)
                 for triples, neg in ((facts, False), (negated, True)) for s, p, o in triples]
    article = Article(id=article_id, text="", title=title, date=date, author=author)
    return Extraction(article=article, mentions=tuple(mentions), relations=tuple(relations))
