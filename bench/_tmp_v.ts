import { openContainer } from "../lib/seek/container.ts";
import { openFileSource } from "../lib/io/file.ts";
const path = Deno.args[0];
for (let r = 0; r < (Number(Deno.args[1]) || 1); r++) {
  const t = performance.now();
  const c = await openContainer(await openFileSource(path));
  const rep = await c.verify();
  console.log(path, rep.ok, (performance.now() - t).toFixed(0), "ms");
  if (!rep.ok) console.log(rep.checks.filter((k) => !k.ok));
  await c.close();
}
