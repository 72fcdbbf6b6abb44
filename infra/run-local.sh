#!/usr/bin/env bash
# `make run`: the gateway on this machine, in one command. Starts the demo upstream
# (@modelcontextprotocol/server-everything from infra/node's lock file) and the gateway with the
# example configuration in infra/local/gateway.json, mints a demo grant and a demo approver, and prints
# how to connect and where the approver page is.
# Everything binds 127.0.0.1. Ports: GATEWAY_PORT (8080), UPSTREAM_PORT (3001). Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

gateway_port=${GATEWAY_PORT:-8080}
upstream_port=${UPSTREAM_PORT:-3001}
work=$(mktemp -d)
upstream_pid=""
gateway_pid=""
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ ! -d infra/node/node_modules/@modelcontextprotocol/server-everything ]; then
  echo "Installing the demo upstream and MCP tooling (npm ci, from infra/node/package-lock.json)..." >&2
  npm ci --prefix infra/node --no-audit --no-fund --loglevel=error >&2
fi

echo "Building the gateway (Release)..." >&2
dotnet build src/McpGateway.Host/McpGateway.Host.csproj -c Release --nologo -v quiet >&2
dotnet build src/McpGateway.Cli/McpGateway.Cli.csproj -c Release --nologo -v quiet >&2

# The example configuration, pointed at this run's upstream port, plus a freshly minted grant.
sed "s|http://127.0.0.1:3001/mcp|http://127.0.0.1:${upstream_port}/mcp|" infra/local/gateway.json > "$work/gateway.json"
token=$(dotnet src/McpGateway.Cli/bin/Release/net10.0/mcpgw.dll grants create \
  --label demo-agent --server everything --policy demo --config "$work/gateway.json" --token-only)
# An approver for the demo, for the approver page (issue 22): the credential is the second line printed.
admin_credential=$(dotnet src/McpGateway.Cli/bin/Release/net10.0/mcpgw.dll admins create \
  --name demo-approver --config "$work/gateway.json" | sed -n 2p)

PORT=$upstream_port node -r ./infra/node/preload.cjs \
  infra/node/node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp \
  > "$work/upstream.log" 2>&1 &
upstream_pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/${upstream_port}") 2>/dev/null; then break; fi
  kill -0 "$upstream_pid" 2>/dev/null || { cat "$work/upstream.log" >&2; echo "the demo upstream failed to start" >&2; exit 1; }
  sleep 0.1
done

url="http://127.0.0.1:${gateway_port}/mcp/everything"
Gateway__SessionKey=$(head -c 32 /dev/urandom | base64) \
Gateway__Approvals__PublicBaseUrl="http://127.0.0.1:${gateway_port}" \
  dotnet src/McpGateway.Host/bin/Release/net10.0/McpGateway.Host.dll \
  --config "$work/gateway.json" --urls "http://127.0.0.1:${gateway_port}" &
gateway_pid=$!

# The banner is printed once the gateway answers, so a client started from it is never refused.
ready=""
for _ in $(seq 1 1200); do
  kill -0 "$gateway_pid" 2>/dev/null || { echo "the gateway failed to start" >&2; exit 1; }
  if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${gateway_port}/healthz" 2>/dev/null; then ready=yes; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "the gateway did not answer /healthz within 2 minutes" >&2; exit 1; }

cat >&2 <<BANNER

MCP policy gateway (local), ready
  URL:     ${url}
  Token:   ${token}
  Policy:  demo (infra/local/gateway.json): echo allowed, get-sum 5/minute, get-tiny-image denied,
           get-env hidden, get-structured-content for New York or Chicago only,
           trigger-long-running-operation up to 10 s, get-annotated-message after a human approval;
           every other tool hidden.
  Decision log: one JSON line per tool call on standard output (pipe it: make run | jq .).

Approver page (sign in with the admin credential; get-annotated-message needs an approval):
  Page:             http://127.0.0.1:${gateway_port}/admin/ui
  Admin credential: ${admin_credential}

Claude Code:
  claude mcp add --transport http gateway-demo ${url} --header "Authorization: Bearer ${token}"

Cursor (~/.cursor/mcp.json):
  { "mcpServers": { "gateway-demo": { "url": "${url}", "headers": { "Authorization": "Bearer ${token}" } } } }

VS Code (.vscode/mcp.json):
  { "servers": { "gateway-demo": { "type": "http", "url": "${url}", "headers": { "Authorization": "Bearer ${token}" } } } }

Claude Desktop (claude_desktop_config.json, through mcp-remote):
  { "mcpServers": { "gateway-demo": { "command": "npx", "args": ["mcp-remote", "${url}", "--header", "Authorization:\${AUTH}"], "env": { "AUTH": "Bearer ${token}" } } } }

MCP Inspector (CLI):
  npx @modelcontextprotocol/inspector --cli ${url} --transport http --method tools/list --header "Authorization: Bearer ${token}"

BANNER

wait "$gateway_pid"
