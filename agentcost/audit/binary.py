"""Is a file text or binary? Decided by content (like git and grep), with an extension shortcut.

A file is binary when its first 8 KiB hold a NUL byte (git's test), or when more than 30% of its
first KiB are control bytes that text does not use. Formats that are binary by definition (images,
archives, databases, compiled objects) are recognised by extension without reading them; any other
file, whatever its name, is sniffed.
"""

from __future__ import annotations

import os

SNIFF_BYTES = 8192
NON_TEXT_LIMIT = 0.30
RATIO_BYTES = 1024

# Bytes that text files do not contain: C0 controls except \t \n \f \r \b ESC, and DEL.
_TEXT_CONTROLS = {8, 9, 10, 12, 13, 27}
_NON_TEXT = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_DELETE_NON_TEXT = bytes.maketrans(b"", b"")

KNOWN_BINARY_SUFFIXES = frozenset(
    {
        # images, audio, video, fonts
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".psd", ".heic",
        ".mp3", ".wav", ".flac", ".ogg", ".m4a", ".mp4", ".mov", ".avi", ".mkv", ".webm",
        ".woff", ".woff2", ".ttf", ".otf", ".eot",
        # archives and packages
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".jar", ".war", ".whl", ".egg",
        ".deb", ".rpm", ".dmg", ".iso",
        # compiled code and objects
        ".so", ".dylib", ".dll", ".exe", ".o", ".a", ".lib", ".obj", ".class", ".pyc", ".pyo", ".wasm",
        ".node", ".bin",
        # databases and data dumps
        ".sqlite", ".sqlite3", ".db", ".duckdb", ".mdb", ".parquet", ".feather", ".arrow", ".pkl",
        ".pickle", ".npy", ".npz", ".h5", ".hdf5", ".onnx", ".pt", ".pth", ".safetensors",
        # documents
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt",
    }
)  # fmt: skip


def is_binary_bytes(head: bytes) -> bool:
    """True when `head` (the first bytes of a file) looks binary. Empty content is text."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    # The ratio is judged on the first KiB (NULs, git's own test, on all 8 KiB): cheap and enough.
    sample = head[:RATIO_BYTES]
    non_text = len(sample) - len(sample.translate(_DELETE_NON_TEXT, _NON_TEXT))
    return non_text / len(sample) > NON_TEXT_LIMIT


def binary_by_suffix(name: str) -> bool:
    """Whether the file name alone says binary (images, archives, databases, objects)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in KNOWN_BINARY_SUFFIXES


def sniff(path: str) -> bool:
    """Read the first 8 KiB of `path` and say whether it is binary. Raises OSError if unreadable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        return is_binary_bytes(os.read(fd, SNIFF_BYTES))
    finally:
        os.close(fd)
