"""The shared stderr progress bar (agentcost.ui.console.progress_bar), used by usage and recommend."""

from __future__ import annotations

from typing import Any


def test_progress_bar_only_on_a_terminal(monkeypatch: Any) -> None:
    import io
    import sys

    from agentcost.ui.console import ProgressBar

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    bar = ProgressBar("Reading logs", delay=0)
    bar(1, 10)
    assert bar.progress is None  # not a terminal: nothing drawn
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    bar = ProgressBar("Reading logs", delay=0)
    bar(5, 10)
    assert bar.progress is not None
    bar(10, 10)
    bar.close()
    quick = ProgressBar("Reading logs", delay=60)
    quick(5, 10)
    assert quick.progress is None  # fast reads never show a bar


def test_progress_bar_context_closes_even_on_error(monkeypatch: Any) -> None:
    import io
    import sys

    from agentcost.ui.console import progress_bar

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    seen = []
    try:
        with progress_bar("Reading logs", delay=0) as bar:
            bar(5, 10)
            seen.append(bar)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert seen[0].progress is not None and not seen[0].progress.live.is_started  # stopped: erased
