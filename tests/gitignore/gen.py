"""A seeded generator of small repositories with hostile ignore files, for the differential tests.

Trees reuse a small pool of names so that the same name is a file in one place and a directory in
another; names hold spaces, "#", "!", "*", "[", "\\", non-ASCII letters and trailing spaces. Ignore
files (root and nested `.gitignore`, `.git/info/exclude`, the global excludes file) mix literal
names, anchored and unanchored paths, directory-only patterns, `**` in every position, classes,
ranges, escapes, negations (including ones that cannot work under an excluded directory),
comments, blank lines, trailing spaces and CRLF line ends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

NAMES = [
    "a",
    "b",
    "c",
    "ab",
    "abc",
    "logs",
    "build",
    "node_modules",
    "x.log",
    "y.txt",
    "data.db",
    ".env",
    ".hidden",
    "README",
    "foo bar",
    "sp ",
    "#h",
    "!bang",
    "st*r",
    "q?",
    "br[1]",
    "back\\sl",
    "é",
    "éa",
    "Ab",
    "a.b.c",
    "keep",
    ".gitkeep",
    "tmp~",
]
STEMS = ["a", "b", "ab", "abc", "logs", "build", "x", "y", "data", "keep", "foo", "é", "Ab", "tmp"]
EXTS = [".log", ".txt", ".db", "", ".c", "~"]


@dataclass
class Tree:
    files: list[str] = field(default_factory=list)  # relative paths, "/" separators
    dirs: set[str] = field(default_factory=set)
    ignores: dict[str, str] = field(default_factory=dict)  # dir rel ("" = root) -> .gitignore text
    info_exclude: str = ""
    global_excludes: str = ""


def _name(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(NAMES)
    return rng.choice(STEMS) + rng.choice(EXTS)


def make_tree(rng: random.Random, n_files: int = 40) -> Tree:
    t = Tree()
    tries = 0
    while len(t.files) < n_files and tries < n_files * 10:
        tries += 1
        depth = rng.choices([1, 2, 3, 4, 5], [3, 4, 3, 2, 1])[0]
        parts = [_name(rng) for _ in range(depth)]
        if ".git" in parts:
            continue
        prefixes = {"/".join(parts[:i]) for i in range(1, depth)}
        rel = "/".join(parts)
        # a path cannot be both a file and a directory in one tree
        if rel in t.dirs or rel in t.files or any(p in t.files for p in prefixes):
            continue
        if parts[-1] == ".gitignore":
            continue
        t.files.append(rel)
        t.dirs.update(prefixes)
    return t


def _glob_piece(rng: random.Random, name: str) -> str:
    """`name` with some characters turned into glob syntax that still (or no longer) matches it."""
    out = []
    for ch in name:
        r = rng.random()
        if ch in "*?[\\!#":
            out.append("\\" + ch if rng.random() < 0.8 else ch)
        elif ch == " ":
            out.append(rng.choice(["\\ ", " ", "?", "[ ]"]))
        elif r < 0.08:
            out.append("?")
        elif r < 0.14:
            out.append(f"[{ch}{rng.choice('xyz-')}]")
        elif r < 0.18:
            out.append(f"[!{rng.choice('xyz')}]")
        elif r < 0.21 and ch.isascii() and ch.isalpha():
            out.append(rng.choice(["[a-z]", "[A-Z]", "[[:alpha:]]", "[[:lower:]]", "[^0-9]", "[c-a]"]))
        elif r < 0.23:
            out.append("*")
        else:
            out.append(ch)
    text = "".join(out)
    if rng.random() < 0.15:
        text = rng.choice(["*", "**", "*" + text[-2:], text[:2] + "*", text + "*", "*" + text, text + "**"])
    return text


def _pattern(rng: random.Random, t: Tree, base: str) -> str:
    """One line for an ignore file living in directory `base` ("" or "a/b")."""
    pre = base + "/" if base else ""
    local = [p[len(pre) :] for p in [*t.files, *sorted(t.dirs)] if p.startswith(pre)] or ["a"]
    target = rng.choice(local).split("/")
    r = rng.random()
    if r < 0.3:  # a name at any depth
        body = _glob_piece(rng, rng.choice(target))
    elif r < 0.5:  # a path, anchored or not
        k = rng.randint(1, len(target))
        segs = [_glob_piece(rng, s) if rng.random() < 0.4 else s for s in target[:k]]
        body = "/".join(segs)
        if len(segs) == 1 or rng.random() < 0.4:
            body = "/" + body
    elif r < 0.75:  # "**" in every position
        segs = [_glob_piece(rng, s) if rng.random() < 0.3 else s for s in target]
        form = rng.randrange(8)
        if form == 0:
            body = "**/" + segs[-1]
        elif form == 1:
            body = "/".join(segs[: max(1, len(segs) - 1)]) + "/**"
        elif form == 2 and len(segs) >= 2:
            body = segs[0] + "/**/" + segs[-1]
        elif form == 3:
            body = "**/" + "/".join(segs[-2:])
        elif form == 4 and len(segs) >= 2:  # git wildmatches after the literal head: "a/b**" = "a/b" + "**"
            body = "/".join([*segs[:-1], segs[-1][:1]]) + rng.choice(["**", "**/*", "**/" + segs[-1]])
        elif form == 4:
            body = segs[0] + "**"
        elif form == 5:
            body = "**" + segs[-1]
        elif form == 7:
            body = rng.choice(["**/", "/"]) + "/**/".join(segs[i] for i in sorted({0, len(segs) - 1}))
        else:
            body = rng.choice(["**", "**/", "*/", "/**/*", "*/*", "***", "**/**", "a/**/**/b", "*/**/c"])
    elif r < 0.85:
        body = rng.choice(["*" + e for e in EXTS if e] + ["*", "?", "??", "*.*", ".*", "[.]*"])
    else:
        body = rng.choice(NAMES)
        body = "\\" + body if body[0] in "#!" else body.replace("\\", "\\\\")
    if rng.random() < 0.3:
        body += "/"
    if rng.random() < 0.3:
        body = "!" + body
    if rng.random() < 0.08:
        body += rng.choice([" ", "  ", "\t", "\\ ", " \\ "])
    return body


def make_ignore(rng: random.Random, t: Tree, base: str, n: int) -> str:
    lines = []
    for _ in range(n):
        r = rng.random()
        if r < 0.05:
            lines.append("# " + rng.choice(NAMES))
        elif r < 0.08:
            lines.append(rng.choice(["", " ", "\\#h", "#!bang", "!", "/", "\\", "[", "a[", "[[:nope:]]"]))
        else:
            lines.append(_pattern(rng, t, base))
    nl = "\r\n" if rng.random() < 0.15 else "\n"
    end = nl if rng.random() < 0.8 else ""
    return nl.join(lines) + end


def generate(seed: int) -> Tree:
    rng = random.Random(seed)
    t = make_tree(rng, rng.randint(15, 45))
    t.ignores[""] = make_ignore(rng, t, "", rng.randint(2, 10))
    for d in sorted(t.dirs):
        if rng.random() < 0.25:
            t.ignores[d] = make_ignore(rng, t, d, rng.randint(1, 5))
    if rng.random() < 0.4:
        t.info_exclude = make_ignore(rng, t, "", rng.randint(1, 4))
    if rng.random() < 0.3:
        t.global_excludes = make_ignore(rng, t, "", rng.randint(1, 3))
    return t
