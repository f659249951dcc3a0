"""The newsgraph ontology, read from ``ontologies/newsgraph.ttl``.

The ontology file is the single source of predicate names, domains, ranges,
inverses and symmetry; this module reads it once and exposes:

- :data:`NG`, a closed namespace of every term the file defines, so a typo such as
  ``NG.partnerWith`` fails at once instead of minting a new IRI;
- :data:`RELATIONS`, the relation vocabulary with its schema.

>>> NG.partnersWith
rdflib.term.URIRef('https://w3id.org/newsgraph/ontology#partnersWith')
>>> RELATIONS["partnersWith"].symmetric, RELATIONS["blockedBy"].inverse
(True, 'blocks')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import ClosedNamespace

NG_IRI = "https://w3id.org/newsgraph/ontology#"
ENT_IRI = "https://w3id.org/newsgraph/entity/"
ART_IRI = "https://w3id.org/newsgraph/article/"

ENT = Namespace(ENT_IRI)
ART = Namespace(ART_IRI)


def ontology_path() -> Path:
    """Where the ontology file is: inside the wheel, or at the repository root."""
    packaged = resources.files("newsgraph") / "data" / "newsgraph.ttl"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "ontologies" / "newsgraph.ttl"


@cache
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (parsed once per process)."""
    return Graph().parse(ontology_path(), format="turtle")


@dataclass(frozen=True, kw_only=True, slots=True)
class RelationType:
    """One relation of the vocabulary, as the ontology defines it."""

    name: str
    label: str
    comment: str
    domain: str  # local name of the domain class ("Entity" for a union)
    range: str
    subject_types: frozenset[str] = frozenset()  # entity classes allowed as subject
    object_types: frozenset[str] = frozenset()
    symmetric: bool = False
    inverse: str | None = None
    parent: str | None = None  # rdfs:subPropertyOf, e.g. leads -> worksFor


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1]


def _terms(g: Graph) -> list[str]:
    return sorted({_local(s) for s in g.subjects() if str(s).startswith(NG_IRI)})


def _classes(g: Graph, node: object) -> frozenset[str]:
    """Entity classes a domain or range admits: a class, or an ``owl:unionOf`` list."""
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        return frozenset(c for m in Collection(g, members) for c in _classes(g, m))
    if node == URIRef(NG_IRI + "Entity"):
        return frozenset({"Organization", "Person", "Place", "Product"})
    return frozenset({_local(node)}) if str(node).startswith(NG_IRI) else frozenset()


def _relations(g: Graph) -> dict[str, RelationType]:
    """The relations between entities: object properties whose domain and range
    are entity classes (not ``mentionedIn`` or ``author``, which point at articles)."""
    out: dict[str, RelationType] = {}
    entity_classes = _classes(g, URIRef(NG_IRI + "Entity"))
    for prop in g.subjects(RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(NG_IRI):
            continue
        domain, range_ = g.value(prop, RDFS.domain), g.value(prop, RDFS.range)
        subjects, objects = _classes(g, domain), _classes(g, range_)
        if not (subjects and objects and subjects | objects <= entity_classes):
            continue
        inverse = g.value(prop, OWL.inverseOf)
        parent = g.value(prop, RDFS.subPropertyOf)
        out[_local(prop)] = RelationType(
            name=_local(prop),
            label=str(g.value(prop, RDFS.label)),
            comment=str(g.value(prop, RDFS.comment)),
            domain=_local(domain) if len(subjects) == 1 else "Entity",
            range=_local(range_) if len(objects) == 1 else "Entity",
            subject_types=subjects,
            object_types=objects,
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in g,
            inverse=_local(inverse) if inverse is not None else None,
            parent=_local(parent) if parent is not None else None,
        )
    return dict(sorted(out.items()))


NG = ClosedNamespace(NG_IRI, _terms(ontology_graph()))
"""Every term of the ontology; unknown names raise ``AttributeError``."""

RELATIONS: dict[str, RelationType] = _relations(ontology_graph())
"""The relation vocabulary (CONTRACT.md section 4), keyed by local name."""

ENTITY_CLASSES: tuple[str, ...] = tuple(
    sorted(
        _local(c)
        for c in ontology_graph().subjects(RDFS.subClassOf, NG.Entity)
        if str(c).startswith(NG_IRI)
    )
)
"""Local names of the entity classes: Organization, Person, Place, Product."""
