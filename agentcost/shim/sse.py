"""An incremental decoder for the server-sent events an upstream Chat Completions API streams.

Bytes arrive in arbitrary pieces (a chunk boundary can fall inside a line, or inside a UTF-8
character); `feed()` returns the `data` of every event completed so far. Comments (`: ping`),
`event:`/`id:`/`retry:` fields and CRLF line ends are handled as the SSE specification says.
"""

from __future__ import annotations

import codecs


class SSEDecoder:
    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[str]:
        """The `data` payloads of the events completed by this chunk, in order."""
        self._buffer += self._utf8.decode(chunk)
        out: list[str] = []
        while True:
            cut = _line_end(self._buffer)
            if cut is None:
                break
            line, rest = cut
            self._buffer = rest
            if line == "":
                if self._data:
                    out.append("\n".join(self._data))
                    self._data = []
            elif line.startswith(":"):
                continue
            else:
                name, _, value = line.partition(":")
                if name == "data":
                    self._data.append(value[1:] if value.startswith(" ") else value)
        return out

    def close(self) -> list[str]:
        """Flush an event the stream ended without a blank line after (some servers do that)."""
        tail = self.feed(b"\n\n") if self._buffer or self._data else []
        return tail


def _line_end(buffer: str) -> tuple[str, str] | None:
    for i, ch in enumerate(buffer):
        if ch == "\n":
            return buffer[:i], buffer[i + 1 :]
        if ch == "\r":
            if i + 1 == len(buffer):
                return None  # a CR at the very end may be the first half of CRLF
            skip = 2 if buffer[i + 1] == "\n" else 1
            return buffer[:i], buffer[i + skip :]
    return None
