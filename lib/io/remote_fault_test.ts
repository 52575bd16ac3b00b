/**
 * Issue 9, remote faults, one at a time: a container read end to end through `openHttpSource`
 * and `openContainer` from servers that drop connections, send short, shifted, misplaced or
 * compressed bodies, ignore Range, or change the file between requests. Every read either
 * returns exactly the bytes of the local container or throws an `H4Error` with the code
 * SPEC.md 16.1 documents (H4-HTTP-002..005, H4-INT-003); never other bytes.
 */

import assert from "node:assert/strict";
import { isH4Error } from "../format/errors.ts";
import { openContainer } from "../seek/container.ts";
import { openHttpSource } from "./http_source.ts";
import {
  A,
  A2,
  B,
  open,
  OPTS,
  readsRight,
  rejectsWith,
  SPREAD,
  withServer,
} from "./testdata/remote_fault_kit.ts";
import { serveWire } from "./testdata/wire_server.ts";

Deno.test("remote faults: a connection dropped mid-body is retried, then H4_TRUNCATED", async () => {
  await withServer(A.bytes, {}, async (srv) => {
    srv.knobs.cut = 1; // the tail probe
    const src = await openHttpSource(srv.url, OPTS);
    const c = await openContainer(src);
    for (const i of SPREAD.slice(0, 4)) {
      srv.knobs.cut = 1;
      await readsRight(c, A, i);
    }
    assert.equal(src.stats.retries, 5); // the probe and each block's first request
    srv.knobs.cut = 100;
    await rejectsWith(c.readBlock(SPREAD[4], { verify: true }), ["H4_TRUNCATED"]);
    await rejectsWith(open(srv.url), ["H4_TRUNCATED"]);
    srv.knobs.cut = 0;
    await readsRight(c, A, SPREAD[4]); // the same container recovers
  });
});

Deno.test("remote faults: short bodies are retried, then H4_TRUNCATED", async () => {
  await withServer(A.bytes, {}, async (srv) => {
    srv.knobs.short = 2;
    const src = await openHttpSource(srv.url, { ...OPTS, retries: 2 });
    const c = await openContainer(src);
    for (const i of SPREAD.slice(0, 4)) {
      srv.knobs.short = 2;
      await readsRight(c, A, i);
    }
    assert.equal(src.stats.retries, 10);
    srv.knobs.short = 3;
    await rejectsWith(c.readBlock(SPREAD[5], { verify: true }), ["H4_TRUNCATED"]);
    srv.knobs.short = 0;
    await readsRight(c, A, SPREAD[5]);
  });
});

Deno.test("remote faults: a server ignoring Range is read whole when small, refused when large", async () => {
  // Small (under maxFullBody): one request, every block right, with and without a length.
  for (const noLength of [false, true]) {
    await withServer(A.bytes, { noRange: true, noLength }, async (srv) => {
      const src = await openHttpSource(srv.url, OPTS);
      const c = await openContainer(src);
      for (const i of SPREAD) await readsRight(c, A, i);
      assert.equal(src.stats.requests, 1);
      assert.equal(srv.requests.length, 1);
    });
  }
  // Large: refused from Content-Length, or while counting a body without one.
  for (const noLength of [false, true]) {
    await withServer(A.bytes, { noRange: true, noLength }, async (srv) => {
      await rejectsWith(open(srv.url, { maxFullBody: 100_000 }), ["H4_RANGE_UNSUPPORTED"]);
    });
  }
  // A server that honours Range for the probe and ignores it later.
  await withServer(A.bytes, {}, async (srv) => {
    const c = await open(srv.url);
    await readsRight(c, A, SPREAD[0]);
    srv.knobs.noRange = true;
    await rejectsWith(c.readBlock(SPREAD[1], { verify: true }), ["H4_RANGE_UNSUPPORTED"]);
    srv.knobs.noRange = false;
    await readsRight(c, A, SPREAD[1]);
  });
});

Deno.test("remote faults: a file replaced between requests is H4_SOURCE_CHANGED", async () => {
  // A server that checks If-Match (412), one that ignores it (the ETag of the 206 differs),
  // one with a weak ETag that ignores If-Range too (Last-Modified differs).
  for (
    const knobs of [{}, { ignoreConditionals: true }, { ignoreConditionals: true, weakEtag: true }]
  ) {
    await withServer(A.bytes, knobs, async (srv) => {
      const c = await open(srv.url);
      await readsRight(c, A, SPREAD[0]);
      srv.replace(B.bytes);
      // What is cached stays the first version's; what needs the network fails.
      await readsRight(c, A, SPREAD[0]);
      await rejectsWith(c.readBlock(SPREAD[3], { verify: true }), ["H4_SOURCE_CHANGED"]);
      await rejectsWith(c.readBlock(SPREAD[3]), ["H4_SOURCE_CHANGED"]);
      const fresh = await open(srv.url); // reopening gives the new version
      for (const i of SPREAD) await readsRight(fresh, B, i);
    });
  }
  // No validators at all: a new size is still caught by Content-Range's total.
  await withServer(A.bytes, { noValidators: true }, async (srv) => {
    const c = await open(srv.url);
    srv.replace(B.bytes);
    await rejectsWith(c.readBlock(SPREAD[3], { verify: true }), ["H4_SOURCE_CHANGED"]);
  });
  // No validators and the same size: nothing in HTTP can tell; a verified read can (the new
  // BHSH page fails its TDIR digest, a new block its hash). Unverified reads trust the
  // transport (SPEC.md 16.1), which is why this case is the one `verify` exists for.
  await withServer(A.bytes, { noValidators: true }, async (srv) => {
    const c = await open(srv.url);
    await readsRight(c, A, SPREAD[0]);
    srv.replace(A2.bytes);
    for (const i of SPREAD.slice(2)) {
      await rejectsWith(c.readBlock(i, { verify: true }), [
        "H4_DIGEST_MISMATCH",
        "H4_BLOCK_HASH_MISMATCH",
      ]);
    }
  });
});

Deno.test("remote faults: another range than asked, or other bytes, are never returned", async () => {
  await withServer(A.bytes, {}, async (srv) => {
    const c = await open(srv.url);
    srv.knobs.shift = true; // Content-Range says so: the source refuses it
    await rejectsWith(c.readBlock(SPREAD[0], { verify: true }), ["H4_IO"]);
    await rejectsWith(c.readBlock(SPREAD[0]), ["H4_IO"]);
    await rejectsWith(open(srv.url), ["H4_IO"]);
    srv.knobs.shift = false;
    await readsRight(c, A, SPREAD[0]);
    // Right headers, other bytes (a lying server): the hashes of a verified read catch it.
    srv.knobs.misplace = 4099;
    for (const i of SPREAD.slice(1)) {
      await rejectsWith(c.readBlock(i, { verify: true }), [
        "H4_DIGEST_MISMATCH",
        "H4_BLOCK_HASH_MISMATCH",
        "H4_CRC_MISMATCH",
        "H4_INDEX_MISMATCH",
        "H4_BAD_CHUNK",
      ]);
    }
    // The tail itself misplaced: the open fails with a format error, whichever it is.
    await assert.rejects(open(srv.url), (e) => isH4Error(e));
    srv.knobs.misplace = 0;
    const fresh = await open(srv.url);
    for (const i of SPREAD) await readsRight(fresh, A, i);
  });
});

Deno.test("remote faults: Content-Encoding gzip is refused (H4_IO)", async () => {
  await withServer(A.bytes, {}, async (srv) => {
    const c = await open(srv.url);
    srv.knobs.encoding = "gzip";
    await rejectsWith(c.readBlock(SPREAD[2], { verify: true }), ["H4_IO"]);
    await rejectsWith(open(srv.url), ["H4_IO"]);
    srv.knobs.encoding = "GZIP, identity";
    await rejectsWith(c.readBlock(SPREAD[2]), ["H4_IO"]);
    srv.knobs.encoding = "identity"; // allowed by RFC 9110, and honest
    await readsRight(c, A, SPREAD[2]);
  });
  // A real gzip body whose Content-Range and length fit the compressed bytes.
  const wire = serveWire(A.bytes, () => "gzip");
  try {
    await rejectsWith(open(wire.url), ["H4_IO"]);
  } finally {
    await wire.close();
  }
});
