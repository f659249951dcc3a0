"""Send the graph to a remote SPARQL 1.1 Graph Store Protocol endpoint.

Any server that speaks the protocol takes it — Oxigraph (``/store``), Apache Jena
Fuseki (``/DATASET/data``), GraphDB (``/repositories/REPO/rdf-graphs/service``),
Virtuoso (``/sparql-graph-crud``) — so a graph can outgrow one machine.

Every request is an HTTP ``PUT`` of one whole named graph (``?graph=IRI``), which
replaces what the server had under that name: sending the same article twice
leaves the server as sending it once. What is sent after each article a build
commits:

- the article's named graph, exactly as the local store holds it;
- for each entity whose description the article changed (type, labels, mention
  count), that description as the named graph *named by the entity's IRI* — the
  protocol can only replace whole graphs, and one graph per entity lets one
  entity's description be replaced without touching the others'. A query over the
  server's union default graph sees the same triples as one over the local store;
- ``DELETE`` of the graph of an entity no article mentions any more.

The body is N-Triples sent as ``text/turtle`` (N-Triples is Turtle), the one RDF
syntax every store above accepts. Credentials in the URL
(``http://user:password@host/…``) become HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import http.client
import logging
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from .errors import EndpointError
from .graph import oxigraph_of
from .store import ArticleChange

logger = logging.getLogger(__name__)

__all__ = ["GraphStore"]

_CONTENT_TYPE = "text/turtle; charset=utf-8"


class GraphStore:
    """A SPARQL 1.1 Graph Store Protocol endpoint, spoken to over one kept-alive connection.

    Args:
        url: the endpoint, e.g. ``http://127.0.0.1:7878/store``.
        timeout: seconds to wait for the server on each request.

    Raises:
        EndpointError: the URL is not an http(s) URL.
    """

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise EndpointError(f"{url}: not an http(s) URL of a Graph Store Protocol endpoint "
                                f"(e.g. http://127.0.0.1:7878/store)")
        self.url = url
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._path = parts.path or "/"
        self._query = parts.query
        self._timeout = timeout
        self._headers: dict[str, str] = {}
        if parts.username is not None:
            user = unquote(parts.username)
            password = unquote(parts.password or "")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._conn: http.client.HTTPConnection | None = None
        self.requests = 0

    @property
    def display_url(self) -> str:
        """The URL without credentials, for messages."""
        port = f":{self._port}" if self._port else ""
        return f"{self._scheme}://{self._host}{port}{self._path}"

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = (http.client.HTTPSConnection if self._scheme == "https"
                   else http.client.HTTPConnection)
            self._conn = cls(self._host, self._port, timeout=self._timeout)
        return self._conn

    def close(self) -> None:
        """Close the connection (it is reopened by the next request)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _target(self, graph: str) -> str:
        query = f"graph={quote(graph, safe='')}"
        return f"{self._path}?{self._query}&{query}" if self._query else f"{self._path}?{query}"

    def _request(self, method: str, graph: str, body: bytes | None = None) -> int:
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = _CONTENT_TYPE
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            try:
                conn = self._connection()
                conn.request(method, self._target(graph), body=body, headers=headers)
                response = conn.getresponse()
                text = response.read()
                self.requests += 1
                if response.status >= 400 and not (method in {"DELETE", "HEAD"}
                                                   and response.status == 404):
                    detail = " ".join(text.decode("utf-8", "replace").split())[:200]
                    raise EndpointError(
                        f"{self.display_url}: {method} of graph <{graph}> was refused: "
                        f"{response.status} {response.reason}{f' ({detail})' if detail else ''}")
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise EndpointError(f"{self.display_url}: the server closed the connection "
                                        f"during {method} of <{graph}>") from None
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                raise EndpointError(f"{self.display_url}: cannot reach the endpoint "
                                    f"({getattr(exc, 'strerror', None) or exc})") from exc
        raise AssertionError("unreachable")

    def check(self) -> None:
        """Make sure the endpoint answers (a ``HEAD`` of a graph that need not exist).

        Raises:
            EndpointError: no server there, or it refuses us (e.g. 401).
        """
        self._request("HEAD", "urn:newsgraph:check")

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace a named graph with these triples (N-Triples)."""
        self._request("PUT", graph, ntriples)

    def delete(self, graph: str) -> None:
        """Remove a named graph; one the server does not have is fine."""
        self._request("DELETE", graph)

    def publish(self, dataset: Dataset, change: ArticleChange) -> None:
        """Send what one committed article changed (see the module docstring).

        Raises:
            EndpointError: a request failed; the local store keeps the article, and
                building again sends it again.
        """
        store = oxigraph_of(dataset)
        if store is None:
            raise EndpointError("publishing needs a dataset on Oxigraph")
        for graph in change.graphs:
            self.put(str(graph), store.dump(format=ox.RdfFormat.N_TRIPLES,
                                            from_graph=ox.NamedNode(str(graph))))
        for graph in change.dropped:
            self.delete(str(graph))
        for entity in change.entities:
            self.put(str(entity), _description(store, entity))
        for entity in change.removed:
            self.delete(str(entity))


def _description(store: ox.Store, entity: URIRef) -> bytes:
    """An entity's description (its triples in the default graph) as N-Triples."""
    triples = (ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(ox.NamedNode(str(entity)), None, None,
                                                ox.DefaultGraph()))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
