/**
 * `deno task bundle`: builds the browser bundles with `deno bundle` (esbuild), `node:` modules
 * mapped to a stub by lib/web/browser_map.json:
 *
 * - lib/web/dist/player.js and player.html: the web player, checked in because `h4mk serve`
 *   serves them (a test checks that they match a fresh build);
 * - `--lib DIR`: also the library for browsers (lib/web/browser.ts) as DIR/h4mk.js.
 *
 *   deno run -A lib/web/build.ts [--out DIR] [--lib DIR]
 *
 * @module
 */
import { playerHtml } from "./page.ts";

const here = new URL(".", import.meta.url);
const path = (rel: string) => decodeURIComponent(new URL(rel, here).pathname);

/**
 * Bundles `entry` (a path relative to lib/web) into `out` for browsers; throws with deno's
 * output when the build fails.
 *
 * @example
 * ```ts ignore
 * await bundle("browser.ts", "/tmp/h4mk.js");
 * ```
 */
export async function bundle(entry: string, out: string): Promise<void> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--no-config",
      "--import-map",
      path("browser_map.json"),
      "-o",
      out,
      path(entry),
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    // Run from the repository root: the bundle names modules by path relative to it.
    cwd: path("../.."),
  }).output();
  if (!res.success) {
    throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(res.stderr).trim()}`);
  }
  // npm packages are named by their path in Deno's cache, relative to the repository: it
  // depends on where the clone and the cache are. Name them by registry path instead, so that a
  // build is the same bytes in every clone.
  const js = await Deno.readTextFile(out);
  await Deno.writeTextFile(out, js.replace(NPM_CACHE_PATH, "npm:"));
}

/** A path into Deno's npm cache as the bundler writes it: `../../root/.cache/deno/npm/registry.npmjs.org/`. */
const NPM_CACHE_PATH = /(?:\.\.\/)*[^\s"'`]*?\/npm\/registry\.npmjs\.org\//g;

/**
 * Writes the player (player.js, player.html) into `dir`.
 *
 * @example
 * ```ts ignore
 * await buildPlayer(await Deno.makeTempDir());
 * ```
 */
export async function buildPlayer(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await bundle("player.ts", `${dir}/player.js`);
  await Deno.writeTextFile(`${dir}/player.html`, playerHtml({ script: "./player.js" }));
}

if (import.meta.main) {
  const args = Deno.args;
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = opt("--out") ?? path("dist");
  await buildPlayer(out);
  const lib = opt("--lib");
  if (lib) await bundle("browser.ts", `${lib}/h4mk.js`);
  console.log(`wrote ${out}/player.js, ${out}/player.html${lib ? `, ${lib}/h4mk.js` : ""}`);
}
