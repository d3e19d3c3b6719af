from __future__ import annotations

import sys

if sys.argv[1:] == ["statusline"]:
    # The status line runs after every assistant message: answer before the CLI framework loads.
    from agentcost.statusline.run import main as statusline_main

    raise SystemExit(statusline_main())

if sys.argv[1:3] == ["guard", "hook"]:
    # The guard's hook runs before every tool call: answer before the CLI framework loads.
    from agentcost.guard.hook import main as guard_hook_main

    raise SystemExit(guard_hook_main(sys.argv[3:]))

from agentcost.cli import main

raise SystemExit(main())
