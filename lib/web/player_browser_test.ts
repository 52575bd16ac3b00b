/**
 * The web player in a real browser: Debian's `chromium`, headless, driven by puppeteer-core.
 * A 310 s H.264 + AAC clip (320×180, 25 fps, a keyframe every 2 s; about 6 s of ffmpeg) is made
 * with ffmpeg's lavfi sources and imported, and played from t=0 and from t=300 (the seek;
 * its 10-minute clip is cut to what that seek needs so that CI stays short). Skipped, visibly,
 * without chromium or ffmpeg.
 *
 * Set H4MK_CHROMIUM to use another browser binary; H4MK_SCREENSHOT_DIR keeps the screenshots.
 *
 * @module
 */
import assert from "node:assert/strict";
import { importMedia } from "../media/import.ts";
import { packContainer } from "../format/writer.ts";
import { openContainer } from "../seek/container.ts";
import { createSealer, encodeKeyFile, generateKey } from "../living/mod.ts";
import { createHandler } from "../server/handler.ts";
import { buildPlayer, bundle } from "./build.ts";

// The shapes of the page's objects used in code that runs in the page (this file is type
// checked with Deno's libraries, which have no DOM).
interface PageVideo {
  currentTime: number;
  error: { code: number; message: string } | null;
  pause(): void;
  getVideoPlaybackQuality(): { totalVideoFrames: number };
  requestVideoFrameCallback(cb: (now: number, md: { mediaTime: number }) => void): number;
}
declare const document: {
  querySelector(s: "video"): PageVideo | null;
  getElementById(id: string): { textContent: string | null } | null;
};

const CLIP_SECONDS = 310;
const FAR_SECONDS = 300;

async function findChromium(): Promise<string | null> {
  const env = Deno.env.get("H4MK_CHROMIUM");
  for (const c of [env, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (!c) continue;
    try {
      if ((await Deno.stat(c)).isFile) return c;
    } catch { /* not there */ }
  }
  return null;
}

async function hasFfmpeg(): Promise<boolean> {
  try {
    return (await new Deno.Command("ffmpeg", { args: ["-version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

const chromium = await findChromium();
const ffmpeg = await hasFfmpeg();
const ignore = !chromium || !ffmpeg;
if (ignore) {
  console.warn(
    `lib/web/player_browser_test.ts: ${
      !chromium ? "chromium" : "ffmpeg"
    } not found, skipping the browser tests`,
  );
}

async function run(cmd: string, args: string[]): Promise<void> {
  const r = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!r.success) throw new Error(`${cmd}: ${new TextDecoder().decode(r.stderr).slice(-500)}`);
}

/** A file sink for importMedia. */
async function importTo(src: string, out: string, opts = {}): Promise<void> {
  const f = await Deno.open(out, { write: true, create: true, truncate: true });
  try {
    await importMedia(src, { write: (b) => f.write(b).then(() => {}) }, opts);
  } finally {
    f.close();
  }
}

/** The page's state, as the tests read it. */
interface Seen {
  ct: number;
  frames: number;
  error: string | null;
  state: string;
  status: string;
}

Deno.test({
  name: "web player in headless chromium",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const { default: puppeteer } = await import("puppeteer-core");
    const dir = await Deno.makeTempDir({ prefix: "h4mk-player-" });
    const root = `${dir}/root`;
    await Deno.mkdir(root);
    const clip = `${dir}/clip.mp4`;
    await run("ffmpeg", [
      ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", `${CLIP_SECONDS}`],
      ...["-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-keyint_min", "50"],
      ...["-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k"],
      clip,
    ]);
    await importTo(clip, `${root}/clip.h4mk`);
    const key = generateKey();
    await importTo(clip, `${root}/secret.h4mk`, { sealer: createSealer(key) });
    await Deno.writeTextFile(`${dir}/secret.key`, encodeKeyFile({ kind: "root", key }));
    await Deno.writeTextFile(
      `${dir}/wrong.key`,
      encodeKeyFile({ kind: "root", key: generateKey() }),
    );
    await Deno.writeFile(
      `${root}/plain.h4mk`,
      await packContainer([
        { track_id: "v", pts_us: 0, kind: "I", keyframe: true, payload: new Uint8Array(10) },
      ]),
    );
    // The imported clip with a codec this browser does not play (HEVC) in its META.
    {
      const c = await openContainer(await Deno.readFile(`${root}/clip.h4mk`));
      const blocks = [];
      for await (const e of c.entries()) {
        blocks.push({ ...e, payload: await c.readBlock(e.index) });
      }
      const meta = structuredClone(c.meta) as {
        media: { tracks: Record<string, { codec: string }> };
      };
      meta.media.tracks.video_main.codec = "hvc1.1.6.L93.B0";
      await Deno.writeFile(`${root}/hevc.h4mk`, await packContainer(blocks, { meta }));
    }
    // The browser bundles, built fresh (the checked-in player is compared with it below).
    const web = `${dir}/web`;
    await buildPlayer(web);
    await bundle("browser.ts", `${web}/h4mk.js`);

    const handler = createHandler({ root });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
    const origin = `http://127.0.0.1:${server.addr.port}`;
    // A second origin: static files (the built player and library) and, under /cors/, the
    // first server's files with CORS headers, as nginx or a CDN would serve them.
    const statics = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const url = new URL(req.url);
      const cors = {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "range, if-match, if-range, if-none-match",
        "access-control-expose-headers": "content-range, content-length, etag, last-modified",
      };
      if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
      if (url.pathname.startsWith("/cors/")) {
        const res = await handler(
          new Request(`${origin}/files/${url.pathname.slice(6)}`, { headers: req.headers }),
        );
        const h = new Headers(res.headers);
        for (const [k, v] of Object.entries(cors)) h.set(k, v);
        return new Response(res.body, { status: res.status, headers: h });
      }
      try {
        const body = await Deno.readFile(`${web}/${url.pathname.slice(1).replace(/\.\./g, "")}`);
        const type = url.pathname.endsWith(".html") ? "text/html" : "text/javascript";
        return new Response(body, { headers: { "content-type": type, ...cors } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    const staticOrigin = `http://127.0.0.1:${statics.addr.port}`;

    const profile = await Deno.makeTempDir({ prefix: "h4mk-chromium-" });
    const browser = await puppeteer.launch({
      executablePath: chromium!,
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
    // Screenshots are kept (the rest of the temp folder is removed at the end).
    const shots = Deno.env.get("H4MK_SCREENSHOT_DIR") ??
      await Deno.makeTempDir({ prefix: "h4mk-player-shots-" });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 820 });
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      // The time of the first video frame presented, from the start of each navigation.
      await page.evaluateOnNewDocument(() => {
        addEventListener("DOMContentLoaded", () => {
          const v = document.querySelector("video");
          v?.requestVideoFrameCallback((now) => {
            (globalThis as unknown as { firstFrameMs: number }).firstFrameMs = now;
          });
        });
      });
      const seen = (): Promise<Seen> =>
        page.evaluate(() => {
          const v = document.querySelector("video")!;
          const h = (globalThis as unknown as { h4player: { state: string } }).h4player;
          return {
            ct: v.currentTime,
            frames: v.getVideoPlaybackQuality().totalVideoFrames,
            error: v.error ? `${v.error.code} ${v.error.message}` : null,
            state: h.state,
            status: document.getElementById("status")!.textContent ?? "",
          };
        });
      const ready = () =>
        page.evaluate(() =>
          (globalThis as unknown as { h4player: { ready: Promise<unknown> } }).h4player.ready
        ) as Promise<{ playable: boolean; reason?: string }>;
      /** Waits until the video has played `seconds` past `from`, then checks it played. */
      const playsOn = async (from: number, seconds: number) => {
        const before = await seen();
        await page.waitForFunction(
          (until: number) => document.querySelector("video")!.currentTime >= until,
          { timeout: 30_000, polling: 100 },
          from + seconds,
        );
        const after = await seen();
        assert.equal(after.error, null);
        assert.ok(after.ct - from >= seconds, `currentTime ${after.ct} from ${from}`);
        assert.ok(after.frames > before.frames, `frames ${before.frames} → ${after.frames}`);
        return after;
      };

      await t.step("GET / lists the containers, each linking to its player", async () => {
        await page.goto(`${origin}/`);
        const links = await page.$$eval(
          "#containers a[href^='/play/']",
          (as) => as.map((a) => a.getAttribute("href")),
        );
        for (const n of ["clip.h4mk", "plain.h4mk", "secret.h4mk"]) {
          assert.ok(links.includes(`/play/${n}`), `${n} in ${links}`);
        }
        const text = await page.$eval("#containers", (e) => e.textContent ?? "");
        assert.match(text, /avc1\.64/);
        assert.match(text, /mp4a\.40\.2/);
        const m = Math.floor(CLIP_SECONDS / 60);
        const sec = String(CLIP_SECONDS % 60).padStart(2, "0");
        assert.match(text, new RegExp(`${m}:${sec}\\.0`)); // the duration, m:ss.s
        await page.screenshot({ path: `${shots}/listing.png` });
      });

      await t.step("the imported clip plays from t=0", async () => {
        await page.goto(`${origin}/play/clip.h4mk?autoplay=1&t=0`);
        assert.deepEqual(await ready(), { playable: true });
        assert.equal(await page.$$eval("video", (v) => v.length), 1);
        const s = await playsOn(0, 2);
        assert.equal(s.state, "playing");
        const stats = await page.evaluate(() =>
          (globalThis as unknown as { h4player: { requests: number } }).h4player.requests
        );
        assert.ok(stats >= 2);
      });

      let cold: Record<string, number> = {};
      await t.step(`the imported clip plays from t=${FAR_SECONDS} (cold seek)`, async () => {
        await page.goto(`${origin}/play/clip.h4mk?autoplay=1&t=${FAR_SECONDS + 0.7}`);
        assert.deepEqual(await ready(), { playable: true });
        const info = await page.evaluate(() => {
          const h = (globalThis as unknown as {
            h4player: {
              openStats: { requests: number; bytes: number };
              seekStats: { requests: number; bytes: number; ms: number };
              lastSeek: { keyframe_pts_us: number };
            };
          }).h4player;
          return { open: h.openStats, seek: h.seekStats, hit: h.lastSeek };
        });
        // The library's answer for the same time, read here from the file.
        const c = await openContainer(await Deno.readFile(`${root}/clip.h4mk`));
        const want = c.seek("video_main", Math.round((FAR_SECONDS + 0.7) * 1e6));
        assert.equal(info.hit.keyframe_pts_us, want.keyframe_pts_us);
        assert.equal(want.keyframe_pts_us, FAR_SECONDS * 1e6); // keyframes every 2 s
        // Cold: the tail, an index page, the keyframe interval.
        const requests = info.open.requests + info.seek.requests;
        assert.ok(requests <= 3, `cold seek took ${requests} requests`);
        await playsOn(want.keyframe_pts_us / 1e6, 2);
        const first = await page.evaluate(() =>
          (globalThis as unknown as { firstFrameMs: number }).firstFrameMs
        );
        cold = { requests, bytes: info.open.bytes + info.seek.bytes, firstFrameMs: first };
        console.log(`cold seek on loopback: ${JSON.stringify(cold)}`);
        await page.screenshot({ path: `${shots}/player.png` });
      });

      await t.step("the frame shown after a seek is the library's keyframe", async () => {
        for (const target of [7.9, 24.04, 0.5]) {
          const got = await page.evaluate(async (s: number) => {
            const v = document.querySelector("video")!;
            v.pause();
            const h = (globalThis as unknown as {
              h4player: { seek(s: number): Promise<{ keyframe_pts_us: number }> };
            }).h4player;
            const frame = new Promise<number>((resolve) =>
              v.requestVideoFrameCallback((_, md) => resolve(md.mediaTime))
            );
            const hit = await h.seek(s);
            return { hit: hit.keyframe_pts_us, shown: await frame, ct: v.currentTime };
          }, target);
          const c = await openContainer(await Deno.readFile(`${root}/clip.h4mk`));
          const want = c.seek("video_main", Math.round(target * 1e6)).keyframe_pts_us;
          assert.equal(got.hit, want);
          assert.ok(Math.abs(got.shown - want / 1e6) < 0.001, `${got.shown} vs ${want / 1e6}`);
        }
        assert.equal((await seen()).error, null);
      });

      await t.step("a click on the timeline and the video's own seek bar seek", async () => {
        const lastKey = () =>
          page.evaluate(() =>
            (globalThis as unknown as { h4player: { lastSeek: { keyframe_pts_us: number } } })
              .h4player.lastSeek.keyframe_pts_us
          );
        const box = (await (await page.$("#timeline"))!.boundingBox())!;
        await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
        // The keyframe at or before the middle of the clip (keyframes every 2 s).
        const half = CLIP_SECONDS / 2;
        await page.waitForFunction(
          (t: number) => document.querySelector("video")!.currentTime >= t,
          { timeout: 10_000 },
          half - 2,
        );
        const clicked = await lastKey();
        assert.ok(
          clicked >= (half - 2) * 1e6 && clicked <= half * 1e6,
          `keyframe ${clicked} after a click at 50 %`,
        );
        // As a user dragging the native control: a time outside what is buffered.
        await page.evaluate(() => {
          document.querySelector("video")!.currentTime = 5.5;
        });
        await page.waitForFunction(
          () =>
            (globalThis as unknown as { h4player: { lastSeek: { keyframe_pts_us: number } } })
              .h4player.lastSeek.keyframe_pts_us === 4e6,
          { timeout: 10_000 },
        );
        assert.equal((await seen()).error, null);
      });

      await t.step("an encrypted container fails cleanly without its key", async () => {
        await page.goto(`${origin}/play/secret.h4mk?autoplay=1`);
        await page.waitForFunction(() =>
          (globalThis as unknown as { h4player: { state: string } }).h4player.state ===
            "needs-key"
        );
        const input = await page.$("input#key");
        await input!.uploadFile(`${dir}/wrong.key`);
        await page.waitForFunction(() =>
          (globalThis as unknown as { h4player: { error: string | null } }).h4player.error !==
            null
        );
        const s = await seen();
        assert.equal(s.state, "needs-key");
        assert.match(s.status, /H4_CIPHER_/);
        assert.equal(s.frames, 0);
        assert.equal(s.error, null);
      });

      await t.step("an encrypted container plays with its key", async () => {
        await page.goto(`${origin}/play/secret.h4mk?autoplay=1&t=12`);
        await page.waitForFunction(() =>
          (globalThis as unknown as { h4player: { state: string } }).h4player.state ===
            "needs-key"
        );
        const input = await page.$("input#key");
        await input!.uploadFile(`${dir}/secret.key`);
        assert.deepEqual(await ready(), { playable: true });
        await playsOn(12, 2);
      });

      await t.step("a container not from import lists its blocks and says why", async () => {
        await page.goto(`${origin}/play/plain.h4mk`);
        const r = await ready();
        assert.equal(r.playable, false);
        const s = await seen();
        assert.equal(s.state, "not-playable");
        assert.match(s.status, /not made by h4mk import/);
        const rows = await page.$$eval("#blocks tbody tr", (r) => r.length);
        assert.equal(rows, 1);
      });

      await t.step("a codec the browser cannot play is named in the page", async () => {
        // The audio still plays; the video is named as what this browser cannot play.
        await page.goto(`${origin}/play/hevc.h4mk`);
        assert.deepEqual(await ready(), { playable: true });
        const s = await seen();
        assert.match(s.status, /cannot play video_main \(hvc1\.1\.6\.L93\.B0\)/);
        const rows = await page.$$eval(
          "#tracks tbody tr",
          (r) => r.map((row) => [...row.children].map((c) => c.textContent)),
        );
        assert.deepEqual(rows.map((r) => [r[0], r[4]]), [["audio_main", "yes"], [
          "video_main",
          "no",
        ]]);
      });

      await t.step("the static page plays from another origin over CORS", async () => {
        const src = encodeURIComponent(`${staticOrigin}/cors/clip.h4mk`);
        await page.goto(`${staticOrigin}/player.html?src=${src}&autoplay=1&t=20`);
        assert.deepEqual(await ready(), { playable: true });
        await playsOn(20, 2);
      });

      await t.step("the library bundle runs in the page: open, seek, verify, decrypt", async () => {
        await page.goto(`${staticOrigin}/player.html`);
        const keyText = await Deno.readTextFile(`${dir}/secret.key`);
        const r = await page.evaluate(
          async (base: string, keyText: string) => {
            const h4 = await import(`${base}/h4mk.js`);
            const plain = await h4.openContainer(await h4.openHttpSource(`${base}/cors/clip.h4mk`));
            const hit = plain.seek("video_main", 10_000_000);
            const block = await plain.readBlock(hit.core_index);
            const report = await plain.verify();
            const sealed = await h4.openContainer(
              await h4.openHttpSource(`${base}/cors/secret.h4mk`),
            );
            const opener = await h4.openCipher(sealed, h4.parseKeyFile(keyText));
            const same = await sealed.readBlock(hit.core_index, { opener });
            return {
              key: hit.keyframe_pts_us,
              ok: report.ok,
              equal: block.length === same.length &&
                block.every((b: number, i: number) => b === same[i]),
            };
          },
          staticOrigin,
          keyText,
        );
        assert.deepEqual(r, { key: 10_000_000, ok: true, equal: true });
      });

      assert.deepEqual(pageErrors, []);
      console.log(`screenshots in ${shots}`);
    } finally {
      await browser.close();
      await server.shutdown();
      await statics.shutdown();
      await handler.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
