// Preloaded into the MCP conformance suite (node --import), which has no option for an Authorization header:
// every fetch it makes carries the grant token the gateway requires. Nothing else about the requests changes.
const token = process.env.MCPGW_TOKEN;
const original = globalThis.fetch;
globalThis.fetch = (input, init = {}) => {
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set("authorization", `Bearer ${token}`);
  return original(input, { ...init, headers });
};
