/**
 * The web player on loopback, in headless chromium: time to first frame and what a seek costs
 * (requests, bytes) for a cold page load at t=0 and t=300, and for seeks in an open page. The
 * clip is 10 minutes of 320×180 H.264 (25 fps, a keyframe every 2 s) + AAC, made with ffmpeg's
 * lavfi sources and imported. Baseline, same run: the same clip exported as a faststart MP4 and
 * played by the browser itself (`<video src="clip.mp4#t=...">`) from the same server.
 *
 *   deno run -A bench/web_player.ts [--runs 5] [--seconds 600]
 *
 * Needs chromium (H4MK_CHROMIUM or /usr/bin/chromium) and ffmpeg.
 *
 * @module
 */
import puppeteer from "puppeteer-core";
import { importMedia } from "../lib/media/import.ts";
import { createHandler } from "../lib/server/handler.ts";
import { openContainer } from "../lib/seek/container.ts";
import { exportMp4 } from "../lib/media/export.ts";
import { faststart } from "../lib/media/faststart.ts";
import { bytesSource } from "../lib/format/byte_source.ts";

const args = Deno.args;
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt("--runs", 5);
const SECONDS = opt("--seconds", 600);
const FAR = Math.min(300, SECONDS / 2);

const dir = await Deno.makeTempDir({ prefix: "h4mk-web-bench-" });
const clip = `${dir}/clip.mp4`;
const ff = await new Deno.Command("ffmpeg", {
  args: [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25"],
    ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", `${SECONDS}`],
    ...["-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-keyint_min", "50"],
    ...["-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k", clip],
  ],
}).output();
if (!ff.success) throw new Error("ffmpeg failed");
await Deno.mkdir(`${dir}/root`);
{
  const f = await Deno.open(`${dir}/root/clip.h4mk`, { write: true, create: true });
  await importMedia(clip, { write: (b) => f.write(b).then(() => {}) });
  f.close();
}
const size = (await Deno.stat(`${dir}/root/clip.h4mk`)).size;
{
  const c = await openContainer(await Deno.readFile(`${dir}/root/clip.h4mk`));
  const parts: Uint8Array[] = [];
  await exportMp4(c, { write: (b) => void parts.push(b.slice()) });
  const plain = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) [plain.set(p, at), at += p.length];
  const f = await Deno.open(`${dir}/root/clip.mp4`, { write: true, create: true });
  await faststart(bytesSource(plain), { write: (b) => f.write(b).then(() => {}) });
  f.close();
}
const handler = createHandler({ root: `${dir}/root` });
// Counts what the server sends for the MP4 baseline (the player counts its own requests).
const mp4 = { requests: 0, bytes: 0 };
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  const url = new URL(req.url);
  if (url.pathname === "/baseline.html") {
    return new Response(
      `<!doctype html><body><video muted autoplay src="/files/clip.mp4#t=${
        url.searchParams.get("t")
      }"></video></body>`,
      { headers: { "content-type": "text/html" } },
    );
  }
  const res = await handler(req);
  if (url.pathname !== "/files/clip.mp4" || !res.body) return res;
  mp4.requests++;
  // Bytes as they are sent: the browser cancels open-ended ranges once it has enough.
  const counted = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        mp4.bytes += chunk.length;
        c.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: res.status, headers: res.headers });
});
const origin = `http://127.0.0.1:${server.addr.port}`;
const profile = await Deno.makeTempDir({ prefix: "h4mk-chromium-" });
const browser = await puppeteer.launch({
  executablePath: Deno.env.get("H4MK_CHROMIUM") ?? "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
});

interface Cold {
  firstFrameMs: number;
  openMs: number;
  appendedMs: number;
  requests: number;
  bytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const page = await browser.newPage();
  await page.setCacheEnabled(false); // every load is cold, for the player and the baseline
  await page.evaluateOnNewDocument(() => {
    addEventListener("DOMContentLoaded", () => {
      // deno-lint-ignore no-explicit-any
      const v = (globalThis as any).document.querySelector("video");
      v?.requestVideoFrameCallback((now: number) => {
        (globalThis as unknown as { firstFrameMs: number }).firstFrameMs = now;
      });
    });
  });
  const cold = async (t: number): Promise<Cold> => {
    await page.goto(`${origin}/play/clip.h4mk?autoplay=1&t=${t}`);
    await page.waitForFunction(() =>
      (globalThis as unknown as { firstFrameMs?: number }).firstFrameMs !== undefined &&
      // deno-lint-ignore no-explicit-any
      (globalThis as any).h4player.seekStats !== null
    );
    return await page.evaluate(() => {
      // deno-lint-ignore no-explicit-any
      const h = (globalThis as any).h4player;
      return {
        firstFrameMs: (globalThis as unknown as { firstFrameMs: number }).firstFrameMs,
        openMs: h.openStats.ms,
        appendedMs: h.openStats.ms + h.seekStats.ms,
        requests: h.openStats.requests + h.seekStats.requests,
        bytes: h.openStats.bytes + h.seekStats.bytes,
      };
    });
  };
  console.log(
    `web player on loopback, ${SECONDS} s clip (${(size / 1e6).toFixed(1)} MB), median of ${RUNS}`,
  );
  for (const t of [0, FAR]) {
    const rows: Cold[] = [];
    for (let r = 0; r < RUNS; r++) rows.push(await cold(t));
    console.log(
      `cold load, t=${t}: first frame ${median(rows.map((x) => x.firstFrameMs)).toFixed(0)} ms ` +
        `after navigation (container open at ${median(rows.map((x) => x.openMs)).toFixed(0)} ms, ` +
        `keyframe interval appended at ${median(rows.map((x) => x.appendedMs)).toFixed(0)} ms), ` +
        `${median(rows.map((x) => x.requests))} requests, ` +
        `${median(rows.map((x) => x.bytes))} bytes`,
    );
  }
  for (const t of [0, FAR]) {
    const rows: { ms: number; requests: number; bytes: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      [mp4.requests, mp4.bytes] = [0, 0];
      await page.goto(`${origin}/baseline.html?t=${t}`);
      await page.waitForFunction(() =>
        (globalThis as unknown as { firstFrameMs?: number }).firstFrameMs !== undefined
      );
      const ms = await page.evaluate(() =>
        (globalThis as unknown as { firstFrameMs: number }).firstFrameMs
      );
      rows.push({ ms, ...mp4 });
    }
    console.log(
      `baseline, faststart MP4 in <video>, t=${t}: first frame ${
        median(rows.map((x) => x.ms)).toFixed(0)
      } ms after navigation, ${median(rows.map((x) => x.requests))} requests, ${
        median(rows.map((x) => x.bytes))
      } bytes sent (until the first frame, or more: the browser reads ahead)`,
    );
  }
  await page.goto(`${origin}/play/clip.h4mk`);
  await page.waitForFunction(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).h4player.seekStats !== null
  );
  // Seeks in an open page: from the seek call to the keyframe's frame presented.
  const warm: { ms: number; requests: number; bytes: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const target = ((r * 7919) % Math.floor(SECONDS - 10)) + 1.3;
    warm.push(
      await page.evaluate(async (s: number) => {
        // deno-lint-ignore no-explicit-any
        const g = globalThis as any;
        const v = g.document.querySelector("video");
        const frame = new Promise<number>((resolve) => v.requestVideoFrameCallback(resolve));
        const t0 = performance.now();
        await g.h4player.seek(s);
        const t1 = await frame;
        return {
          ms: t1 - t0,
          requests: g.h4player.seekStats.requests,
          bytes: g.h4player.seekStats.bytes,
        };
      }, target),
    );
  }
  console.log(
    `seek in an open page: frame after ${median(warm.map((x) => x.ms)).toFixed(0)} ms, ` +
      `${median(warm.map((x) => x.requests))} requests, ${median(warm.map((x) => x.bytes))} bytes`,
  );
} finally {
  await browser.close();
  await server.shutdown();
  await handler.close();
  await Deno.remove(profile, { recursive: true }).catch(() => {});
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
