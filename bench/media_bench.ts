/**
 * Media import/export figures: throughput of `importMedia` (MP4 → H4MK) and `exportMp4`
 * (H4MK → MP4) on H.264 + AAC made with ffmpeg at bench time (60 s at 640x360, and the same
 * looped to 240 s to show memory does not grow with the file), as MB/s and as a ratio to
 * copying the same file in the same run, plus peak RSS (VmHWM) of each step, each measured in
 * a process of its own.
 *
 * Usage: deno run -A bench/media_bench.ts [--json] [--runs N] [--long]   (deno task bench:media)
 * `--long` adds a 960 s input (about 200 MB) to show peak memory against input size.
 * Needs ffmpeg (Debian: apt-get install -y ffmpeg). Not a `deno bench` file: under deno bench
 * it does nothing.
 *
 * @module
 */
import { exportMp4, importMedia } from "../lib/media/mod.ts";
import { openContainer } from "../lib/seek/container.ts";
import { openFileSource } from "../lib/io/file.ts";
import type { ByteSink } from "../lib/format/types.ts";

const MB = 1e6;

/** A file sink that writes each chunk as it comes (the same for every step). */
async function fileSink(path: string): Promise<{ sink: ByteSink; close(): void }> {
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  return {
    sink: {
      async write(b: Uint8Array): Promise<void> {
        let o = 0;
        while (o < b.length) o += await f.write(b.subarray(o));
      },
    },
    close: () => f.close(),
  };
}

/** Peak resident set size of this process, bytes (Linux VmHWM). */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) * 1024 : Deno.memoryUsage().rss;
}

/** One step, run in a child process: `copy`, `import` or `export`, from `src` to `dst`. */
async function step(kind: string, src: string, dst: string): Promise<number> {
  const t0 = performance.now();
  if (kind === "copy") {
    // Streamed like import reads its input: 1 MiB reads, each written as it comes.
    const from = await Deno.open(src);
    const out = await fileSink(dst);
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = await from.read(buf);
      if (n === null) break;
      await out.sink.write(buf.subarray(0, n));
    }
    from.close();
    out.close();
  } else if (kind === "import") {
    const out = await fileSink(dst);
    await importMedia(src, out.sink);
    out.close();
  } else if (kind === "export") {
    const c = await openContainer(await openFileSource(src));
    const out = await fileSink(dst);
    await exportMp4(c, out.sink);
    out.close();
    await c.close();
  } else throw new Error(`unknown step ${kind}`);
  return (performance.now() - t0) / 1000;
}

async function child(
  kind: string,
  src: string,
  dst: string,
): Promise<{ seconds: number; rss: number }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--step", kind, src, dst],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!r.success) throw new Error(`step ${kind} failed`);
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

async function ffmpeg(args: string[]): Promise<void> {
  const r = await new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-loglevel", "error", "-y", ...args],
  }).output();
  if (!r.success) {
    throw new Error(`ffmpeg ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const json = Deno.args.includes("--json");
  const runsAt = Deno.args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(Deno.args[runsAt + 1]) : 3;
  const dir = await Deno.makeTempDir({ prefix: "h4mk-media-bench-" });
  try {
    const mp4 = `${dir}/src60.mp4`;
    await ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=640x360:rate=30",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:sample_rate=48000",
      "-t",
      "60",
      "-map",
      "0:v",
      "-map",
      "1:a",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-bf",
      "2",
      "-g",
      "60",
      "-b:v",
      "1500k",
      "-pix_fmt",
      "yuv420p",
      "-c:a",
      "aac",
      "-b:a",
      "128k",
      mp4,
    ]);
    const mp4long = `${dir}/src240.mp4`;
    await ffmpeg(["-stream_loop", "3", "-i", mp4, "-map", "0", "-c", "copy", mp4long]);
    const inputs: [string, string][] = [["60 s 640x360", mp4], ["240 s 640x360", mp4long]];
    if (Deno.args.includes("--long")) {
      const mp4huge = `${dir}/src960.mp4`;
      await ffmpeg(["-stream_loop", "15", "-i", mp4, "-map", "0", "-c", "copy", mp4huge]);
      inputs.push(["960 s 640x360", mp4huge]);
    }
    const rows = [];
    for (const [label, src] of inputs) {
      const size = (await Deno.stat(src)).size;
      const h4 = `${dir}/out.h4mk`;
      const res: Record<string, { seconds: number[]; rss: number[] }> = {};
      for (let r = 0; r < runs; r++) {
        for (
          const [kind, from, to] of [["copy", src, `${dir}/copy.mp4`], ["import", src, h4], [
            "export",
            h4,
            `${dir}/rt.mp4`,
          ]]
        ) {
          const { seconds, rss } = await child(kind, from, to);
          (res[kind] ??= { seconds: [], rss: [] }).seconds.push(seconds);
          res[kind].rss.push(rss);
        }
      }
      const h4size = (await Deno.stat(h4)).size;
      const rt = (await Deno.stat(`${dir}/rt.mp4`)).size;
      const copy = median(res.copy.seconds);
      const row = {
        input: label,
        mp4_bytes: size,
        h4mk_bytes: h4size,
        exported_bytes: rt,
        copy_mb_s: size / MB / copy,
        import_mb_s: size / MB / median(res.import.seconds),
        import_vs_copy: copy / median(res.import.seconds),
        export_mb_s: rt / MB / median(res.export.seconds),
        export_vs_copy: copy / median(res.export.seconds),
        rss_copy_mb: Math.max(...res.copy.rss) / MB,
        rss_import_mb: Math.max(...res.import.rss) / MB,
        rss_export_mb: Math.max(...res.export.rss) / MB,
      };
      rows.push(row);
    }
    if (json) {
      console.log(
        JSON.stringify(
          { runs, deno: Deno.version.deno, cpus: navigator.hardwareConcurrency, rows },
          null,
          2,
        ),
      );
      return;
    }
    console.log(
      `media bench: median of ${runs} runs, each step in its own process; deno ${Deno.version.deno}`,
    );
    console.log(
      "| input | MP4 MB | copy MB/s | import MB/s (× copy) | export MB/s (× copy) | peak RSS copy / import / export MB |",
    );
    console.log("|---|---|---|---|---|---|");
    for (const r of rows) {
      console.log(
        `| ${r.input} | ${(r.mp4_bytes / MB).toFixed(1)} | ${r.copy_mb_s.toFixed(0)} | ${
          r.import_mb_s.toFixed(1)
        } (${r.import_vs_copy.toFixed(3)}) | ${r.export_mb_s.toFixed(1)} (${
          r.export_vs_copy.toFixed(3)
        }) | ${r.rss_copy_mb.toFixed(0)} / ${r.rss_import_mb.toFixed(0)} / ${
          r.rss_export_mb.toFixed(0)
        } |`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--step");
  if (at >= 0) {
    const [kind, src, dst] = Deno.args.slice(at + 1);
    const seconds = await step(kind, src, dst);
    console.log(JSON.stringify({ seconds, rss: peakRss() }));
  } else {
    await main();
  }
}
