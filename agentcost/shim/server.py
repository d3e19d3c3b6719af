"""The shim's HTTP side: a starlette app served by uvicorn, httpx (async) to the upstream.

Routes:
* `POST /v1/responses` — streamed (SSE) or not, translated to `POST {root}/chat/completions`;
* `GET /v1/models` — passed through to the upstream (Codex and `codex doctor` ask for it);
* `GET /v1/agentcost-shim` — a health answer naming the upstream host (what `doctor codex` checks).

Streams are translated chunk by chunk as they arrive (nothing is buffered beyond one SSE event);
when Codex goes away the upstream request is closed. The upstream key is sent only to the
upstream, never logged, and masked in every message the shim writes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route as HttpRoute

from agentcost import __version__
from agentcost.secrets import register, scrub
from agentcost.shim import upstream_errors
from agentcost.shim.config import DEFAULT_MAX_REQUEST_BYTES, HEALTH_PATH
from agentcost.shim.request import RequestError, translate_request
from agentcost.shim.route import Route, Router
from agentcost.shim.sse import SSEDecoder
from agentcost.shim.stream import ResponseTranslator, feed_completion, sse_bytes, translate_completion

MAX_ERROR_BODY = 64 * 1024
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 300.0  # as Codex's own stream_idle_timeout_ms default


@dataclass
class ShimSettings:
    router: Router
    upstream_host: str  # for the health answer and messages
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    log: Callable[[str], None] = field(default=lambda line: print(scrub(line), file=sys.stderr, flush=True))
    transport: httpx.AsyncBaseTransport | None = None  # tests inject one
    # Called once per answered request that a routing rule chose (or would have, in dry-run):
    # (route, response id, Responses usage). Writes the routing record.
    on_routed: Callable[[Route, str, Mapping[str, Any] | None], None] | None = None


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error_response(err: upstream_errors.ShimError, *, stream: bool = False, model: str = "") -> Response:
    """A client error keeps its HTTP status (Codex prints the body); a retryable one (429, 5xx) of a
    streamed request becomes `response.failed` in a 200 stream, because Codex 0.171.0 replaces
    those statuses by canned text ("exceeded retry limit", "high demand") and the provider's
    message would be lost; from the event it keeps the message (and the delay of "try again in")."""
    if stream and (err.status == 429 or err.status >= 500):
        t = ResponseTranslator(model=model)
        events = t.fail(err.code, err.message)
        return Response(b"".join(sse_bytes(e) for e in events), media_type="text/event-stream")
    headers = {"retry-after": err.retry_after} if err.retry_after else None
    return JSONResponse(err.body(), status_code=err.status, headers=headers)


def _upstream_headers(route: Route, stream: bool) -> dict[str, str]:
    headers = {
        "content-type": "application/json",
        "accept": "text/event-stream" if stream else "application/json",
        "user-agent": f"agentcost-shim/{__version__}",
    }
    if route.upstream.api_key:
        headers["authorization"] = f"Bearer {route.upstream.api_key}"
    return headers


def _key_source(route: Route) -> str:
    return (
        f"${route.upstream.api_key_env}"
        if route.upstream.api_key_env
        else "the shim's --api-key-env variable"
    )


def build_app(settings: ShimSettings) -> Starlette:
    """The ASGI app. One httpx.AsyncClient (connection pool) for the app's lifetime."""
    state: dict[str, httpx.AsyncClient] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
        # TCP_NODELAY: httpcore writes the request head and body separately; with Nagle the body
        # waits for the upstream's (delayed, up to 40 ms) ACK of the head.
        transport = settings.transport or httpx.AsyncHTTPTransport(socket_options=NODELAY)
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            state["client"] = client
            yield

    async def responses(request: Request) -> Response:
        started = time.perf_counter()
        try:
            raw = await _read_body(request, settings.max_request_bytes)
        except _TooLarge:
            mb = settings.max_request_bytes / 1024 / 1024
            return _error_response(
                upstream_errors.bad_request(
                    f"request larger than {mb:g} MB (--max-request-mb)", "request_too_large", 413
                )
            )
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise RequestError("the request body must be a JSON object")
            route = settings.router(body)
            chat = translate_request(body, model=route.model)
        except (ValueError, RequestError) as e:
            return _error_response(upstream_errors.bad_request(f"cannot translate the request: {e}"))
        client = state["client"]
        upstream_req = client.build_request(
            "POST", route.upstream.chat_url, json=chat.body, headers=_upstream_headers(route, chat.stream)
        )
        try:
            upstream = await client.send(upstream_req, stream=True)
        except httpx.HTTPError as e:
            err = upstream_errors.unreachable(route.upstream.host, e)
            settings.log(f"POST /v1/responses model={route.model} -> {err.status}: {err.message}")
            return _error_response(err, stream=chat.stream, model=route.model)
        if upstream.status_code >= 400:
            try:
                data = await _read_limited(upstream, MAX_ERROR_BODY)
            finally:
                await upstream.aclose()
            err = upstream_errors.from_status(
                upstream.status_code,
                data,
                route.upstream.host,
                _key_source(route),
                upstream.headers.get("retry-after"),
            )
            settings.log(f"POST /v1/responses model={route.model} -> {err.status}: {err.message}")
            return _error_response(err, stream=chat.stream, model=route.model)
        translator = ResponseTranslator(model=route.model, tools=chat.tools)
        json_answer = upstream.headers.get("content-type", "").startswith("application/json")
        if not chat.stream or json_answer:  # some providers answer a stream request with one JSON object
            try:
                completion = json.loads(await _read_limited(upstream, settings.max_request_bytes))
            except (ValueError, httpx.HTTPError) as e:
                err = upstream_errors.unreachable(route.upstream.host, e)
                return _error_response(err, stream=chat.stream, model=route.model)
            finally:
                await upstream.aclose()
            if not isinstance(completion, dict) or ("error" in completion and not completion.get("choices")):
                said = scrub(upstream_errors.provider_message(json.dumps(completion).encode()))
                err = upstream_errors.ShimError(
                    502,
                    "server_error",
                    "upstream_error",
                    f"the provider ({route.upstream.host}) answered 200 with an error, not a completion: "
                    f"{said}",
                )
                settings.log(f"POST /v1/responses model={route.model} -> {err.status}: {err.message}")
                return _error_response(err, stream=chat.stream, model=route.model)
            if chat.stream:
                events = [*translator.start(), *feed_completion(translator, completion), *translator.finish()]
                _log_done(settings, route, translator.usage, started, translator.response_id)
                return Response(b"".join(sse_bytes(e) for e in events), media_type="text/event-stream")
            out = translate_completion(completion, route.model, chat.tools)
            _log_done(settings, route, out.get("usage"), started, str(out.get("id", "")))
            return JSONResponse(out)
        return StreamingResponse(
            _translate_stream(upstream, translator, settings, route, started),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )

    async def models(request: Request) -> Response:
        route = settings.router({})
        client = state["client"]
        headers = _upstream_headers(route, False)
        try:
            upstream = await client.get(route.upstream.models_url, headers=headers)
        except httpx.HTTPError as e:
            return _error_response(upstream_errors.unreachable(route.upstream.host, e))
        return Response(
            upstream.content,
            status_code=upstream.status_code,
            media_type=upstream.headers.get("content-type", "application/json"),
        )

    async def health(request: Request) -> Response:
        return JSONResponse(
            {"agentcost_shim": __version__, "upstream": settings.upstream_host, "api": "chat/completions"}
        )

    return Starlette(
        routes=[
            HttpRoute("/v1/responses", responses, methods=["POST"]),
            HttpRoute("/v1/models", models, methods=["GET"]),
            HttpRoute(HEALTH_PATH, health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


async def _read_limited(resp: httpx.Response, limit: int) -> bytes:
    out = bytearray()
    async for chunk in resp.aiter_bytes():
        out += chunk
        if len(out) >= limit:
            break
    return bytes(out[:limit])


async def _translate_stream(
    upstream: httpx.Response,
    translator: ResponseTranslator,
    settings: ShimSettings,
    route: Route,
    started: float,
) -> AsyncIterator[bytes]:
    decoder = SSEDecoder()
    try:
        # One write per upstream read (all events it completes, joined): each socket send costs a
        # syscall and a wake-up of the reader, and the events of one read are ready together anyway.
        yield b"".join(sse_bytes(e) for e in translator.start())
        async for chunk in upstream.aiter_bytes():  # decoded (a provider may gzip its stream)
            out = b"".join(b for data in decoder.feed(chunk) for b in _handle_data(data, translator))
            if out:
                yield out
        tail = [b for data in decoder.close() for b in _handle_data(data, translator)]
        tail += [sse_bytes(e) for e in translator.finish()]
        # Logged (and the routing record written) before Codex sees response.completed: anything
        # run after Codex finishes (agentcost usage) finds the record.
        _log_done(settings, route, translator.usage, started, translator.response_id)
        if tail:
            yield b"".join(tail)
    except httpx.HTTPError as e:
        message = f"the stream from {route.upstream.host} broke off: {type(e).__name__}: {scrub(str(e))}"
        settings.log(f"POST /v1/responses model={route.model} -> failed: {message}")
        yield b"".join(sse_bytes(e) for e in translator.fail("upstream_stream_error", message))
    finally:
        await upstream.aclose()


def _handle_data(data: str, translator: ResponseTranslator) -> list[bytes]:
    if data.strip() == "[DONE]":
        return [sse_bytes(e) for e in translator.finish()]
    try:
        chunk = json.loads(data)
    except ValueError:
        return []  # keep-alives and other non-JSON lines some providers send
    if not isinstance(chunk, dict):
        return []
    if "error" in chunk and not chunk.get("choices"):
        said = upstream_errors.provider_message(data.encode())
        return [
            sse_bytes(e) for e in translator.fail("upstream_error", f"the provider failed mid-answer: {said}")
        ]
    return [sse_bytes(e) for e in translator.feed(chunk)]


def _log_done(
    settings: ShimSettings,
    route: Route,
    usage: Mapping[str, Any] | None,
    started: float,
    response_id: str = "",
) -> None:
    ms = (time.perf_counter() - started) * 1000
    tokens = ""
    if usage:
        tokens = f" in={usage.get('input_tokens')} out={usage.get('output_tokens')}"
    routed = ""
    if route.routed:
        routed = f" (routed from {route.asked} by rule {route.rule!r})"
    elif route.dry_run:
        routed = (
            f" (dry-run: rule {route.rule!r} would route to {route.would_model} @ {route.would_upstream})"
        )
    settings.log(
        f"POST /v1/responses model={route.model} -> {route.upstream.host} 200 {ms:.0f} ms{tokens}{routed}"
    )
    if settings.on_routed is not None and route.asked is not None:
        try:
            settings.on_routed(route, response_id, usage)
        except OSError as e:  # a full disk must not fail Codex's request
            settings.log(f"warning: cannot write the routing record: {e}")


# -------------------------------------------------------------------------------------------- serving


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 = any free port). Raises OSError when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP (not 0): asyncio sets TCP_NODELAY only on accepted sockets whose proto says
    # TCP, and without it every answer waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(app: Starlette, sock: socket.socket) -> None:
    """Run until SIGINT/SIGTERM (uvicorn handles both and drains open streams)."""
    import uvicorn

    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    uvicorn.Server(config).run(sockets=[sock])


def register_key(key: str | None) -> None:
    """The upstream key is masked in everything the shim prints."""
    register(key)
