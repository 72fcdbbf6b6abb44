#!/usr/bin/env node
// client.mjs — MCP Streamable HTTP test client built on the official TypeScript SDK.
//
//   node client.mjs --url http://127.0.0.1:5000/mcp --token T \
//        --calls '[{"name":"echo","arguments":{"message":"hi"}}]'
//
// Options:
//   --url U             MCP endpoint (required)
//   --token T           sent as "Authorization: Bearer T" on every request (POST/GET/DELETE)
//   --calls JSON        array of steps (default []). A step is either
//                         {"name":"tool","arguments":{...},"progress":true,"timeoutMs":N,"meta":{...}}
//                       or a raw JSON-RPC request {"method":"ping","params":{...}}
//   --calls-file F      read the steps JSON from a file instead ("-" = stdin)
//   --header "K: V"     extra request header (repeatable)
//   --no-list           skip tools/list
//   --timeout MS        default per-request timeout (default 30000)
//   --terminate         send DELETE (terminate session) before exiting
//   --strict            exit 3 if any step has a JSON-RPC error or isError=true
//   --wait MS           linger MS after the last step (collect GET-stream notifications)
//
// stdout: exactly ONE JSON object. Logs (if any) go to stderr.
// Exit codes: 0 ok | 1 fatal (connect/initialize/list/transport) | 2 usage | 3 --strict failure.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResultSchema, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { readFileSync } from 'node:fs';

// Keep stdout reserved for the single JSON result.
for (const k of ['log', 'info', 'debug', 'warn']) console[k] = (...a) => console.error(...a);

const out = { ok: false };
let exiting = false;

function emit(obj, code) {
  if (exiting) return;
  exiting = true;
  process.stdout.write(JSON.stringify(obj) + '\n', () => process.exit(code));
}

function errInfo(e) {
  if (!e || typeof e !== 'object') return { name: 'Error', message: String(e) };
  const info = { name: e.constructor?.name || e.name || 'Error', message: e.message ?? String(e) };
  if (e.code !== undefined) info.code = e.code;               // McpError: JSON-RPC code; StreamableHTTPError: HTTP status
  if (e.constructor?.name === 'StreamableHTTPError') info.httpStatus = e.code;
  if (e.data !== undefined) info.data = e.data;
  if (e.cause) info.cause = String(e.cause?.message ?? e.cause);
  return info;
}

function parseArgs(argv) {
  const o = { headers: {}, list: true, timeout: 30000, calls: [], terminate: false, strict: false, wait: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    switch (a) {
      case '--url': o.url = next(); break;
      case '--token': o.token = next(); break;
      case '--calls': o.calls = JSON.parse(next()); break;
      case '--calls-file': { const f = next(); o.calls = JSON.parse(readFileSync(f === '-' ? 0 : f, 'utf8')); break; }
      case '--header': {
        const h = next(); const idx = h.indexOf(':');
        if (idx <= 0) throw new Error(`bad --header "${h}" (expected "Name: value")`);
        o.headers[h.slice(0, idx).trim()] = h.slice(idx + 1).trim();
        break;
      }
      case '--no-list': o.list = false; break;
      case '--timeout': o.timeout = Number(next()); break;
      case '--terminate': o.terminate = true; break;
      case '--strict': o.strict = true; break;
      case '--wait': o.wait = Number(next()); break;
      case '-h': case '--help': throw new Error('help');
      default: throw new Error(`unknown argument: ${a}`);
    }
  }
  if (!o.url) throw new Error('--url is required');
  if (!Array.isArray(o.calls)) throw new Error('--calls must be a JSON array');
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  emit({ ok: false, stage: 'args', error: errInfo(e),
    usage: 'node client.mjs --url U [--token T] [--calls JSON | --calls-file F] [--header "K: V"]... [--no-list] [--timeout MS] [--terminate] [--strict] [--wait MS]' }, 2);
}

async function main() {
  const headers = { ...opts.headers };
  if (opts.token !== undefined) headers['Authorization'] = `Bearer ${opts.token}`;

  const transport = new StreamableHTTPClientTransport(new URL(opts.url), { requestInit: { headers } });
  const client = new Client({ name: 'mcp-gateway-test-client', version: '1.0.0' }, { capabilities: {} });

  const notifications = [];
  const transportErrors = [];
  client.fallbackNotificationHandler = async (n) => { notifications.push({ method: n.method, params: n.params ?? null }); };
  client.onerror = (e) => { transportErrors.push(errInfo(e)); };
  out.notifications = notifications;
  out.transportErrors = transportErrors;

  let stage = 'connect';
  try {
    await client.connect(transport, { timeout: opts.timeout });
    out.protocolVersion = transport.protocolVersion ?? null;   // negotiated (from InitializeResult)
    out.sessionId = transport.sessionId ?? null;
    out.serverInfo = client.getServerVersion() ?? null;
    out.serverCapabilities = client.getServerCapabilities() ?? null;

    if (opts.list) {
      stage = 'tools/list';
      const tools = [];
      let cursor;
      do {
        const r = await client.listTools(cursor ? { cursor } : undefined, { timeout: opts.timeout });
        tools.push(...r.tools);
        cursor = r.nextCursor;
      } while (cursor);
      out.tools = tools.map((t) => t.name);
    }

    stage = 'calls';
    out.calls = [];
    for (const step of opts.calls) out.calls.push(await runStep(client, step));

    if (opts.wait > 0) await new Promise((r) => setTimeout(r, opts.wait));

    if (opts.terminate) {
      stage = 'terminate';
      await transport.terminateSession();
      out.terminated = true;
    }
    stage = 'close';
    await client.close();
  } catch (e) {
    out.ok = false;
    out.stage = stage;
    out.error = errInfo(e);
    try { await client.close(); } catch { /* ignore */ }
    return emit(out, 1);
  }

  out.ok = true;
  const failed = out.calls.some((c) => !c.ok || c.isError);
  emit(out, opts.strict && failed ? 3 : 0);
}

async function runStep(client, step) {
  const started = Date.now();
  const res = { ok: false, error: null };
  const reqOpts = { timeout: step.timeoutMs ?? opts.timeout };
  try {
    if (typeof step.method === 'string') {
      // Raw JSON-RPC request (e.g. ping, resources/list, prompts/list).
      res.method = step.method;
      const params = step.params;
      const result = await client.request(params === undefined ? { method: step.method } : { method: step.method, params }, ResultSchema, reqOpts);
      res.result = result;
    } else if (typeof step.name === 'string') {
      res.name = step.name;
      const progress = [];
      if (step.progress) {
        res.progress = progress;
        reqOpts.onprogress = (p) => progress.push(p);       // SDK adds _meta.progressToken automatically
        reqOpts.resetTimeoutOnProgress = true;
      }
      const params = { name: step.name, arguments: step.arguments ?? {} };
      if (step.meta) params._meta = step.meta;
      const r = await client.callTool(params, CallToolResultSchema, reqOpts);
      res.isError = r.isError === true;
      res.text = (r.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
      res.content = r.content ?? [];
      res.structuredContent = r.structuredContent ?? null;
      res._meta = r._meta ?? null;
    } else {
      throw new Error('step must have "name" (tool call) or "method" (raw request)');
    }
    res.ok = true;
  } catch (e) {
    res.error = errInfo(e);   // JSON-RPC error (McpError), timeout, HTTP error, ...
  }
  res.durationMs = Date.now() - started;
  return res;
}

if (opts) {
  process.on('unhandledRejection', (e) => emit({ ...out, ok: false, stage: 'unhandled', error: errInfo(e) }, 1));
  main().catch((e) => emit({ ...out, ok: false, stage: 'main', error: errInfo(e) }, 1));
}
