#!/usr/bin/env python3
"""Build small H4MK v1/v2 files by hand from SPEC.md and check h4mk_read.py against them.

    python3 make_samples.py            build into a temp dir, run the reader, report
    python3 make_samples.py OUTDIR     also keep the files and OUTDIR/expected.json

The writer below is a second reading of SPEC.md (same author as the reader), so it shows
self-consistency, not compatibility; the project's own vectors are the real test.
expected.json maps each file to {"ok": <canonical read output>} or {"error": "<CODE>"}.
"""
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
READER = os.path.join(HERE, "h4mk_read.py")
# The original writer's samples, kept in the repository.
LEGACY_DIR = os.path.join(HERE, "..", "..", "testdata", "legacy-v1")
CODECS = ["none", "deflate", "rle"]
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the source tree clean
import h4mk_read  # noqa: E402  (seek answers are checked in-process: many calls)


def sha(b):
    return hashlib.sha256(b).digest()


def varint(n):
    assert 0 <= n <= 2**53 - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def svarint(n):
    return varint(2 * n if n >= 0 else -2 * n - 1)


def chunk(tag, payload):
    return tag.encode() + struct.pack(">II", len(payload), zlib.crc32(payload)) + payload


def compact(doc):
    """Compact JSON, non-ASCII kept; lone surrogates (not UTF-8) stay \\u escapes."""
    try:
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(doc, separators=(",", ":")).encode()


def rle(data):
    out, i = bytearray(), 0
    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i] and j - i < 255:
            j += 1
        out += bytes((data[i], j - i))
        i = j
    return bytes(out)


def compress(codec, data):
    return [lambda d: d, zlib.compress, rle][codec](data)


def blk(track, pts, kind="I", key=None, codec=None, payload=b""):
    return {"track": track, "pts": pts, "kind": kind, "key": kind == "I" if key is None else key,
            "codec": codec, "payload": payload}


def make(blocks, version=2, meta=None, safe=None, encrypted=False, P=4096, H=1024,
         seg_min=65536, interval=1_000_000, track_codecs=None, hooks=None, reserved=0):
    """Write a file; returns (bytes, expected canonical read output)."""
    hooks = hooks or {}
    track_codecs = track_codecs or {}
    ids = sorted({b["track"] for b in blocks}, key=lambda s: s.encode())
    tix = {t: i for i, t in enumerate(ids)}
    recs = []
    for i, b in enumerate(blocks):
        codec = track_codecs.get(b["track"], 0) if b["codec"] is None else b["codec"]
        stored = compress(codec, b["payload"])
        if encrypted:  # stand-in for a cipher: same length plus a 16-byte tag
            stored = bytes(x ^ 0x5A for x in stored) + sha(stored)[:16]
        recs.append(dict(b, index=i, t=tix[b["track"]], codec=codec, stored=stored,
                         plain=len(b["payload"])))
    recs = hooks.get("recs", lambda r: r)(recs)
    # storage chunks (section 4)
    groups = []
    for r in recs:
        size = sum(len(x["stored"]) for x in groups[-1]) if groups else 0
        if version == 1 or not groups or (size >= seg_min and r["key"]) \
                or (size and size + len(r["stored"]) > 16 << 20):
            groups.append([])
        groups[-1].append(r)
    tag = "CORE" if version == 1 else "SEGM"
    body, off = bytearray(), 8
    for c, g in enumerate(groups):
        off += 12
        for j, r in enumerate(g):
            r.update(offset=off, chunk=c, new=int(j == 0))
            off += len(r["stored"])
        body += chunk(tag, b"".join(r["stored"] for r in g))
    storage_payloads = [b"".join(r["stored"] for r in g) for g in groups]
    # BIDX pages (6.2)
    pages = []
    for p in range(0, len(recs), P):
        page_recs = recs[p:p + P]
        out = bytearray(varint(page_recs[0]["offset"]) + varint(page_recs[0]["chunk"]))
        lp, ld = {}, {}
        for r in page_recs:
            t = r["t"]
            has = int(r["codec"] != track_codecs.get(r["track"], 0))
            head = t << 5 | has << 4 | "IPB".index(r["kind"]) << 2 | int(r["key"]) << 1 | r["new"]
            out += varint(head) + (bytes((r["codec"],)) if has else b"")
            out += svarint(r["pts"] - (lp.get(t, 0) + ld.get(t, 0))) + varint(len(r["stored"]))
            if r["codec"]:
                out += varint(r["plain"])
            ld[t], lp[t] = r["pts"] - lp.get(t, 0), r["pts"]
        pages.append(bytes(out))
    pages = hooks.get("pages", lambda x: x)(pages)
    bhsh = b"".join(sha(s) for s in storage_payloads)
    # KSEK (6.5)
    seek, ksek_tables = {}, []
    for tid in ids:
        own = [r for r in recs if r["track"] == tid]
        keys = [r for r in own if r["key"]]
        if len(keys) == len(own):  # all keyframes: thin the table
            thin = []
            for r in keys:
                if not thin or r["pts"] >= thin[-1]["pts"] + interval:
                    thin.append(r)
            keys = thin
        keys.sort(key=lambda r: (r["pts"], r["index"]))
        keys = hooks.get("seek", lambda tid, k: k)(tid, keys)
        seek[tid] = [[r["pts"], r["index"]] for r in keys]
        out = bytearray(varint(len(keys)))
        pp = pd = pi = po = 0
        for r in keys:
            out += svarint(r["pts"] - (pp + pd)) + svarint(r["index"] - pi)
            out += svarint(r["offset"] - po) + varint(len(r["stored"]))
            out += varint("IPB".index(r["kind"]) << 2 | r["codec"])
            if r["codec"]:
                out += varint(r["plain"])
            pd, pp, pi, po = r["pts"] - pp, r["pts"], r["index"], r["offset"]
        ksek_tables.append(bytes(out))
    ksek = struct.pack(">I", len(ids)) + b"".join(struct.pack(">I", len(t)) for t in ksek_tables)
    ksek += b"".join(ksek_tables)
    trks = struct.pack(">I", len(ids))
    for tid in ids:
        own = [r for r in recs if r["track"] == tid]
        raw = tid.encode()
        trks += struct.pack(">H", len(raw)) + raw + bytes((track_codecs.get(tid, 0), 0))
        trks += struct.pack(">QQ", len(own), sum(r["key"] for r in own))
    # META (8)
    meta = dict(meta or {})
    meta.update(domain="video-transport", tracks=ids)
    if version == 1:
        sm = struct.pack(">I", len(ids))
        for tid in ids:
            ks = sorted((r["pts"], r["index"]) for r in recs if r["track"] == tid and r["key"])
            sm += struct.pack(">H", len(tid.encode())) + tid.encode() + struct.pack(">I", len(ks))
            sm += b"".join(struct.pack(">QI", p % (1 << 64), i) for p, i in ks)  # H4-LEG-006
        meta["seekm_b64"] = base64.b64encode(sm).decode()
    tables = {"BIDX": b"".join(pages), "BHSH": bhsh, "KSEK": ksek, "TRKS": trks,
              "META": compact(meta)}
    if safe is not None:
        tables["SAFE"] = compact(safe)
    if encrypted:
        tables["LIVC"] = b"opaque cipher header"
    tdir = struct.pack(">II", P, len(pages))
    tdir += b"".join(struct.pack(">I", len(pg)) + sha(pg) for pg in pages)
    hp = [bhsh[i:i + 32 * H] for i in range(0, len(bhsh), 32 * H)]
    tdir += struct.pack(">II", H, len(hp)) + b"".join(sha(x) for x in hp)
    tables["TDIR"] = tdir
    tables = hooks.get("tables", lambda x: x)(tables)
    order = ["BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "LIVC", "META", "SAFE", "XTRA"]
    data = bytearray(b"H4MK" + struct.pack(">HH", version, reserved)) + body
    if version == 1:
        data += chunk("SEEK", b"\0\0\0\0")
    slots = {}
    for name in order:
        if name in tables:
            slots[name] = (len(data), 12 + len(tables[name]))
            data += chunk(name, tables[name])
    head = bytes(data[:8]) + struct.pack(">HHIQQ", 1, int(encrypted), len(ids), len(recs),
                                         len(groups))
    head = hooks.get("head", lambda x: x)(head)
    root = hashlib.sha256(b"H4MK-ROOT-1" + head)
    for name in ("TRKS", "KSEK", "TDIR", "META", "SAFE"):
        root.update(sha(tables[name]) if name in tables else bytes(32))
    data += chunk("VERI", veri(data, version))
    loca = bytearray(head)
    for name in ("BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "META", "SAFE", "LIVC"):
        loca += struct.pack(">QI", *slots.get(name, (0, 0)))
    loca += root.digest()
    loca = hooks.get("loca", lambda x: x)(loca)
    data += chunk("LOCA", bytes(loca))
    data = hooks.get("bytes", lambda x: x)(bytes(data))
    expected = {
        "version": version, "profile": f"v{version}", "encrypted": encrypted,
        "tracks": [{"track_id": tid, "codec": CODECS[track_codecs.get(tid, 0)],
                    "blocks": sum(r["track"] == tid for r in recs),
                    "keyframes": sum(r["track"] == tid and r["key"] for r in recs),
                    "seek_entries": len(seek[tid])} for tid in ids],
        "blocks": [{"index": r["index"], "track_id": r["track"], "pts_us": r["pts"],
                    "kind": r["kind"], "keyframe": r["key"], "codec": CODECS[r["codec"]],
                    "stored_length": len(r["stored"]), "plain_length": r["plain"],
                    "sha256": None if encrypted else sha(r["payload"]).hex()} for r in recs],
        "meta": meta, "safe": safe, "seek": seek,
    }
    return data, expected


# ---------------------------------------------------------------- sample content

def av_blocks(audio_start=-21333):
    """Video with B-frames (deflate by default), audio from negative pts, a control track."""
    out = []
    for i in range(12):
        kind = "I" if i % 6 == 0 else "PB"[i % 2]
        pts = i * 40000 + (40000 if kind == "B" else 0)
        codec = 0 if i == 7 else (2 if i == 8 else None)  # overrides of the track codec
        out.append(blk("vidéo", pts, kind, codec=codec, payload=bytes([i % 7]) * (300 + 17 * i)))
        out.append(blk("audio", audio_start + i * 21333, payload=bytes(range(i * 9))))
        if i % 4 == 0:
            out.append(blk("ctl", i * 40000, payload=json.dumps({"n": i}).encode()))
    out.append(blk("audio", 1_500_000, payload=b"late"))
    return out


def big_video():
    return [blk("v", i * 33333, "I" if i % 5 == 0 else "P", payload=os.urandom(30000))
            for i in range(12)]


def patch(data, off, new):
    return data[:off] + new + data[off + len(new):]


def refix_crc(data, off):
    ln = struct.unpack_from(">I", data, off + 4)[0]
    return patch(data, off + 8, struct.pack(">I", zlib.crc32(data[off + 12:off + 12 + ln])))


def find_chunk(data, tag, nth=0):
    off = 8
    while off + 12 <= len(data):
        t, ln = data[off:off + 4].decode(), struct.unpack_from(">I", data, off + 4)[0]
        if t == tag:
            if nth == 0:
                return off
            nth -= 1
        off += 12 + ln
    raise KeyError(tag)


def cases():
    """(name, bytes, expectation) where expectation is a dict (ok) or an error code."""
    m = {"title": "Ünïcode ✓", "n": [1, 2.5, 1e21, 1e-7, -0.0, 12345678901234567890]}
    tc = {"vidéo": 1}
    out = []

    def good(name, *a, **kw):
        data, exp = make(*a, **kw)
        out.append((name, data, exp))
        return data

    def bad(name, code, *a, **kw):
        out.append((name, make(*a, **kw)[0], code))

    v2 = good("v2-av", av_blocks(), 2, m, {"policy": "x"}, P=5, H=2, seg_min=600,
              track_codecs=tc)
    good("v1-av", av_blocks(), 1, m, None, P=7, H=3, track_codecs=tc)
    good("v2-encrypted", av_blocks(), 2, m, {}, encrypted=True, P=4, seg_min=500,
         track_codecs=tc)
    good("v1-encrypted", av_blocks(), 1, m, {}, encrypted=True, track_codecs=tc)
    good("v2-empty", [], 2, {}, None)
    good("v1-empty", [], 1, {}, None)
    good("v2-big-segments", big_video(), 2, {}, None, P=4096)
    good("v2-rle-only", [blk("a", i, payload=bytes([i]) * 512) for i in range(5)], 2,
         {}, None, track_codecs={"a": 2})
    good("v2-unknown-chunk", av_blocks(), 2, {}, None, track_codecs=tc,
         hooks={"tables": lambda t: dict(t, XTRA=b"future")})
    good("v2-ties", [blk("v", 0), blk("v", 0), blk("v", 30, "P"), blk("v", -5, "B"),
                     blk("v", 20), blk("n", 7, "P")], 2, {}, None, P=2)
    good("v1-ties", [blk("v", 0), blk("v", 0), blk("v", 30, "P"), blk("v", 5, "B"),
                     blk("v", 20), blk("n", 7, "P")], 1, {}, None)
    good("v2-page-per-block", av_blocks(), 2, {}, None, P=1, H=1, track_codecs=tc)

    # header and framing
    out.append(("short", b"H4MK\0", "H4_TRUNCATED"))
    out.append(("bad-magic", b"H4MX" + v2[4:], "H4_BAD_MAGIC"))
    out.append(("version-3", patch(v2, 4, b"\0\3"), "H4_UNSUPPORTED_VERSION"))
    good("reserved-ignored", [blk("a", 0)], 2, {}, None, reserved=0x1234)
    out.append(("reserved-differs-from-copy", patch(v2, 6, b"\x12\x34"), "H4_BAD_LOCATOR"))
    out.append(("v2-cut", v2[:-1], "H4_BAD_LOCATOR"))
    out.append(("v2-tail-garbage", v2 + b"\0" * 5, "H4_BAD_LOCATOR"))
    out.append(("segm-crc", patch(v2, 25, bytes([v2[25] ^ 1])), "H4_CRC_MISMATCH"))
    out.append(("segm-hash", refix_crc(patch(v2, 25, bytes([v2[25] ^ 1])), 8),
                "H4_BLOCK_HASH_MISMATCH"))
    o = find_chunk(v2, "KSEK")
    out.append(("bad-tag", patch(v2, o, b"KS\x01K"), "H4_BAD_CHUNK"))
    out.append(("overrun", patch(v2, o + 4, struct.pack(">I", 10**6)), "H4_CHUNK_OVERRUN"))
    # locator
    lo = len(v2) - 160
    out.append(("loca-crc", patch(v2, lo + 8, b"\0\2"), "H4_CRC_MISMATCH"))
    out.append(("loca-length", patch(v2, lo - 8, struct.pack(">I", 152)), "H4_BAD_LOCATOR"))
    out.append(("loca-copy", refix_crc(patch(v2, lo + 4, b"\0\1"), lo - 12), "H4_BAD_LOCATOR"))
    out.append(("loca-version", refix_crc(patch(v2, lo + 8, b"\0\2"), lo - 12),
                "H4_BAD_LOCATOR"))
    out.append(("loca-flags", refix_crc(patch(v2, lo + 10, b"\0\2"), lo - 12),
                "H4_BAD_LOCATOR"))
    out.append(("loca-slot-wrong", refix_crc(patch(v2, lo + 32, struct.pack(">Q", o)), lo - 12),
                "H4_BAD_LOCATOR"))
    out.append(("loca-slot-in-storage", refix_crc(patch(v2, lo + 32, struct.pack(">Q", 8)),
                                                  lo - 12), "H4_BAD_LOCATOR"))
    out.append(("root", refix_crc(patch(v2, lo + 138, b"\xff"), lo - 12), "H4_DIGEST_MISMATCH"))
    vo = find_chunk(v2, "VERI")
    out.append(("veri", refix_crc(patch(v2, vo + 12, b"\0\0"), vo), "H4_VERI_MISMATCH"))
    bad("no-meta-slot", "H4_MISSING_CHUNK", av_blocks(), 2, {}, None, track_codecs=tc,
        hooks={"loca": lambda l: l[:32 + 60] + bytes(12) + l[32 + 72:]})
    bad("encrypted-block-short", "H4_CIPHER_AUTH_FAILED", [blk("a", 0, payload=b"x")], 2, {},
        None, encrypted=True, hooks={"recs": lambda r: [dict(r[0], stored=b"short")]})
    bad("livc-without-flag", "H4_MISSING_CHUNK", av_blocks(), 2, {}, None, track_codecs=tc,
        hooks={"tables": lambda t: dict(t, LIVC=b"x")})
    # tables
    bad("trks-unsorted", "H4_BAD_TRACKS", [blk("a", 0), blk("b", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, TRKS=t["TRKS"].replace(b"\0\1a", b"\0\1c"))})
    bad("trks-utf8", "H4_BAD_UTF8", [blk("a", 0), blk("b", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, TRKS=t["TRKS"].replace(b"\0\1b", b"\0\1\xff"))})
    bad("trks-leftover", "H4_BAD_TRACKS", [blk("a", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, TRKS=t["TRKS"] + b"\0")})
    bad("trks-count", "H4_INDEX_MISMATCH", [blk("a", 0), blk("a", 1, "P")], 2, {}, None,
        hooks={"tables": lambda t: dict(t, TRKS=t["TRKS"][:-9] + b"\3" + t["TRKS"][-8:])})
    bad("bidx-nonminimal", "H4_BAD_VARINT", [blk("a", 0)], 2, {}, None,
        hooks={"pages": lambda p: [b"\x94\x00" + p[0][1:]]})
    bad("bidx-unsafe-varint", "H4_BAD_VARINT", [blk("a", 0)], 2, {}, None,
        hooks={"pages": lambda p: [b"\x80" * 7 + b"\x10" + p[0][1:]]})
    bad("loca-track-count", "H4_INDEX_MISMATCH", [blk("a", 0)], 2, {}, None,
        hooks={"head": lambda h: h[:12] + struct.pack(">I", 2) + h[16:]})
    bad("loca-block-count", "H4_INDEX_MISMATCH", [blk("a", 0), blk("a", 1)], 2, {}, None,
        P=4, hooks={"head": lambda h: h[:16] + struct.pack(">Q", 3) + h[24:]})
    bad("tdir-per-page-limit", "H4_LIMIT_EXCEEDED", [blk("a", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, TDIR=struct.pack(">I", 65537) + t["TDIR"][4:])})
    bad("meta-surrogate", "H4_BAD_UTF8", [blk("a", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, META=b'{"a":"\xed\xa0\x80"}')})
    good("meta-escaped-surrogate", [blk("a", 0)], 2, {"s": "\ud800x"}, None)
    bad("pts-above-2-50", "H4_LIMIT_EXCEEDED", [blk("a", 2**50 + 1)], 2, {}, None)
    good("pts-at-2-50", [blk("a", 2**50), blk("a", -2**50), blk("b", -2**50)], 2, {}, None)
    bad("bidx-varint-past-end", "H4_BAD_VARINT", [blk("a", 0)], 2, {}, None,
        hooks={"pages": lambda p: [p[0][:-1] + b"\x80"]})
    bad("ksek-outside-storage", "H4_INDEX_OUT_OF_FILE", [blk("a", 0, payload=b"xy")], 2, {},
        None, hooks={"tables": lambda t: dict(t, KSEK=t["KSEK"][:-3] + b"\x64" + t["KSEK"][-2:])})
    bad("bidx-kind3", "H4_BAD_INDEX", [blk("a", 0)], 2, {}, None,
        hooks={"pages": lambda p: [p[0][:2] + bytes((p[0][2] | 0x0C,)) + p[0][3:]]})
    bad("bidx-leftover", "H4_BAD_INDEX", [blk("a", 0)], 2, {}, None,
        hooks={"pages": lambda p: [p[0] + b"\0"]})
    bad("bidx-first-offset", "H4_BAD_INDEX", [blk("a", 0), blk("a", 1)], 2, {}, None, P=1,
        hooks={"pages": lambda p: [p[0], b"\x22" + p[1][1:]]})
    bad("bidx-unknown-codec", "H4_UNKNOWN_CODEC", [blk("a", 0, payload=b"x")], 2, {}, None,
        hooks={"pages": lambda p: [p[0][:2] + b"\x13\x07" + p[0][3:]]})
    bad("bidx-same-codec", "H4_BAD_INDEX", [blk("a", 0, payload=b"x")], 2, {}, None,
        hooks={"pages": lambda p: [p[0][:2] + b"\x13\x00" + p[0][3:]]})
    bad("bidx-out-of-file", "H4_INDEX_OUT_OF_FILE", [blk("a", 0, payload=b"xy")], 2, {}, None,
        hooks={"pages": lambda p: [p[0][:-1] + b"\x03"]})
    bad("bidx-page-digest", "H4_DIGEST_MISMATCH", av_blocks(), 2, {}, None, P=5,
        track_codecs=tc, hooks={"tables": lambda t: dict(t, TDIR=t["TDIR"][:20] + b"\0"
                                                         + t["TDIR"][21:])})
    bad("tdir-count", "H4_BAD_INDEX", av_blocks(), 2, {}, None, P=5, track_codecs=tc,
        hooks={"tables": lambda t: dict(t, TDIR=t["TDIR"][:7] + b"\1" + t["TDIR"][8:])})
    bad("bhsh-short", "H4_BAD_INDEX", av_blocks(), 2, {}, None, track_codecs=tc,
        hooks={"tables": lambda t: dict(t, BHSH=t["BHSH"][:-1])})
    bad("ksek-missing-keyframe", "H4_BAD_SEEK_TABLE", av_blocks(), 2, {}, None,
        track_codecs=tc, hooks={"seek": lambda tid, k: k[1:] if tid == "vidéo" else k})
    bad("meta-array", "H4_BAD_JSON", [blk("a", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, META=b"[1]")})
    bad("meta-deep", "H4_BAD_JSON", [blk("a", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, META=b'{"a":' + b"[" * 64 + b"]" * 64 + b"}")})
    good("meta-depth-64", [blk("a", 0)], 2, {"a": json.loads("[" * 63 + "]" * 63)}, None)
    bad("meta-utf8", "H4_BAD_UTF8", [blk("a", 0)], 2, {}, None,
        hooks={"tables": lambda t: dict(t, META=b'{"a":"\xc0\xaf"}')})
    bad("safe-nan", "H4_BAD_JSON", [blk("a", 0)], 2, {}, {},
        hooks={"tables": lambda t: dict(t, SAFE=b'{"a":NaN}')})
    # storage and codecs
    bad("core-in-v2", "H4_INDEX_MISMATCH", [blk("a", 0, payload=b"xy")], 2, {}, None,
        hooks={"bytes": lambda d: d[:8] + b"CORE" + d[12:]})
    bad("deflate-bad", "H4_CODEC_ERROR", [blk("a", 0, codec=1, payload=b"hello" * 9)], 2,
        {}, None, hooks={"recs": lambda r: [dict(r[0], stored=r[0]["stored"][:-1] + b"\0")]})
    bad("deflate-trailing", "H4_CODEC_ERROR", [blk("a", 0, codec=1, payload=b"hi" * 9)], 2,
        {}, None, hooks={"recs": lambda r: [dict(r[0], stored=r[0]["stored"] + b"\0")]})
    bad("deflate-length", "H4_CODEC_ERROR", [blk("a", 0, codec=1, payload=b"hi" * 9)], 2,
        {}, None, hooks={"recs": lambda r: [dict(r[0], plain=17)]})
    bad("rle-zero-run", "H4_CODEC_ERROR", [blk("a", 0, codec=2, payload=b"aaab")], 2,
        {}, None, hooks={"recs": lambda r: [dict(r[0], stored=b"a\3b\0")]})
    bad("rle-long", "H4_CODEC_ERROR", [blk("a", 0, codec=2, payload=b"aaab")], 2,
        {}, None, hooks={"recs": lambda r: [dict(r[0], stored=b"a\3b\2")]})
    bad("v1-seekm-unsafe-pts", "H4_BAD_SEEK_TABLE", [blk("a", 0)], 1, {}, None,
        hooks={"tables": lambda t: dict(t, META=compact({"seekm_b64": base64.b64encode(
            struct.pack(">IH", 1, 1) + b"a" + struct.pack(">IQI", 1, 1 << 60, 0)).decode()}))})
    bad("v1-seekm-wrong", "H4_BAD_SEEK_TABLE", [blk("a", 0), blk("a", 5)], 1, {}, None,
        hooks={"tables": lambda t: dict(t, META=json.dumps({"seekm_b64": base64.b64encode(
            struct.pack(">IH", 1, 1) + b"a" + struct.pack(">IQI", 1, 0, 0)).decode()}).encode())})
    out += legacy_cases()
    return out


def veri(data, version):
    """VERI of section 9: v1 hashes bytes 8.., v2 replaces each storage payload by its hash."""
    if version == 1:
        return sha(bytes(data[8:]))
    h, off = hashlib.sha256(b"H4MK-VERI-2" + bytes(data[:8])), 8
    while off + 12 <= len(data):
        tag, n = bytes(data[off:off + 4]), struct.unpack_from(">I", data, off + 4)[0]
        payload = bytes(data[off + 12:off + 12 + n])
        h.update(bytes(data[off:off + 12]))
        h.update(sha(payload) if tag in (b"CORE", b"SEGM") else payload)
        off += 12 + n
    h.update(bytes(data[off:]))
    return h.digest()


def legacy_cases():
    src = os.path.join(LEGACY_DIR, "single-track.h4mk")
    if not os.path.exists(src):
        return []
    data = open(src, "rb").read()
    mo = find_chunk(data, "META")
    meta = json.loads(data[mo + 12:mo + 12 + struct.unpack_from(">I", data, mo + 4)[0]])

    def with_meta(m):
        body = data[8:mo] + chunk("META", json.dumps(m, separators=(",", ":")).encode())
        rest = data[mo + 12 + struct.unpack_from(">I", data, mo + 4)[0]:]
        body += rest[:rest.index(b"VERI")]
        body = data[:8] + body
        return body + chunk("VERI", sha(body[8:]))

    out = [("legacy-trailing", data + b"\0" * 5, "H4_TRUNCATED"),
           ("legacy-no-trak", with_meta({k: v for k, v in meta.items() if k != "trak_b64"}),
            "H4_LEGACY_NO_INDEX"),
           ("legacy-veri", data[:-1] + bytes((data[-1] ^ 1,)), "H4_CRC_MISMATCH")]
    sm = base64.b64decode(meta["seekm_b64"])
    bad_sm = sm[:-4] + struct.pack(">I", 1)  # last entry names block 1 (a B-frame)
    out.append(("legacy-seekm-nonkey", with_meta(dict(meta, seekm_b64=base64.b64encode(
        bad_sm).decode())), "H4_BAD_SEEK_TABLE"))
    out.append(("legacy-encrypted", with_meta(dict(meta, encryption={"suite": "v3"})),
                "ENCRYPTED"))
    return out


def as_doubles(v):
    """Numbers as a JavaScript reader holds them (IEEE doubles), for comparison."""
    if isinstance(v, dict):
        return {k: as_doubles(x) for k, x in v.items()}
    if isinstance(v, list):
        return [as_doubles(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v


def seek_answer(table, t):
    """Section 10, brute force: greatest pts <= t (smallest index among equals), else first."""
    if not table:
        return "H4_UNKNOWN_TRACK"
    le = [e for e in table if e[0] <= t]
    if le:
        p = max(e[0] for e in le)
        return [p, min(e[1] for e in le if e[0] == p), True]
    p = min(e[0] for e in table)
    return [p, min(e[1] for e in table if e[0] == p), False]


def check_seeks(outdir, expected):
    files = {n: e["ok"] for n, e in expected.items() if "ok" in e and e["ok"]["blocks"]}
    for legacy in ("single-track", "two-tracks", "unicode-ids"):
        src = os.path.join(LEGACY_DIR, f"{legacy}.h4mk")
        if os.path.exists(src):
            r = subprocess.run([sys.executable, READER, "read", src], capture_output=True)
            files[src] = json.loads(r.stdout)
    failures = runs = 0
    for name, doc in files.items():
        path = name if name.startswith("/") else os.path.join(outdir, name)
        pts = sorted({b["pts_us"] for b in doc["blocks"]})
        times = sorted({pts[0] - 1, pts[-1] + 10**9} | set(pts) | {p + 1 for p in pts[::3]})
        full = h4mk_read.read_file(path)
        for tid in list(doc["seek"]) + ["no-such-track"]:
            for t in times:
                try:
                    a = h4mk_read.seek(full, tid, t)
                    got = [a["keyframe_pts_us"], a["core_index"], a["found"]]
                except h4mk_read.H4Error as e:
                    got = e.code
                want = seek_answer(doc["seek"].get(tid, []), t)
                runs += 1
                if got != want:
                    failures += 1
                    print(f"FAIL seek {name} {tid} {t}: want {want}, got {got}")
    print(f"seek: {runs - failures}/{runs} answers as section 10")
    return failures


def main():
    if len(sys.argv) > 1:
        return run(sys.argv[1], keep=True)
    with tempfile.TemporaryDirectory(prefix="h4mk-samples-") as tmp:
        return run(tmp, keep=False)


def run(outdir, keep):
    os.makedirs(outdir, exist_ok=True)
    expected, failures = {}, 0
    for name, data, exp in cases():
        path = os.path.join(outdir, name + ".h4mk")
        with open(path, "wb") as f:
            f.write(data)
        r = subprocess.run([sys.executable, READER, "read", path], capture_output=True)
        got_err = r.stderr.decode().split(" ")[1] if r.returncode == 1 else None
        if exp == "ENCRYPTED":
            doc = json.loads(r.stdout) if r.returncode == 0 else {}
            ok = doc.get("encrypted") is True and all(b["sha256"] is None for b in doc["blocks"])
            expected[name + ".h4mk"] = {"encrypted": True}
        elif isinstance(exp, str):
            ok = got_err == exp
            expected[name + ".h4mk"] = {"error": exp}
        else:
            # compare after one JSON round trip so numbers read the way a JS reader keeps them
            want = json.loads(json.dumps(exp))
            ok = r.returncode == 0 and as_doubles(json.loads(r.stdout)) == as_doubles(want)
            expected[name + ".h4mk"] = {"ok": want}
        failures += not ok
        print(("ok  " if ok else "FAIL") + f" {name}: want {exp if isinstance(exp, str) else 'read'}"
              + ("" if ok else f"; got rc={r.returncode} {r.stderr.decode().strip()[:200]}"))
    failures += check_seeks(outdir, expected)
    if keep:
        # lone surrogates (meta-escaped-surrogate) are written as \\u escapes
        with open(os.path.join(outdir, "expected.json"), "w", encoding="utf-8",
                  errors="backslashreplace") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1)
    print(f"{len(expected) - failures}/{len(expected)} passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
