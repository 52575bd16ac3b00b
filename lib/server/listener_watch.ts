/**
 * A watchdog for the listening socket. The runtime's listener may stop accepting for good
 * after an accept fails for lack of file descriptors (a burst of connections can exhaust them
 * even under the connection limit, since refused connections are closed asynchronously).
 * Once a second, when no connection was accepted for a second, the watchdog reads the
 * listener's accept queue from `/proc/net/tcp`: connections waiting there at two checks in a
 * row while none is accepted (and the event loop is not busy) mean the listener is stuck,
 * and it is replaced (H4-HTTP-016).
 *
 * @module
 */

/**
 * The accept queue length of the socket listening on `port`, from the text of
 * `/proc/net/tcp` or `/proc/net/tcp6`; null when no such socket is listed.
 *
 * @example
 * ```ts
 * import { acceptQueue } from "./listener_watch.ts";
 * import assert from "node:assert/strict";
 * const text = "  sl  local_address rem_address   st tx_queue rx_queue\n" +
 *   "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000005 00:00000000 00000000 0 0 1 1";
 * assert(acceptQueue(text, 8080) === 5);
 * ```
 */
export function acceptQueue(text: string, port: number): number | null {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let found: number | null = null;
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    // f[1] local address, f[3] state (0A = LISTEN), f[4] tx_queue:rx_queue.
    if (f.length < 5 || f[3] !== "0A" || !f[1].endsWith(hexPort)) continue;
    const rx = parseInt(f[4].split(":")[1] ?? "", 16);
    if (Number.isFinite(rx)) found = (found ?? 0) + rx;
  }
  return found;
}

/** What the watchdog needs from the server. */
export interface Watched {
  /** Port listened on. */
  port: number;
  /** Time of the last accepted connection (performance.now()). */
  lastAccept(): number;
  /** Replaces the listening socket. */
  relisten(): void;
}

/**
 * Starts the watchdog; the returned function stops it. Does nothing where `/proc/net/tcp`
 * cannot be read (not Linux).
 *
 * @example
 * ```ts
 * import { watchListener } from "./listener_watch.ts";
 * const stop = watchListener({ port: 1, lastAccept: () => performance.now(), relisten() {} });
 * stop();
 * ```
 */
export function watchListener(w: Watched, periodMs = 1000): () => void {
  let last = performance.now();
  let suspect = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last > periodMs * 1.5;
    last = now;
    // A busy event loop also leaves connections waiting: judge only on a timer that fired on
    // time, and only after two checks in a row (two seconds without an accept).
    if (late || now - w.lastAccept() < periodMs) {
      suspect = 0;
      return;
    }
    let waiting = 0;
    for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      try {
        waiting += acceptQueue(Deno.readTextFileSync(file), w.port) ?? 0;
      } catch {
        // No such table (no IPv6, not Linux) or no descriptor left to read it: next time.
      }
    }
    suspect = waiting > 0 ? suspect + 1 : 0;
    if (suspect >= 2) {
      suspect = 0;
      w.relisten();
    }
  }, periodMs);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}
