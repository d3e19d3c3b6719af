from __future__ import annotations

from agentcost.cli import main

raise SystemExit(main())
