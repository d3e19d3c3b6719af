"""Realistic repository trees built on disk for detection and audit tests (no sparse files: the
audit sniffs content, and a hole reads as NUL bytes, i.e. binary)."""

from __future__ import annotations

from pathlib import Path

LANGS = [f"l{i:02d}" for i in range(60)]
PY = (
    "from __future__ import annotations\n\n\n"
    "class View:\n    def dispatch(self, request, *args, **kwargs):\n"
    "        handler = getattr(self, request.method.lower(), None)\n"
    "        return handler(request, *args, **kwargs)\n\n"
)
PO_ENTRY = (
    "#: contrib/admin/options.py:123\n"
    'msgid "Select %(verbose_name)s to change"\n'
    'msgstr "Sélectionnez %(verbose_name)s"\n\n'
)


def _write(p: Path, data: bytes) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)


def django_like(root: Path, *, py_files: int = 160) -> dict[str, int]:
    """A web framework's source tree in the shape of Django 5.1's `django/`: a package of Python
    modules with gettext catalogs (text .po + binary .mo) for 60 languages in two `locale/` trees,
    which outweigh the code by bytes (~8 MB against ~0.5 MB) while the code outnumbers them in
    files. Returns byte totals by kind."""
    totals = {"py": 0, "po": 0, "mo": 0}
    for i in range(py_files):
        sub = ("db/models", "contrib/admin", "http", "template", "core")[i % 5]
        data = (PY * 8).encode()
        _write(root / f"webfw/{sub}/m{i}.py", data)
        totals["py"] += len(data)
    for app in ("conf", "contrib/admin"):
        for lang in LANGS:
            d = root / f"webfw/{app}/locale/{lang}/LC_MESSAGES"
            po = (PO_ENTRY * 420).encode()
            mo = b"\xde\x12\x04\x95\x00\x00\x00\x00" + bytes(range(256)) * 130
            _write(d / "django.po", po)
            _write(d / "django.mo", mo)
            totals["po"] += len(po)
            totals["mo"] += len(mo)
    _write(root / "README.rst", b"A web framework.\n")
    _write(root / "tests/test_views.py", (PY * 4).encode())
    return totals
