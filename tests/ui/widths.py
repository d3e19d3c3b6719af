"""Helpers for the 80/100/120-column table tests: render through the CLI at a fixed width (COLUMNS,
stdout not a terminal) and check that key cells appear whole."""

from __future__ import annotations

WIDTHS = (80, 100, 120)


BOX = set("│┃━─┏┓┗┛┡┩└┘┌┐╇╈┳┻┼┬┴")


def check(
    out: str, width: int, whole: list[str], *, ellipsis: bool = False, all_lines: bool = False
) -> list[str]:
    """Lines of `out`; asserts no table line (a line with box drawing, or every line with `all_lines`)
    is wider than `width` and each of `whole` sits on one line. Prose lines are not wrapped in a pipe."""
    lines = out.splitlines()
    table = lines if all_lines else [ln for ln in lines if BOX & set(ln)]
    too_wide = [ln for ln in table if len(ln) > width]
    assert not too_wide, f"lines wider than {width}: {too_wide[:3]}"
    for cell in whole:
        assert any(cell in ln for ln in lines), f"{cell!r} is not whole at {width} columns:\n{out}"
    if not ellipsis:  # (session ids are shortened to their unique tail on purpose: "…eeeeffff0000")
        assert "…" not in "\n".join(table), f"a cell was cut at {width} columns:\n{out}"
    return lines
