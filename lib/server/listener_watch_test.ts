import assert from "node:assert/strict";
import { acceptQueue } from "./listener_watch.ts";

Deno.test("acceptQueue: the waiting connections of the listener on a port", () => {
  const text = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid",
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000184 00:00000000 00000000     0",
    "   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0",
    "   2: 0100007F:1F91 00000000:0000 0A 00000000:00000007 00:00000000 00000000     0",
  ].join("\n");
  assert.equal(acceptQueue(text, 8080), 0x184);
  assert.equal(acceptQueue(text, 8081), 7);
  assert.equal(acceptQueue(text, 8082), null);
});
