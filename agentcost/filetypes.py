"""What counts as the project's own code, and as its source more broadly, when a directory is judged
for exclusion. `ignore`'s detection and `audit-repo`'s proposals share these lists, so they never
disagree about whether a directory is code or data.

CODE: programming, markup and build languages: a directory mostly made of these (by file count or by
tokens) is never proposed. SOURCE adds docs and config formats: a directory is data only when most
of its bytes are neither.
"""

from __future__ import annotations

CODE_SUFFIXES = frozenset(
    {
        ".py", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".rs", ".java", ".kt",
        ".kts", ".scala", ".c", ".h", ".cc", ".cpp", ".hpp", ".cxx", ".m", ".mm", ".swift", ".rb",
        ".php", ".cs", ".fs", ".vb", ".lua", ".pl", ".pm", ".r", ".jl", ".ex", ".exs", ".erl", ".hs",
        ".ml", ".clj", ".dart", ".sh", ".bash", ".zsh", ".ps1", ".sql", ".vue", ".svelte", ".astro",
        ".html", ".css", ".scss", ".sass", ".less", ".gradle", ".cmake", ".proto", ".graphql", ".tf",
    }
)  # fmt: skip
SOURCE_SUFFIXES = CODE_SUFFIXES | {".md", ".rst", ".txt", ".toml", ".yaml", ".yml", ".ini", ".cfg"}


def suffix(rel: str) -> str:
    """ ".py" for "a/b.py"; "" without one (the dot of ".gitignore" starts no suffix)."""
    slash, dot = rel.rfind("/"), rel.rfind(".")
    return rel[dot:].lower() if dot > slash + 1 else ""


def is_code(rel: str) -> bool:
    """Whether the file at repository path `rel` is code by its suffix ("a/b.py": yes, "a/b.yaml": no)."""
    return suffix(rel) in CODE_SUFFIXES
