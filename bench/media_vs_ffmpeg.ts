/**
 * `h4mk import` and `h4mk export` against `ffmpeg -c copy` on the same file, side by side in
 * one run (issue 20): each round runs, in turn, `ffmpeg -i IN -map 0 -c copy OUT.mkv` (the
 * import baseline), `h4mk import IN -o OUT.h4mk`, `ffmpeg -i IN -map 0 -c copy OUT.mp4` (the
 * export baseline) and `h4mk export OUT.h4mk -o RT.mp4`, each a process of its own measured
 * with GNU time (wall, user + system CPU, peak RSS). Inputs are made with ffmpeg's lavfi test
 * sources: a 10-minute H.264 + AAC clip (about 85 MB), the same looped 4 times (about
 * 340 MB) with `--big`, and 10 minutes of 16-bit stereo PCM in a MOV with `--pcm`. The
 * exported file is checked against the input with `ffprobe -show_packets` (same packets,
 * same order, same durations). Like ffmpeg, `import` and `export` leave flushing their output
 * to the disk to the system; `--fsync` measures them with `--fsync` (an `fdatasync` before
 * the rename).
 *
 * Usage: deno run -A bench/media_vs_ffmpeg.ts [--runs N] [--minutes M] [--big] [--pcm] [--fsync]
 *   [--json]
 * Needs ffmpeg, ffprobe and GNU time (Debian: apt-get install -y ffmpeg time).
 *
 * @module
 */

const CLI = new URL("../cli.ts", import.meta.url).pathname;

interface Measure {
  wall: number;
  cpu: number;
  rss_mb: number;
}

async function timed(cmd: string, args: string[]): Promise<Measure> {
  const r = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %e %U %S %M", cmd, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")}: ${err}`);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(err);
  if (!m) throw new Error(`no timing from GNU time: ${err}`);
  return { wall: +m[1], cpu: +m[2] + +m[3], rss_mb: +m[4] / 1024 };
}

async function ffmpeg(args: string[]): Promise<void> {
  const r = await new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-loglevel", "error", "-y", ...args],
  }).output();
  if (!r.success) {
    throw new Error(`ffmpeg ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
}

async function packets(path: string): Promise<string> {
  const r = await new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      "-show_entries",
      "packet=stream_index,pts,dts,duration,size,flags",
      "-of",
      "csv=p=0",
      path,
    ],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(r.stdout);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const arg = (name: string, def: number) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Number(Deno.args[i + 1]) : def;
  };
  const runs = arg("--runs", 3);
  const sync = Deno.args.includes("--fsync") ? ["--fsync"] : [];
  const minutes = arg("--minutes", 10);
  const dir = await Deno.makeTempDir({ prefix: "h4mk-media-vs-ffmpeg-" });
  try {
    const clip = `${dir}/clip.mp4`;
    const seconds = String(minutes * 60);
    await ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"],
      ...["-t", seconds, "-map", "0:v", "-map", "1:a"],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "50", "-b:v", "1000k"],
      ...["-c:a", "aac", "-b:a", "128k", "-ac", "2", clip],
    ]);
    const inputs: [string, string][] = [[`${minutes} min H.264+AAC`, clip]];
    if (Deno.args.includes("--big")) {
      const big = `${dir}/big.mp4`;
      await ffmpeg(["-stream_loop", "3", "-i", clip, "-map", "0", "-c", "copy", big]);
      inputs.push([`${minutes * 4} min H.264+AAC`, big]);
    }
    if (Deno.args.includes("--pcm")) {
      const pcm = `${dir}/pcm.mov`;
      await ffmpeg([
        ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", seconds],
        ...["-ac", "2", "-c:a", "pcm_s16le", pcm],
      ]);
      inputs.push([`${minutes} min PCM s16 stereo MOV`, pcm]);
    }
    const rows = [];
    for (const [label, src] of inputs) {
      const ext = src.endsWith(".mov") ? "mov" : "mp4";
      const steps: Record<string, Measure[]> = {
        ffmpeg_mkv: [],
        import: [],
        ffmpeg_copy: [],
        export: [],
      };
      const h4 = `${dir}/out.h4mk`;
      const rt = `${dir}/rt.${ext}`;
      for (let r = 0; r < runs; r++) {
        steps.ffmpeg_mkv.push(
          await timed("ffmpeg", [
            "-loglevel",
            "error",
            "-y",
            "-i",
            src,
            "-map",
            "0",
            "-c",
            "copy",
            `${dir}/x.mkv`,
          ]),
        );
        steps.import.push(
          await timed("deno", ["run", "-A", CLI, "import", src, "-o", h4, "-f", "-q", ...sync]),
        );
        steps.ffmpeg_copy.push(
          await timed("ffmpeg", [
            "-loglevel",
            "error",
            "-y",
            "-i",
            src,
            "-map",
            "0",
            "-c",
            "copy",
            `${dir}/x.${ext}`,
          ]),
        );
        steps.export.push(
          await timed("deno", ["run", "-A", CLI, "export", h4, "-o", rt, "-f", "-q", ...sync]),
        );
      }
      const same = (await packets(src)) === (await packets(rt));
      const med = (k: string, f: keyof Measure) => median(steps[k].map((m) => m[f]));
      rows.push({
        input: label,
        mb: (await Deno.stat(src)).size / 1e6,
        ffmpeg_mkv_s: med("ffmpeg_mkv", "wall"),
        import_s: med("import", "wall"),
        import_ratio: med("import", "wall") / med("ffmpeg_mkv", "wall"),
        ffmpeg_copy_s: med("ffmpeg_copy", "wall"),
        export_s: med("export", "wall"),
        export_ratio: med("export", "wall") / med("ffmpeg_copy", "wall"),
        cpu_s: {
          ffmpeg_mkv: med("ffmpeg_mkv", "cpu"),
          import: med("import", "cpu"),
          ffmpeg_copy: med("ffmpeg_copy", "cpu"),
          export: med("export", "cpu"),
        },
        peak_rss_mb: {
          ffmpeg_mkv: Math.max(...steps.ffmpeg_mkv.map((m) => m.rss_mb)),
          import: Math.max(...steps.import.map((m) => m.rss_mb)),
          ffmpeg_copy: Math.max(...steps.ffmpeg_copy.map((m) => m.rss_mb)),
          export: Math.max(...steps.export.map((m) => m.rss_mb)),
        },
        ffprobe_packets_identical: same,
      });
    }
    const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
    if (Deno.args.includes("--json")) {
      const fsync = sync.length > 0;
      console.log(JSON.stringify({ runs, deno: Deno.version.deno, load, fsync, rows }, null, 2));
      return;
    }
    console.log(
      `median of ${runs} interleaved rounds${
        sync.length ? " (import and export with --fsync)" : ""
      }; load average after: ${load}`,
    );
    console.log(
      "| input | MB | ffmpeg → mkv s | import s (×) | ffmpeg → mp4 s | export s (×) | CPU s ffmpeg→mkv / import / ffmpeg→mp4 / export | peak RSS MB (same order) | packets identical |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|");
    const f = (x: number, d = 2) => x.toFixed(d);
    for (const r of rows) {
      const c = r.cpu_s, m = r.peak_rss_mb;
      console.log(
        `| ${r.input} | ${f(r.mb, 1)} | ${f(r.ffmpeg_mkv_s)} | ${f(r.import_s)} (${
          f(r.import_ratio)
        }) | ` +
          `${f(r.ffmpeg_copy_s)} | ${f(r.export_s)} (${f(r.export_ratio)}) | ` +
          `${f(c.ffmpeg_mkv)} / ${f(c.import)} / ${f(c.ffmpeg_copy)} / ${f(c.export)} | ` +
          `${f(m.ffmpeg_mkv, 0)} / ${f(m.import, 0)} / ${f(m.ffmpeg_copy, 0)} / ${
            f(m.export, 0)
          } | ` +
          `${r.ffprobe_packets_identical ? "yes" : "NO"} |`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
