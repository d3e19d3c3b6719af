"""A refusing HTTP(S) proxy: set as HTTPS_PROXY/HTTP_PROXY, it records and refuses every attempt.

The e2e tests run the real clients with `NO_PROXY=127.0.0.1,localhost`, so traffic to the stub
provider goes direct and anything else (telemetry, plugin sync, update checks) arrives here as a
`CONNECT host:443` or `GET http://host/...`. The guard answers 403 and closes; every test asserts it
recorded nothing. (A client that ignores proxy variables would escape this net; Claude Code and
Codex both honour them, which is how the facts' "outside connections" were observed.)
"""

from __future__ import annotations

import socket
import socketserver
import threading


class ProxyGuard:
    """Listener on 127.0.0.1 (random port) that refuses and records proxy requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.attempts: list[str] = []
        guard = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(5)
                data = b""
                try:
                    while b"\r\n" not in data and len(data) < 8192:
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                line = data.split(b"\r\n", 1)[0].decode("latin-1", "replace").strip()
                guard._record(line or "<connection without a request line>")
                try:
                    body = b"refused by the agentcost e2e proxy guard"
                    head = (
                        f"HTTP/1.1 403 Forbidden\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                    )
                    sock.sendall(head.encode() + body)
                except OSError:
                    pass

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    def _record(self, line: str) -> None:
        with self._lock:
            self.attempts.append(line)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def env(self) -> dict[str, str]:
        """Proxy variables (both spellings) pointing here; loopback bypasses the proxy."""
        no_proxy = "127.0.0.1,localhost,::1"
        out = {"NO_PROXY": no_proxy, "no_proxy": no_proxy}
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
            out[name] = self.url
            out[name.lower()] = self.url
        return out

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self.attempts)

    def reset(self) -> None:
        with self._lock:
            self.attempts.clear()

    def start(self) -> ProxyGuard:
        self._thread = threading.Thread(target=self._server.serve_forever, name="proxy-guard", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ProxyGuard:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
