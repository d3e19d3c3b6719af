"""Tables that fit the terminal: every renderer builds its tables through `fit_table`.

Each column says what it is:

* "key"    — identifies the row (a model, a path, a strategy). Never cut and never ellipsised: it
             keeps its full width when it can, wraps between words (a model's aliases go to a
             second line) before any word is broken, and folds a word only when even the narrowest
             table does not fit; two rows never show the same truncated label.
* "number" — a main figure (a price, a token count, a cost). Never wrapped, never cut.
* "text"   — prose (notes, reasons). Wraps at word boundaries down to `min_width`.

`drop` ranks the columns that may go when the terminal is too narrow: the highest number goes first;
0 (the default) is never dropped. Widths are computed here, not left to rich's collapsing (which
shrinks every column alike, numbers included, once the wrapable ones are at their minimum).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich import box as rich_box
from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

Kind = Literal["key", "number", "text"]
KEY_MIN = 12  # a key column folds no narrower than this
KEY_MAX = 48  # a key longer than this (a deep path) folds rather than push every other column out


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    drop: int = 0
    justify: Literal["left", "right", "center"] = "left"
    min_width: int = 10  # for "text" columns
    footer: str = ""
    style: str | None = None


def _plain(cell: object) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell).plain
    return str(cell)


def _lines(cell: object) -> list[str]:
    return _plain(cell).splitlines() or [""]


def _longest(cells: Sequence[object]) -> int:
    return max((cell_len(line) for c in cells for line in _lines(c)), default=0)


def _longest_word(cells: Sequence[object]) -> int:
    return max((cell_len(w) for c in cells for line in _lines(c) for w in line.split()), default=0)


def _overhead(n: int, box: rich_box.Box | None, show_edge: bool, pad_edge: bool) -> int:
    borders = ((2 if show_edge else 0) + n - 1) if box is not None else 0
    return borders + 2 * n - (0 if pad_edge else 2)


def plan_widths(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    width: int,
    *,
    box: rich_box.Box | None = rich_box.HEAVY_HEAD,
    show_edge: bool = True,
    pad_edge: bool = True,
) -> tuple[list[int], list[int]]:
    """(indices of the columns kept, their content widths) for a table at most `width` wide."""
    cells = [[r[i] for r in rows] for i in range(len(columns))]
    natural: list[int] = []
    minimum: list[int] = []
    for col, cs in zip(columns, cells, strict=True):
        head_word = max((cell_len(w) for w in col.header.split()), default=0)
        nat = max(_longest(cs), cell_len(col.header), cell_len(col.footer))
        if col.kind == "number":
            low = max(_longest(cs), cell_len(col.footer), head_word)
        elif col.kind == "key":
            # Whole words (a model id, a path) never break; a key wraps only between words.
            low = max(min(_longest_word(cs), KEY_MAX), head_word)
        else:
            low = max(min(nat, col.min_width), head_word)
        natural.append(nat)
        minimum.append(min(low, nat))
    kept = list(range(len(columns)))

    def room() -> int:
        return width - _overhead(len(kept), box, show_edge, pad_edge)

    # Drop the least important columns until the minimum widths fit.
    while sum(minimum[i] for i in kept) > room():
        droppable = [i for i in kept if columns[i].drop > 0]
        if not droppable:
            break
        kept.remove(max(droppable, key=lambda i: (columns[i].drop, i)))
    widths = [natural[i] for i in kept]
    excess = sum(widths) - room()
    # Shrink prose first, then the headers of numbers (they wrap; the figures never do), then keys.
    for kind in ("text", "number", "key"):
        for pos, i in enumerate(kept):
            if excess <= 0:
                break
            if columns[i].kind != kind:
                continue
            give = min(excess, widths[pos] - minimum[i])
            widths[pos] -= give
            excess -= give
    if excess > 0:  # still too wide: fold keys below their natural minimum, as a last resort
        for pos, i in enumerate(kept):
            if excess <= 0:
                break
            if columns[i].kind == "key":
                give = min(excess, widths[pos] - KEY_MIN)
                if give > 0:
                    widths[pos] -= give
                    excess -= give
    return kept, widths


def fit_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    width: int,
    *,
    title: str | None = None,
    box: rich_box.Box | None = rich_box.HEAVY_HEAD,
    show_edge: bool = True,
    pad_edge: bool = True,
    show_footer: bool = False,
    **table_kwargs: Any,
) -> tuple[Table, list[Column]]:
    """A rich Table of `rows` at most `width` columns wide; also returns the columns shown."""
    kept, widths = plan_widths(columns, rows, width, box=box, show_edge=show_edge, pad_edge=pad_edge)
    table = Table(
        title=title,
        title_justify="left",
        box=box,
        show_edge=show_edge,
        pad_edge=pad_edge,
        show_footer=show_footer,
        **table_kwargs,
    )
    shown = [columns[i] for i in kept]
    for col, w in zip(shown, widths, strict=True):
        table.add_column(
            col.header,
            footer=col.footer,
            justify=col.justify,
            style=col.style,
            width=w,
            # A number column is at least as wide as its widest figure, so only its header wraps.
            overflow="fold",
        )
    for r in rows:
        table.add_row(*(_cell(r[i]) for i in kept))
    return table, shown


def _cell(value: object) -> RenderableType:
    if isinstance(value, (Text, str)):
        return value
    return str(value)
