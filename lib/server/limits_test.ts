import assert from "node:assert/strict";
import { connectionBudget, DEFAULT_MAX_CONNECTIONS, resolveLimits } from "./limits.ts";

Deno.test("limits: defaults, checks, and a connection limit under the descriptor limit", () => {
  const l = resolveLimits({});
  assert.equal(l.maxConnections, DEFAULT_MAX_CONNECTIONS);
  assert.ok(l.headersTimeoutMs > 0 && l.idleTimeoutMs > 0);
  assert.throws(() => resolveLimits({ maxConnections: 0 }), /maxConnections/);
  assert.throws(() => resolveLimits({ idleTimeoutMs: 1.5 }), /idleTimeoutMs/);
  const text = (n: number) => `Max open files            ${n}                 4096      files`;
  assert.equal(connectionBudget(1024, text(256)), 96);
  assert.equal(connectionBudget(1024, text(20000)), 1024);
  assert.equal(connectionBudget(1024, text(10)), 1);
  assert.equal(connectionBudget(7, null), 7);
});
