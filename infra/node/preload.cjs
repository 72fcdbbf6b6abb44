'use strict';
// preload.cjs — force Node servers to bind loopback.
//
// Usage:  node -r ./preload.cjs <script> ...
//    or:  NODE_OPTIONS="--require /abs/path/preload.cjs" <anything that runs node>
//
// Patches net.Server.prototype.listen (inherited by http/https/http2 servers,
// so Express `app.listen(PORT)` is covered). When a TCP listen has no host, or a
// wildcard host ("0.0.0.0", "::", ""), the host is replaced by
// MCP_LISTEN_HOST (default 127.0.0.1). Unix sockets / pipes / handles / fds are
// left alone. Works for ESM entry points too (the -r preload runs first).
// Set MCP_PRELOAD_DEBUG=1 to log rewrites to stderr (never stdout).
// Set MCP_PRELOAD_ANNOUNCE=1 to print "MCP_LISTENING <host> <port>" on stderr once
// a TCP server is listening — lets a test harness use PORT=0 (ephemeral port).

const net = require('net');

const HOST = process.env.MCP_LISTEN_HOST || '127.0.0.1';
const DEBUG = !!process.env.MCP_PRELOAD_DEBUG;
const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]', '::0']);

function needsHost(h) {
  return h === undefined || h === null || (typeof h === 'string' && WILDCARD.has(h));
}
function isPipeName(s) {
  // Mirrors node's lib/net.js: a string that is not a non-negative number is a pipe path.
  return typeof s === 'string' && !(Number(s) >= 0);
}
function log(msg) {
  if (DEBUG) process.stderr.write(`[preload.cjs] ${msg}\n`);
}

const ANNOUNCE = !!process.env.MCP_PRELOAD_ANNOUNCE;
const origListen = net.Server.prototype.listen;

function announce(server) {
  if (!ANNOUNCE) return;
  server.once('listening', () => {
    const a = server.address();
    if (a && typeof a === 'object') process.stderr.write(`MCP_LISTENING ${a.address} ${a.port}\n`);
  });
}

net.Server.prototype.listen = function patchedListen(...args) {
  announce(this);
  const a0 = args[0];

  // listen() / listen(cb) -> ephemeral port on HOST
  if (args.length === 0 || typeof a0 === 'function') {
    log(`listen(${args.length ? 'cb' : ''}) -> port 0 on ${HOST}`);
    return origListen.call(this, 0, HOST, ...args);
  }

  // listen(options)
  if (typeof a0 === 'object' && a0 !== null) {
    const isHandle = a0._handle !== undefined || a0.fd !== undefined ||
      (a0.handle !== undefined && a0.handle !== null);
    if (!isHandle && a0.path == null && needsHost(a0.host)) {
      log(`listen({port:${a0.port}, host:${a0.host}}) -> host ${HOST}`);
      args[0] = Object.assign({}, a0, { host: HOST });
    }
    return origListen.apply(this, args);
  }

  // listen(path, ...) -> unix socket / named pipe: leave alone
  if (isPipeName(a0)) return origListen.apply(this, args);

  // listen(port[, host][, backlog][, cb]); port may be number, numeric string, undefined
  if (typeof args[1] === 'string') {
    if (needsHost(args[1])) {
      log(`listen(${a0}, '${args[1]}') -> host ${HOST}`);
      args[1] = HOST;
    }
  } else {
    log(`listen(${a0}) -> host ${HOST}`);
    args.splice(1, 0, HOST);
  }
  return origListen.apply(this, args);
};
