/**
 * An implementation that never answers, for the runner's timeout test: it prints nothing and
 * sleeps until it is killed.
 *
 * @module
 */

if (import.meta.main) {
  await new Promise(() => setInterval(() => {}, 1 << 30));
}
