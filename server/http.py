"""GraphQL over HTTP, as its specification has it: GET and POST, media types, status codes.

Also here: the request body limit, batches, automatic persisted queries, and HTTP
caching of GET queries with ETag and Cache-Control. What a request asks for is answered
by `schema.execution.Operations.execute`, as over WebSocket; this module reads the HTTP
request into it and writes its answer out as an HTTP response.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from graphql import GraphQLError, OperationType
from starlette.requests import ClientDisconnect
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from db import wal
from schema.compiled.plans import RawJSON
from schema.execution import Answer, NotCarried, Operations, Request, RequestError, refusal
from server import request_id
from server.persisted import PersistedQueries
from server.settings import Settings
from server.trusted import TrustedDocuments

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


# A request with this header set to "true" is checked and estimated, not run.
DRY_RUN = "x-bilateral-dry-run"
# Read-your-writes: a mutation's answer carries its commit's log position in this header
# (and in extensions.lsn); a request that sends it back is read from a server that has
# replayed that far.
LSN = "X-Bilateral-LSN"
_LSN = LSN.lower()

# Request bodies up to this size are kept with what they were read as (`GraphQLEndpoint._read`).
KEPT_BODY_BYTES = 4096

# The `extensions.code` of a request refused before it runs, by HTTP status.
PROBLEM_CODES = {
    400: "BAD_REQUEST",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class HTTPProblem(Exception):
    """A request that is not a well-formed GraphQL request: answered with a 4xx status."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.code = code or PROBLEM_CODES.get(status, "BAD_REQUEST")


@dataclass(slots=True)
class Incoming:
    """One request to /graphql as the endpoint reads it, whether Starlette made it a Request
    or it came straight from the ASGI scope (`GraphQLEndpoint.__call__`)."""

    method: str
    headers: Mapping[str, str]  # looked up by lower-case name
    params: Mapping[str, str]  # the URL's query parameters
    body: AsyncIterator[bytes]  # its chunks as they arrive
    request_id: str
    address: str | None = None  # the client's network address, as the server saw it

    @classmethod
    def of(cls, request: StarletteRequest) -> Incoming:
        """A request that went through Starlette's routing and middleware."""
        scope = request.scope
        return cls(
            request.method,
            request.headers,
            request.query_params,
            request.stream(),
            request_id.request_id(scope),
            request.client.host if request.client else None,
        )

    @classmethod
    def direct(cls, scope: Scope, receive: Receive) -> Incoming:
        """A request read from its ASGI scope, given its ID here."""
        # The first of a repeated header counts: later ones are read first, then replaced.
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in reversed(scope["headers"])
        }
        rid = request_id.assign(scope, headers.get(request_id.KEY, ""))
        client = scope.get("client")
        address = client[0] if client else None
        return cls(scope["method"], headers, {}, _chunks(receive), rid, address)


async def _chunks(receive: Receive) -> AsyncIterator[bytes]:
    """A request body's chunks, from ASGI messages; ClientDisconnect if the client leaves."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


@dataclass(slots=True)
class Reply:
    """An answer from the /graphql route, before it is sent one way or the other."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    media: str | None = None  # the Content-Type, when there is a body

    def response(self) -> Response:
        """The answer as Starlette sends it."""
        return Response(self.body, self.status, self.headers, self.media)

    async def send(self, send: Send, rid: str) -> None:
        """Send the answer on an ASGI channel, with the request's ID, as Starlette would."""
        headers = [_header(name, value) for name, value in self.headers.items()]
        headers += ((b"content-length", b"%d" % len(self.body)), (request_id.NAME, rid.encode()))
        if self.media is not None:
            headers.append((b"content-type", self.media.encode("latin-1")))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


@functools.lru_cache(maxsize=64)
def _header_name(name: str) -> bytes:
    """A response header's name as ASGI sends it: one of a few, each encoded once."""
    return name.lower().encode("latin-1")


def _header(name: str, value: str) -> tuple[bytes, bytes]:
    """A response header as ASGI sends it (the budget's values change with every request,
    so values are not kept)."""
    return _header_name(name), value.encode("latin-1")


# The kinds of operation each method carries: a GET only queries, a POST anything (a
# subscription, which HTTP cannot carry, is refused once it is known to be valid).
GET_CARRIES = frozenset({OperationType.QUERY})
POST_CARRIES = frozenset(OperationType)


def _status(answer: Answer, media: str) -> int:
    """The HTTP status of an answer.

    503 when the database was unavailable (but a graphql-response+json answer that
    has data must be 2xx, as the GraphQL-over-HTTP specification says); 400 for a
    request that failed before execution, with graphql-response+json; else 200.
    """
    if not answer.errors:  # the usual answer (a failed request has errors)
        return 200
    if answer.refused and answer.rate is not None and "RATE_LIMITED" in answer.codes:
        return 429
    if answer.refused and "UNAUTHENTICATED" in answer.codes:
        return 401
    if "SERVICE_UNAVAILABLE" in answer.codes and not (
        answer.data is not None and media == GRAPHQL_RESPONSE
    ):
        return 503
    return 400 if answer.refused and media == GRAPHQL_RESPONSE else 200


def _execution(answer: Answer) -> dict[str, str]:
    """The headers that say how an answer was made (one compiled statement, or resolvers)
    and, after a write with replicas about, where in the log it was committed."""
    headers = {"X-Bilateral-Execution": "compiled" if answer.compiled else "resolvers"}
    if answer.position is not None:
        headers[LSN] = wal.write(answer.position)
    return headers | _rate(answer)


# The headers that say where the client's budget stands (schema.budget), as GitHub's.
RATE_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Used",
    "X-RateLimit-Reset",
    "Retry-After",
)


def _rate(answer: Answer) -> dict[str, str]:
    """The X-RateLimit-* headers of an answer (and Retry-After, when the budget refused it)."""
    if answer.rate is None:
        return {}
    headers = answer.rate.headers()
    if answer.retry_after:
        headers["Retry-After"] = str(answer.retry_after)
    return headers


def choose_media_type(accept: str | None) -> str:
    """The response media type the Accept header asks for; 406 when it accepts neither."""
    if not accept:
        return JSON
    ranges = []
    for part in accept.split(","):
        media, *parameters = (item.strip() for item in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append(media.lower())
    if GRAPHQL_RESPONSE in ranges:
        return GRAPHQL_RESPONSE
    if any(media in ranges for media in (JSON, "application/*", "*/*")):
        return JSON
    raise HTTPProblem(
        406, f"Responses are {GRAPHQL_RESPONSE} or {JSON}; the Accept header allows neither."
    )


def _json_param(value: str | None, name: str) -> Any:
    """A GET parameter that carries JSON (variables, extensions)."""
    if value is None or value == "":
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise HTTPProblem(400, f"The {name} parameter is not valid JSON.") from None


def read_params(payload: Any) -> Request:
    """Check the shape of one GraphQL request object."""
    if not isinstance(payload, dict):
        raise HTTPProblem(400, "A GraphQL request must be a JSON object with a string `query`.")
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    extensions = payload.get("extensions")
    document_id = payload.get("documentId")
    if document_id is not None and not isinstance(document_id, str):
        raise HTTPProblem(400, "The `documentId` parameter must be a string.")
    if query is not None and not isinstance(query, str):
        raise HTTPProblem(400, "The `query` parameter must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise HTTPProblem(400, "The `variables` parameter must be an object.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HTTPProblem(400, "The `operationName` parameter must be a string.")
    if extensions is not None and not isinstance(extensions, dict):
        raise HTTPProblem(400, "The `extensions` parameter must be an object.")
    if (
        query is None
        and document_id is None
        and not (extensions and "persistedQuery" in extensions)
    ):
        raise HTTPProblem(400, "The request has no `query`: send the GraphQL document as a string.")
    return Request(query, variables, operation_name, extensions, document_id)


async def read_body(request: Incoming, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it grows beyond the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPProblem(413, f"The request body is {declared} bytes; the limit is {limit}.")
    body = b""
    async for chunk in request.body:
        body += chunk
        if len(body) > limit:
            raise HTTPProblem(413, f"The request body is over the limit of {limit} bytes.")
    return body


def _check_content_type(content_type: str) -> None:
    """415 unless a POST's Content-Type is JSON in UTF-8."""
    kind, *parameters = (part.strip().lower() for part in content_type.split(";"))
    if kind != JSON:
        raise HTTPProblem(415, f"POST a GraphQL request as {JSON}.")
    charset = next((p.partition("=")[2] for p in parameters if p.startswith("charset=")), "utf-8")
    if charset.strip('"') not in {"utf-8", "utf8"}:
        raise HTTPProblem(415, "The request body must be UTF-8.")


def _problem_reply(problem: HTTPProblem, media: str) -> Reply:
    error = {"message": problem.message, "extensions": {"code": problem.code}}
    content = json.dumps({"errors": [error]}).encode()
    headers = {"Cache-Control": "no-store", **problem.headers}
    return Reply(problem.status, headers, content, f"{media}; charset=utf-8")


class GraphQLEndpoint:
    """The /graphql route."""

    def __init__(
        self,
        operations: Operations,
        settings: Settings,
        ide_html: str,
        trusted: TrustedDocuments | None = None,
    ) -> None:
        self.operations = operations
        self.trusted = trusted  # the only documents that run, when there is such a list
        self.settings = settings
        self.persisted = PersistedQueries(
            settings.persisted_queries, operations.replicas.primary.sessions, operations.writer
        )
        self.ide = ide_html  # the GraphiQL page a browser gets at /graphql
        # Small POST bodies seen lately and the parameters they hold: a client that repeats
        # a request (the common case: the same query, the same variables) is not parsed again.
        self._bodies: OrderedDict[bytes, Request] = OrderedDict()

    async def handle(self, request: StarletteRequest) -> Response:
        """Answer one request to the GraphQL route that came through Starlette."""
        return (await self.answer(Incoming.of(request))).response()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a request sent straight here from the ASGI scope: a POST of an operation
        that needs none of the middleware's work but its request ID (see `server.app`)."""
        incoming = Incoming.direct(scope, receive)
        try:
            reply = await self.answer(incoming)
        except ClientDisconnect:
            return
        await reply.send(send, incoming.request_id)

    async def answer(self, request: Incoming) -> Reply:
        """Answer one request to the GraphQL route."""
        media = JSON
        try:
            if request.method == "GET" and _wants_ide(request):
                return Reply(200, {}, self.ide.encode(), "text/html; charset=utf-8")
            media = choose_media_type(request.headers.get("accept"))
            if request.method == "HEAD":  # as GET answers, headers only
                return replace(await self._get(request, media), body=b"")
            if request.method == "GET":
                return await self._get(request, media)
            return await self._post(request, media)
        except HTTPProblem as problem:
            return _problem_reply(problem, media)

    async def _get(self, request: Incoming, media: str) -> Reply:
        query = request.params
        params = read_params(
            {
                "query": query.get("query"),
                "variables": _json_param(query.get("variables"), "variables"),
                "operationName": query.get("operationName") or None,
                "extensions": _json_param(query.get("extensions"), "extensions"),
                "documentId": query.get("documentId") or None,
            }
        )
        answer = await self._execute(request, params, GET_CARRIES)
        content = encode(answer)
        status = _status(answer, media)
        # With replicas, the answer depends on the log position a client sends back.
        vary = f"Accept, {LSN}" if self.operations.replicas.replicas else "Accept"
        headers = {"Vary": vary, **_execution(answer)}
        if status == 200 and not answer.errors:
            # The media type is part of what is tagged: the same data as JSON and as
            # graphql-response+json are two representations.
            # The budget's figures change with every request, not with the data: they are
            # left out of what is tagged, and the tag is weak (the same data, not the same bytes).
            tagged = content if answer.rate is None else encode(_unrated(answer))
            digest = hashlib.sha256(media.encode() + b"\n" + tagged).hexdigest()[:32]
            etag = ("" if answer.rate is None else "W/") + '"' + digest + '"'
            max_age = self.settings.cache_max_age
            cache = f"public, max-age={max_age}" if max_age else "no-cache"
            headers |= {"ETag": etag, "Cache-Control": cache}
            if etag.removeprefix("W/") in _etags(request.headers.get("if-none-match", "")):
                return Reply(304, headers)
        else:
            headers["Cache-Control"] = "no-store"
        return Reply(status, headers, content, f"{media}; charset=utf-8")

    async def _post(self, request: Incoming, media: str) -> Reply:
        content_type = request.headers.get("content-type", "")
        if content_type != JSON:  # the usual one, as it is, needs no reading
            _check_content_type(content_type)
        body = await read_body(request, self.settings.max_body_bytes)
        read = self._read(body)
        headers = {"Cache-Control": "no-store"}
        if isinstance(read, list):
            answers = [await self._execute(request, item, POST_CARRIES) for item in read]
            positions = [answer.position for answer in answers if answer.position is not None]
            if positions:
                headers[LSN] = wal.write(max(positions))
            headers |= _rate(answers[-1])
            content = b"[" + b",".join(encode(answer) for answer in answers) + b"]"
            return Reply(200, headers, content, f"{media}; charset=utf-8")
        answer = await self._execute(request, read, POST_CARRIES)
        headers |= _execution(answer)
        return Reply(_status(answer, media), headers, encode(answer), f"{media}; charset=utf-8")

    def _read(self, body: bytes) -> Request | list[Request]:
        """A POST body's request, or batch of them; a small one is kept with what it holds."""
        found = self._bodies.get(body)
        if found is not None:
            self._bodies.move_to_end(body)
            return found
        try:
            payload = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise HTTPProblem(400, "The request body is not valid UTF-8.") from None
        except ValueError:
            raise HTTPProblem(400, "The request body is not valid JSON.") from None
        if isinstance(payload, list):
            return self._batch(payload)
        params = read_params(payload)
        if len(body) <= KEPT_BODY_BYTES:
            self._bodies[body] = params
            if len(self._bodies) > self.operations.cache_size:
                self._bodies.popitem(last=False)
        return params

    def _batch(self, payload: list[Any]) -> list[Request]:
        if not self.settings.batching:
            raise HTTPProblem(400, "Batched requests are switched off (BILATERAL_BATCHING).")
        if not payload or len(payload) > self.settings.max_batch:
            raise HTTPProblem(
                400,
                f"A batch holds {len(payload)} operations; it must hold 1 to"
                f" {self.settings.max_batch} (BILATERAL_MAX_BATCH).",
            )
        return [read_params(item) for item in payload]

    async def _persisted_text(self, params: Request, persisted: Any) -> str:
        """The query to run for a request with a persisted-query hash: the one it stands for,
        or the text sent with it, kept for next time."""
        if (
            not isinstance(persisted, dict)
            or persisted.get("version") != 1
            or not isinstance(persisted.get("sha256Hash"), str)
        ):
            raise HTTPProblem(
                400, "extensions.persistedQuery must be {version: 1, sha256Hash: string}."
            )
        sha256 = persisted["sha256Hash"]
        if self.trusted is not None:  # the list's hashes only, and none registered
            try:
                listed = self.trusted.text(sha256)
            except GraphQLError as error:
                raise RequestError([error]) from None
            return params.query if params.query is not None else listed
        if params.query is None:
            found = await self.persisted.get(sha256)
            if found is None:
                raise RequestError(
                    [
                        GraphQLError(
                            "PersistedQueryNotFound",
                            extensions={"code": "PERSISTED_QUERY_NOT_FOUND"},
                        )
                    ]
                )
            return found
        if not await self.persisted.add(sha256, params.query):
            raise HTTPProblem(
                400,
                "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query.",
                code="PERSISTED_QUERY_HASH_MISMATCH",
            )
        return params.query

    async def _execute(
        self, request: Incoming, params: Request, carries: frozenset[OperationType]
    ) -> Answer:
        """Answer one GraphQL request the HTTP request holds, as `schema.execution` does for
        both transports; HTTP adds the persisted queries, the headers that say whom the
        answer is for (a token, a log position, an estimate only) and the methods' rules."""
        persisted = (params.extensions or {}).get("persistedQuery")
        if params.document_id is not None and params.query is None:
            if self.trusted is None:
                raise HTTPProblem(
                    400,
                    "`documentId` names a trusted document; this deployment has no list of them.",
                )
            try:
                params = replace(params, query=self.trusted.text(params.document_id))
            except GraphQLError as error:
                return refusal([error])
        elif persisted is not None:
            try:
                params = replace(params, query=await self._persisted_text(params, persisted))
            except RequestError as error:
                return refusal(error.errors)
        try:
            return await self.operations.execute(
                params,
                request.request_id,
                authorization=request.headers.get("authorization"),
                address=request.address,
                after=_position_sent(request),
                estimate_only=request.headers.get(DRY_RUN, "").strip().lower() in _YES,
                carried=carries,
            )
        except NotCarried:
            if carries is GET_CARRIES:  # the method decides before validity
                raise HTTPProblem(
                    405, "Only queries may be sent with GET; use POST.", {"Allow": "POST"}
                ) from None
            raise HTTPProblem(
                400, "Subscriptions are served over WebSocket, not plain HTTP."
            ) from None


# How a client says "true" in a header.
_YES = {"1", "true", "yes"}
# Made once: json.dumps with options makes a new encoder on every call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode(answer: Answer) -> bytes:
    """An answer as UTF-8 JSON; compiled `data` goes in as it is."""
    data = answer.data
    if isinstance(data, RawJSON):  # a compiled answer: its data, and its cost
        extensions = _extensions(answer.extensions or {})
        return b'{"data":' + data.text.encode("utf-8") + b',"extensions":' + extensions + b"}"
    return _COMPACT.encode(answer.body()).encode("utf-8")


# The usual `extensions` of an answer, its cost, with the counts to fill in: without and
# with the client's budget.
_COST_KEYS = ("estimatedNodes", "maxNodes", "returnedObjects")
_COST = b'{"cost":{"estimatedNodes":%d,"maxNodes":%d,"returnedObjects":%d}}'
_RATED_KEYS = (*_COST_KEYS, "rateLimit")
_RATE_KEYS = ("limit", "remaining", "used", "reset", "charged")
_RATED = (
    b'{"cost":{"estimatedNodes":%d,"maxNodes":%d,"returnedObjects":%d,"rateLimit":'
    b'{"limit":%d,"remaining":%d,"used":%d,"reset":%d,"charged":%d}}}'
)


def _extensions(extensions: dict[str, Any]) -> bytes:
    """`extensions` as JSON; the usual one, the cost alone, is written from a template (the
    encoder's set-up costs more than the writing, for an object this small)."""
    cost = extensions.get("cost")
    if len(extensions) == 1 and type(cost) is dict:
        keys = tuple(cost)
        if keys == _COST_KEYS:
            return _COST % tuple(cost.values())
        rate = cost.get("rateLimit")
        if keys == _RATED_KEYS and type(rate) is dict and tuple(rate) == _RATE_KEYS:
            return _RATED % (*tuple(cost.values())[:3], *rate.values())
    return _COMPACT.encode(extensions).encode("utf-8")


def _unrated(answer: Answer) -> Answer:
    """The answer without where the client's budget stands (for its ETag)."""
    extensions = dict(answer.extensions or {})
    cost = extensions.get("cost")
    if isinstance(cost, dict) and "rateLimit" in cost:
        extensions["cost"] = {key: value for key, value in cost.items() if key != "rateLimit"}
    return replace(answer, extensions=extensions, rate=None)


def _position_sent(request: Incoming) -> int | None:
    """The log position a client sent back for read-your-writes, if any; 400 if malformed."""
    sent = request.headers.get(_LSN)
    if sent is None or not sent.strip():
        return None
    position = wal.parse(sent)
    if position is None:
        raise HTTPProblem(
            400,
            f"The {LSN} header must be a log position as a mutation returned it, like 0/16B3748.",
        )
    return position


def _wants_ide(request: Incoming) -> bool:
    """A browser opening /graphql (HTML accepted, no operation given) gets GraphiQL."""
    params = request.params
    asks_html = "text/html" in request.headers.get("accept", "")
    return asks_html and "query" not in params and "extensions" not in params


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
