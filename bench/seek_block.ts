/**
 * Seek and read one block as a whole process through mod.ts, without the CLI: shows what
 * `h4mk seek` + `h4mk block` cost beyond start-up and module loading (bench/cli_seek.sh).
 *
 * Usage: deno run -A bench/seek_block.ts FILE TRACK PTS_US   (writes the block to stdout)
 *
 * @module
 */
import { open } from "../mod.ts";

const [file, track, pts] = Deno.args;
const c = await open(file);
const hit = c.seek(track, Number(pts));
const block = await c.readBlock(hit.core_index);
await c.close();
for (let o = 0; o < block.length;) o += await Deno.stdout.write(block.subarray(o));
