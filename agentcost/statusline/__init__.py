"""`agentcost statusline`: a Claude Code statusLine command (see `run.main`) and its installer (`install`).

The hot path (`python -m agentcost statusline`) is dispatched by `agentcost/__main__.py` before the
CLI framework is imported, and imports no typer, click or rich.
"""
