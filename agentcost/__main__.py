from __future__ import annotations

import sys

if sys.argv[1:] == ["statusline"]:
    # The status line runs after every assistant message: answer before the CLI framework loads.
    from agentcost.statusline.run import main as statusline_main

    raise SystemExit(statusline_main())

from agentcost.cli import main

raise SystemExit(main())
