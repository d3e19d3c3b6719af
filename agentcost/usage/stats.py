"""What a read saw besides the records: files, bytes, skipped lines, lost usage."""

from __future__ import annotations


class ReadStats:
    """Counters filled in by `iter_usage` (pass one in, read it after the iterator is exhausted).

    files: log files found; cached_files: served (fully or partly) from the cache; unreadable_files:
    files that could not be opened or read (paths in `unreadable_paths`, first 20 kept);
    bytes_total: size of all log files; bytes_parsed: bytes actually read and parsed this run;
    lines: lines parsed this run (cached lines are not re-counted); malformed_lines: lines that are not
    a JSON object (all files, cached or not); duplicates: responses seen more than once and counted once
    (Claude multi-block lines, resumed-session copies, Codex repeated records); usage_lost: Codex
    `token_count` events whose usage was not logged (`info: null`) — unknown, not zero;
    records: responses yielded (after the since/until filter).
    """

    # A plain class, not a dataclass: the status line imports this and `dataclasses` costs ~5 ms.
    def __init__(self) -> None:
        self.files = 0
        self.cached_files = 0
        self.unreadable_files = 0
        self.unreadable_paths: list[str] = []
        self.special_files = 0  # FIFOs, devices, sockets named like a log: never opened
        self.special_paths: list[str] = []
        self.bytes_total = 0
        self.bytes_parsed = 0
        self.lines = 0
        self.malformed_lines = 0
        self.duplicates = 0
        self.usage_lost = 0
        self.records = 0

    def __repr__(self) -> str:
        return f"ReadStats({self.as_dict()})"

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "cached_files": self.cached_files,
            "unreadable_files": self.unreadable_files,
            "unreadable_paths": list(self.unreadable_paths),
            "special_files": self.special_files,
            "special_paths": list(self.special_paths),
            "bytes_total": self.bytes_total,
            "bytes_parsed": self.bytes_parsed,
            "lines_parsed": self.lines,
            "malformed_lines": self.malformed_lines,
            "duplicates_skipped": self.duplicates,
            "usage_lost": self.usage_lost,
            "records": self.records,
        }
