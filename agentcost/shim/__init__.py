"""`agentcost shim`: serve the OpenAI Responses API (all current Codex speaks) on loopback by calling a
provider's Chat Completions API.

Pure parts (unit-tested from recorded bodies): `schema` (tool-schema repair), `request` (Responses
request -> Chat request), `stream` (Chat chunks -> Responses SSE events), `upstream_errors`
(provider errors -> Responses errors), `route` (which upstream and model serve a request: the seam
for cost routing). `server` wires them to starlette/uvicorn and httpx; `service` writes a systemd
user unit or a launchd agent.
"""
