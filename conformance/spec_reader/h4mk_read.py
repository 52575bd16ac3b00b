#!/usr/bin/env python3
"""Independent H4MK reader written from SPEC.md alone (stdlib only).

    h4mk_read.py read FILE             -> canonical JSON on stdout, exit 0
    h4mk_read.py seek FILE TRACK PTS   -> seek answer JSON on stdout, exit 0
On an invalid file: "ERROR <CODE> <message>" on stderr, exit 1. Usage errors exit 2.

Every `read` is a full verification (SPEC.md section 9). Section 12 (cipher) is not
implemented: encrypted blocks are reported with sha256 null. Choices made where SPEC.md is
unclear are listed in README.md ("A<n>" in comments below refers to that list).
"""
import base64
import hashlib
import json
import struct
import sys
import zlib

MAX_SAFE = 2**53 - 1
MAX_PTS = 2**50 - 1  # section 5 / 13: pts_us in -(2^50 - 1) .. 2^50 - 1 (legacy: any safe integer)
CODECS = {0: "none", 1: "deflate", 2: "rle"}
KINDS = "IPB"
STORAGE_TAGS = ("CORE", "SEGM")
SLOTS = ("BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "META", "SAFE", "LIVC")
LOCA_SIZE = 172  # 12-byte header + 160-byte payload
MIB = 1 << 20
LIM_TRACKS, LIM_BLOCKS, LIM_BLOCK_LEN = 65535, 2**32 - 1, 1 << 30
LIM_SEGM, LIM_JSON, LIM_DEPTH, LIM_PAGE, LIM_PER_PAGE = 16 * MIB, 16 * MIB, 64, MIB, 65536
CIPHER_TAG = 16  # section 6.2: every LivingCipher suite adds a 16-byte tag


class H4Error(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = "H4_" + code


def fail(code, msg):
    raise H4Error(code, msg)


def sha(b):
    return hashlib.sha256(b).digest()


# ---------------------------------------------------------------- primitives (section 1)

class Cursor:
    """Bounded reader over one table; running out of bytes fails with the table's code."""

    def __init__(self, buf, code, what):
        self.buf, self.pos, self.code, self.what = buf, 0, code, what

    def left(self):
        return len(self.buf) - self.pos

    def take(self, n):
        if n > self.left():
            fail(self.code, f"{self.what}: ends early (need {n} bytes at {self.pos})")
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return bytes(b)

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        v = struct.unpack(">Q", self.take(8))[0]
        if v > MAX_SAFE:  # H4-ENC-004 (no code named: A5)
            fail("LIMIT_EXCEEDED", f"{self.what}: u64 {v} above 2^53-1")
        return v

    def varint(self):  # H4-ENC-001
        value, shift = 0, 0
        for i in range(8):  # longer than 8 bytes is rejected (H4-ENC-001)
            if self.pos >= len(self.buf):  # runs past the end of its table: BAD_VARINT too
                fail("BAD_VARINT", f"{self.what}: varint runs past the end")
            b = self.buf[self.pos]
            self.pos += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if value > MAX_SAFE:
                fail("BAD_VARINT", f"{self.what}: varint above 2^53-1")
            if not b & 0x80:
                if b == 0 and i > 0:
                    fail("BAD_VARINT", f"{self.what}: non-minimal varint")
                return value
        fail("BAD_VARINT", f"{self.what}: varint longer than 8 bytes")

    def svarint(self):  # H4-ENC-003 (always safe given H4-ENC-001: A4)
        z = self.varint()
        return z >> 1 if z % 2 == 0 else -((z + 1) >> 1)

    def done(self):
        if self.left():
            fail(self.code, f"{self.what}: {self.left()} bytes left over")


def utf8(b, code, what):
    try:
        return bytes(b).decode("utf-8")  # strict: rejects overlongs and surrogates
    except UnicodeDecodeError as e:
        fail(code, f"{what}: invalid UTF-8 ({e.reason})")


def check_pts(v, what, limit=MAX_PTS):  # H4-LIM-001
    if not -limit <= v <= limit:
        fail("LIMIT_EXCEEDED", f"{what}: pts {v} outside -{limit}..{limit}")
    return v


# ---------------------------------------------------------------- JSON (section 8)

def json_depth(text):
    depth = top = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            top = max(top, depth)
        elif ch in "]}":
            depth -= 1
    return top


def parse_json_object(payload, what):  # H4-MET-001
    if len(payload) > LIM_JSON:
        fail("LIMIT_EXCEEDED", f"{what}: {len(payload)} bytes")
    text = utf8(payload, "BAD_UTF8", what)
    if json_depth(text) > LIM_DEPTH:  # checked before parsing (A14)
        fail("BAD_JSON", f"{what}: nested deeper than {LIM_DEPTH}")

    def no_constant(name):
        raise ValueError(f"{name} is not JSON")

    try:
        value = json.loads(text, parse_constant=no_constant)
    except (ValueError, RecursionError) as e:
        fail("BAD_JSON", f"{what}: {e}")
    if not isinstance(value, dict):
        fail("BAD_JSON", f"{what}: not an object")
    return value


# ---------------------------------------------------------------- chunks (section 3)

class Chunk:
    def __init__(self, data, tag, off, length):
        self.tag, self.off, self.length = tag, off, length
        self.start, self.end = off + 12, off + 12 + length
        self.payload = data[self.start:self.end]


def walk_chunks(data):
    chunks, off = [], 8
    while off < len(data):
        if len(data) - off < 12:  # H4-FMT-012
            fail("TRUNCATED", f"{len(data) - off} trailing bytes at {off}")
        raw_tag, length, crc = struct.unpack_from(">4sII", data, off)
        if any(not 0x20 <= c <= 0x7E for c in raw_tag):  # H4-FMT-014
            fail("BAD_CHUNK", f"bad tag bytes {raw_tag!r} at {off}")
        if length > len(data) - off - 12:  # H4-FMT-010, before touching the payload
            fail("CHUNK_OVERRUN", f"chunk {raw_tag.decode()} at {off}: length {length}")
        ch = Chunk(data, raw_tag.decode("ascii"), off, length)
        if zlib.crc32(ch.payload) != crc:  # H4-FMT-011
            fail("CRC_MISMATCH", f"chunk {ch.tag} at {off}")
        chunks.append(ch)
        off = ch.end
    return chunks


def veri_digest(data, version, chunks, end):  # section 9
    """VERI over the chunks before offset `end`. Version 1: SHA-256 of bytes 8..end. Version 2
    (H4-INT-005): SHA-256 of "H4MK-VERI-2", the header, and every chunk before VERI, its header
    as is and its payload as is, or, for a storage chunk, the SHA-256 of its payload."""
    if version == 1:
        return sha(data[8:end])
    h = hashlib.sha256(b"H4MK-VERI-2" + bytes(data[:8]))
    for ch in chunks:
        if ch.off >= end:
            break
        h.update(data[ch.off:ch.start])
        h.update(sha(ch.payload) if ch.tag in STORAGE_TAGS else ch.payload)
    return h.digest()


def check_veri(data, version, chunks, veri):  # H4-INT-002
    if veri.length != 32:
        fail("BAD_CHUNK", f"VERI payload is {veri.length} bytes, not 32")
    if veri_digest(data, version, chunks, veri.off) != bytes(veri.payload):
        fail("VERI_MISMATCH", "VERI does not match the chunks before it")


# ---------------------------------------------------------------- signatures (section 18)

# Ed25519 verification as RFC 8032 section 5.1.7 gives it: slow, but short and independent.
_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_I = pow(2, (_P - 1) // 4, _P)
_G_Y = 4 * pow(5, _P - 2, _P) % _P


def _recover_x(y, sign):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _I % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    A, B = (y1 - x1) * (y2 - x2) % _P, (y1 + x1) * (y2 + x2) % _P
    C, Dd = 2 * t1 * t2 * _D % _P, 2 * z1 * z2 % _P
    E, F, G, H = B - A, Dd - C, Dd + C, B + A
    return (E * F % _P, G * H % _P, F * G % _P, E * H % _P)


def _mul(k, pt):
    q = (0, 1, 1, 0)
    while k:
        if k & 1:
            q = _add(q, pt)
        pt = _add(pt, pt)
        k >>= 1
    return q


def _decode_point(b):
    y = int.from_bytes(b, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def ed25519_verify(public, msg, sig):
    a, r = _decode_point(public), _decode_point(sig[:32])
    s = int.from_bytes(sig[32:], "little")
    if a is None or r is None or s >= _L:
        return False
    g = (_recover_x(_G_Y, 0), _G_Y, 1, _recover_x(_G_Y, 0) * _G_Y % _P)
    h = int.from_bytes(hashlib.sha512(sig[:32] + public + msg).digest(), "little") % _L
    return _equal(_mul(s, g), _add(r, _mul(h, a)))


def check_signatures(chunks, k, loca, table):
    """SIGN chunks: only between VERI (chunks[k]) and LOCA (H4-SIG-001), well formed and of
    distinct keys (H4-SIG-002), each verifying over the message of 18.2 (H4-SIG-003/004)."""
    for i, ch in enumerate(chunks):
        if ch.tag == "SIGN" and not k < i < len(chunks) - 1:
            fail("BAD_SIGNATURE", f"SIGN chunk at {ch.off} outside VERI..LOCA")
    livc = table.get("LIVC")
    msg = (b"H4MK-SIGN-1" + loca["payload"][:32] + loca["root"]
           + (sha(livc.payload) if livc is not None else bytes(32)))
    seen = set()
    for ch in chunks[k + 1:-1]:
        p = bytes(ch.payload)
        if len(p) != 100:
            fail("BAD_SIGNATURE", f"SIGN payload of {len(p)} bytes")
        version, alg = struct.unpack_from(">HH", p, 0)
        if version != 1 or alg != 1:
            fail("BAD_SIGNATURE", f"SIGN version {version}, algorithm {alg}")
        public, sig = p[4:36], p[36:100]
        if public in seen:
            fail("BAD_SIGNATURE", "two signatures by one key")
        seen.add(public)
        if not ed25519_verify(public, msg, sig):
            fail("BAD_SIGNATURE", f"signature at {ch.off} does not verify")


# ---------------------------------------------------------------- codecs (section 5)

def decode_block(codec, stored, plain_len, what):
    """Decode one block; plain_len None = unknown (legacy files carry no plain length)."""
    limit = LIM_BLOCK_LEN if plain_len is None else plain_len
    too_long = "LIMIT_EXCEEDED" if plain_len is None else "CODEC_ERROR"
    if codec == 0:
        out = bytes(stored)
    elif codec == 1:
        d = zlib.decompressobj()
        try:
            out = d.decompress(bytes(stored), limit + 1)  # stop once past the plain length
        except zlib.error as e:
            fail("CODEC_ERROR", f"{what}: bad zlib stream ({e})")
        if len(out) > limit:
            fail(too_long, f"{what}: inflates past {limit} bytes")
        if not d.eof or d.unused_data or d.unconsumed_tail:
            fail("CODEC_ERROR", f"{what}: truncated zlib stream or trailing bytes")
    elif codec == 2:
        if len(stored) % 2:
            fail("CODEC_ERROR", f"{what}: rle stream of odd length")
        out, n = bytearray(), 0
        for i in range(0, len(stored), 2):
            value, run = stored[i], stored[i + 1]
            if run == 0:
                fail("CODEC_ERROR", f"{what}: rle run of 0")
            n += run
            if n > limit:
                fail(too_long, f"{what}: rle output past {limit} bytes")
            out += bytes((value,)) * run
        out = bytes(out)
    else:
        fail("UNKNOWN_CODEC", f"{what}: codec id {codec}")
    if plain_len is not None and len(out) != plain_len:
        fail("CODEC_ERROR", f"{what}: decoded {len(out)} bytes, plain length {plain_len}")
    return out


def check_codec_id(c, what):  # H4-COD-001
    if c not in CODECS:
        fail("UNKNOWN_CODEC", f"{what}: codec id {c}")
    return c


# ---------------------------------------------------------------- LOCA (section 7)

def read_loca(data, version):
    """Return the parsed locator, or None for a legacy (original writer) version 1 file."""
    n = len(data)
    if n < 8 + LOCA_SIZE or data[n - LOCA_SIZE:n - LOCA_SIZE + 4] != b"LOCA":
        if version == 2:  # H4-LOC-001
            fail("BAD_LOCATOR", f"version 2 file without LOCA in its last {LOCA_SIZE} bytes")
        return None
    off = n - LOCA_SIZE
    length, crc = struct.unpack_from(">II", data, off + 4)
    p = data[off + 12:]
    if length != LOCA_SIZE - 12:  # H4-LOC-002 (A1: BAD_LOCATOR rather than BAD_CHUNK)
        fail("BAD_LOCATOR", f"LOCA payload length {length}")
    if zlib.crc32(p) != crc:
        fail("CRC_MISMATCH", "LOCA CRC mismatch")
    # The copy is checked like the header (H4-FMT-001/002 with their codes), then byte for byte,
    # reserved included (H4-LOC-002).
    if p[:4] != b"H4MK":
        fail("BAD_MAGIC", f"LOCA header copy has magic {p[:4]!r}")
    if int.from_bytes(p[4:6], "big") not in (1, 2):
        fail("UNSUPPORTED_VERSION", f"LOCA header copy has version {int.from_bytes(p[4:6], 'big')}")
    if p[:8] != data[:8]:
        fail("BAD_LOCATOR", "LOCA header copy differs from the file header")
    lv, flags, track_count, blocks, chunks = struct.unpack_from(">HHIQQ", p, 8)
    if lv != 1:
        fail("BAD_LOCATOR", f"locator_version {lv}")
    if flags & ~1:
        fail("BAD_LOCATOR", f"unknown LOCA flag bits {flags:#x}")
    if blocks > MAX_SAFE or chunks > MAX_SAFE:
        fail("LIMIT_EXCEEDED", "LOCA count above 2^53-1")
    if track_count > LIM_TRACKS:
        fail("LIMIT_EXCEEDED", f"{track_count} tracks")
    if blocks > LIM_BLOCKS:
        fail("LIMIT_EXCEEDED", f"{blocks} blocks")
    slots = {}
    for i, name in enumerate(SLOTS):
        o, ln = struct.unpack_from(">QI", p, 32 + 12 * i)
        if o == 0 and ln == 0:
            continue
        if o < 8 or o + ln > off:
            fail("BAD_LOCATOR", f"{name} slot points outside the file")
        slots[name] = (o, ln)
    return {"offset": off, "payload": bytes(p), "encrypted": bool(flags & 1),
            "track_count": track_count, "blocks": blocks, "chunks": chunks, "slots": slots,
            "root": bytes(p[128:160])}


def resolve_slots(loca, chunks):
    by_off = {c.off: c for c in chunks}
    storage_end = 8
    for c in chunks:  # the leading run of storage chunks (A16)
        if c.tag not in STORAGE_TAGS:
            break
        storage_end = c.end
    table = {}
    for name, (o, ln) in loca["slots"].items():
        if o < storage_end:
            fail("BAD_LOCATOR", f"{name} slot points before the end of the storage chunks")
        ch = by_off.get(o)  # a slot must name a chunk of the walk (A8)
        if ch is None or ch.tag != name:
            fail("BAD_LOCATOR", f"{name} slot does not point at a {name} chunk")
        if ln != ch.length + 12:
            fail("BAD_LOCATOR", f"{name} slot length {ln} != chunk length {ch.length + 12}")
        table[name] = ch
    for name in SLOTS[:6]:  # H4-LOC-003
        if name not in table:
            fail("MISSING_CHUNK", f"{name} is absent")
    if ("LIVC" in table) != loca["encrypted"]:
        fail("MISSING_CHUNK", "LIVC present/absent contrary to LOCA flag bit 0")  # A9
    return table


def check_root(loca, table):  # H4-INT-004
    h = hashlib.sha256(b"H4MK-ROOT-1" + loca["payload"][:32])
    for name in ("TRKS", "KSEK", "TDIR", "META", "SAFE"):
        h.update(sha(table[name].payload) if name in table else bytes(32))
    if h.digest() != loca["root"]:
        fail("DIGEST_MISMATCH", "root digest in LOCA does not match the tables")


# ---------------------------------------------------------------- tables (section 6)

def read_trks(payload, loca):  # 6.1
    c = Cursor(payload, "BAD_TRACKS", "TRKS")
    count = c.u32()
    if count > LIM_TRACKS:
        fail("LIMIT_EXCEEDED", f"TRKS: {count} tracks")
    if count * 21 > c.left():  # smallest entry: 2 + 1 + 1 + 1 + 8 + 8 bytes
        fail("BAD_TRACKS", f"TRKS: {count} tracks cannot fit")
    tracks, prev = [], None
    for _ in range(count):
        n = c.u16()
        if not 1 <= n <= 255:  # H4-TRK-001 (A6: BAD_TRACKS, not LIMIT_EXCEEDED of section 13)
            fail("BAD_TRACKS", f"TRKS: id length {n}")
        raw = c.take(n)
        tid = utf8(raw, "BAD_UTF8", "TRKS id")  # H4-TRK-001, H4-ENC-005
        if prev is not None and raw <= prev:
            fail("BAD_TRACKS", f"TRKS: id {tid!r} not strictly after the previous one")
        prev = raw
        codec = check_codec_id(c.u8(), f"TRKS track {tid!r}")  # A7
        c.u8()  # flags: readers ignore
        tracks.append({"id": tid, "codec": codec, "blocks": c.u64(), "keyframes": c.u64()})
    c.done()
    if count != loca["track_count"]:  # H4-LOC-004
        fail("INDEX_MISMATCH", f"TRKS has {count} tracks, LOCA {loca['track_count']}")
    return tracks


def ceil_div(a, b):
    return -(-a // b)


def read_tdir(payload, tdir_len_bidx, n_blocks, n_chunks):  # 6.3
    c = Cursor(payload, "BAD_INDEX", "TDIR")
    per_page = c.u32()
    if per_page > LIM_PER_PAGE:  # H4-TDR-001's code; section 13 defers to it
        fail("BAD_INDEX", f"TDIR: blocks_per_page {per_page}")
    if per_page == 0:
        fail("BAD_INDEX", "TDIR: blocks_per_page 0")  # A11
    count = c.u32()
    if count != ceil_div(n_blocks, per_page):
        fail("BAD_INDEX", f"TDIR: {count} BIDX pages for {n_blocks} blocks")  # A10
    if count * 36 > c.left():
        fail("BAD_INDEX", "TDIR: BIDX page list cannot fit")
    pages = [(c.u32(), c.take(32)) for _ in range(count)]
    hashes_per_page = c.u32()
    if hashes_per_page > LIM_PER_PAGE:
        fail("BAD_INDEX", f"TDIR: hashes_per_page {hashes_per_page}")
    if hashes_per_page == 0:
        fail("BAD_INDEX", "TDIR: hashes_per_page 0")
    hcount = c.u32()
    if hcount != ceil_div(n_chunks, hashes_per_page):
        fail("BAD_INDEX", f"TDIR: {hcount} BHSH pages for {n_chunks} chunks")  # A10
    if hcount * 32 > c.left():
        fail("BAD_INDEX", "TDIR: BHSH page list cannot fit")
    hpages = [c.take(32) for _ in range(hcount)]
    c.done()
    for length, _ in pages:
        if length > LIM_PAGE:
            fail("LIMIT_EXCEEDED", f"BIDX page of {length} bytes")
    if sum(length for length, _ in pages) != tdir_len_bidx:
        fail("BAD_INDEX", "TDIR page lengths do not add up to the BIDX length")
    return per_page, pages, hashes_per_page, hpages


def read_bhsh(payload, n_chunks, per_page, digests):  # 6.4
    if len(payload) != 32 * n_chunks:  # H4-BHS-001
        fail("BAD_INDEX", f"BHSH is {len(payload)} bytes for {n_chunks} chunks")
    size = 32 * per_page
    for p, digest in enumerate(digests):  # H4-TDR-002
        if sha(payload[p * size:(p + 1) * size]) != digest:
            fail("DIGEST_MISMATCH", f"BHSH page {p}")
    return [bytes(payload[32 * i:32 * i + 32]) for i in range(n_chunks)]


def read_bidx(payload, per_page, pages, n_blocks, tracks, encrypted, storage_end):  # 6.2
    blocks, pos, prev = [], 0, None
    for p, (length, digest) in enumerate(pages):
        page = payload[pos:pos + length]
        pos += length
        if sha(page) != digest:  # H4-TDR-002
            fail("DIGEST_MISMATCH", f"BIDX page {p}")
        count = min((p + 1) * per_page, n_blocks) - p * per_page
        prev = read_bidx_page(page, p, p * per_page, count, tracks, encrypted, prev, blocks)
    for b in blocks:  # H4-IDX-003
        if b["offset"] < 20 or b["offset"] + b["stored"] > storage_end:
            fail("INDEX_OUT_OF_FILE", f"block {b['index']} outside the storage region")
    return blocks


def read_bidx_page(page, p, first, count, tracks, encrypted, prev, blocks):
    c = Cursor(page, "BAD_INDEX", f"BIDX page {p}")
    first_offset, first_chunk = c.varint(), c.varint()
    last_pts, last_delta = {}, {}
    for i in range(first, first + count):
        head = c.varint()
        t, has_codec = head >> 5, (head >> 4) & 1
        kind, key, new = (head >> 2) & 3, (head >> 1) & 1, head & 1
        if t >= len(tracks):
            fail("BAD_INDEX", f"block {i}: track index {t} not in TRKS")
        if kind == 3:  # H4-IDX-001
            fail("BAD_INDEX", f"block {i}: kind 3")
        codec = tracks[t]["codec"]
        if has_codec:
            byte = check_codec_id(c.u8(), f"block {i}")
            if byte == codec:
                fail("BAD_INDEX", f"block {i}: codec byte equals the track's codec")
            codec = byte
        pts = check_pts(last_pts.get(t, 0) + last_delta.get(t, 0) + c.svarint(), f"block {i}")
        last_delta[t], last_pts[t] = pts - last_pts.get(t, 0), pts
        stored = c.varint()
        if encrypted and stored < CIPHER_TAG:  # H4-IDX-002: the index, key or not (A12)
            fail("BAD_INDEX", f"block {i}: encrypted block shorter than its tag")
        plain = c.varint() if codec != 0 else stored - (CIPHER_TAG if encrypted else 0)
        if stored > LIM_BLOCK_LEN or plain > LIM_BLOCK_LEN:
            fail("LIMIT_EXCEEDED", f"block {i}: length above 1 GiB")
        if prev is None:  # first record of the file (H4-IDX-005)
            offset, chunk = 20, 0
            if not new:
                fail("BAD_INDEX", "first block of the file without new_chunk")
        else:
            offset = prev["offset"] + prev["stored"] + (12 if new else 0)
            chunk = prev["chunk"] + new
        if i == first and (first_offset, first_chunk) != (offset, chunk):  # H4-IDX-005
            fail("BAD_INDEX", f"BIDX page {p}: first_offset/first_chunk disagree")
        prev = {"index": i, "track": t, "pts": pts, "kind": kind, "key": bool(key),
                "codec": codec, "stored": stored, "plain": plain, "offset": offset,
                "chunk": chunk, "new": new}
        blocks.append(prev)
    c.done()
    return prev


def read_ksek(payload, tracks, blocks, own, encrypted, storage_end):  # 6.5
    c = Cursor(payload, "BAD_SEEK_TABLE", "KSEK")
    count = c.u32()
    if count != len(tracks):
        fail("BAD_SEEK_TABLE", f"KSEK has {count} tracks, TRKS {len(tracks)}")
    if count * 4 > c.left():
        fail("BAD_SEEK_TABLE", "KSEK length list cannot fit")
    lengths = [c.u32() for _ in range(count)]
    if sum(lengths) != c.left():
        fail("BAD_SEEK_TABLE", "KSEK table lengths do not add up")
    tables = []
    for t, length in enumerate(lengths):
        table = read_ksek_table(Cursor(c.take(length), "BAD_SEEK_TABLE", f"KSEK table {t}"),
                                t, blocks, encrypted, storage_end)
        check_seek_coverage(table, own[t], tracks[t]["id"])
        tables.append([(e["pts"], e["index"]) for e in table])
    return tables


def read_ksek_table(c, t, blocks, encrypted, storage_end):
    n = c.varint()
    if n * 5 > c.left():  # smallest entry is 5 bytes
        fail("BAD_SEEK_TABLE", f"KSEK table {t}: {n} entries cannot fit")
    entries, pts, delta, index, offset = [], 0, 0, 0, 0
    for _ in range(n):
        new_pts = check_pts(pts + delta + c.svarint(), f"KSEK table {t}")
        pts, delta = new_pts, new_pts - pts
        index += c.svarint()
        offset += c.svarint()
        stored, info = c.varint(), c.varint()
        kind, codec = info >> 2, check_codec_id(info & 3, f"KSEK table {t}")
        if info >> 4:
            fail("BAD_SEEK_TABLE", f"KSEK table {t}: info {info} out of range")
        plain = c.varint() if codec else stored - (CIPHER_TAG if encrypted else 0)
        e = {"pts": pts, "index": index, "offset": offset, "stored": stored, "kind": kind,
             "codec": codec, "plain": plain}
        if offset < 20 or offset + stored > storage_end:  # H4-IDX-003
            fail("INDEX_OUT_OF_FILE", f"KSEK table {t}: entry outside the storage region")
        if not 0 <= index < len(blocks):  # H4-SEK-001
            fail("BAD_SEEK_TABLE", f"KSEK table {t}: block {index} does not exist")
        b = blocks[index]
        if b["track"] != t or not b["key"]:
            fail("BAD_SEEK_TABLE", f"KSEK table {t}: block {index} is not a keyframe of it")
        for k in ("pts", "offset", "stored", "kind", "codec", "plain"):
            if e[k] != b[k]:
                fail("BAD_SEEK_TABLE", f"KSEK table {t}: block {index} {k} differs from BIDX")
        if entries and (pts, index) <= (entries[-1]["pts"], entries[-1]["index"]):
            fail("BAD_SEEK_TABLE", f"KSEK table {t}: entries out of order")  # H4-SEK-002
        entries.append(e)
    c.done()
    return entries


def check_seek_coverage(table, own, tid):  # H4-SEK-003
    keys = [b["index"] for b in own if b["key"]]
    listed = {e["index"] for e in table}
    if keys and keys[0] not in listed:
        fail("BAD_SEEK_TABLE", f"track {tid!r}: first keyframe not listed")
    if len(keys) < len(own) and not listed.issuperset(keys):
        fail("BAD_SEEK_TABLE", f"track {tid!r}: a keyframe is missing from its seek table")


# ---------------------------------------------------------------- SEEKM (section 11)

def read_seekm(meta, blocks, legacy=False):
    """Per-track SEEKM lists {track_id: [(pts, core_index)]} from META.seekm_b64 (A18); without
    the key, every keyframe of trak_b64 in (pts, index) order (H4-LEG-003)."""
    if legacy and "seekm_b64" not in meta:
        tables = {}
        for i, b in enumerate(blocks):
            if b["key"]:
                tables.setdefault(b["track_id"], []).append((b["pts"], i))
        return {tid: sorted(es) for tid, es in tables.items()}
    raw = b64decode(meta.get("seekm_b64"), "BAD_SEEK_TABLE", "seekm_b64")
    c = Cursor(raw, "BAD_SEEK_TABLE", "SEEKM")
    count = c.u32()
    if count * 6 > c.left():
        fail("BAD_SEEK_TABLE", f"SEEKM: {count} tracks cannot fit")
    tables, prev = {}, None
    for _ in range(count):
        raw_id = c.take(c.u16())
        tid = utf8(raw_id, "BAD_SEEK_TABLE", "SEEKM id")
        if prev is not None and raw_id <= prev:  # A17
            fail("BAD_SEEK_TABLE", f"SEEKM: track {tid!r} out of order or repeated")
        prev = raw_id
        n = c.u32()
        if n * 12 > c.left():
            fail("BAD_SEEK_TABLE", f"SEEKM: {n} entries cannot fit")
        entries = []
        for _ in range(n):
            pts, index = struct.unpack(">QI", c.take(12))
            if pts >= 1 << 63:  # H4-LEG-006: two's complement (an exception to H4-ENC-004)
                pts -= 1 << 64
            if not -MAX_SAFE <= pts <= MAX_SAFE:  # H4-LEG-006 (A21)
                fail("BAD_SEEK_TABLE", f"SEEKM: pts {pts} is not a safe integer")
            if index >= len(blocks) or blocks[index]["track_id"] != tid \
                    or not blocks[index]["key"]:  # H4-LEG-003
                fail("BAD_SEEK_TABLE", f"SEEKM: {index} is not a keyframe of {tid!r}")
            if pts != blocks[index]["pts"]:  # A17
                fail("BAD_SEEK_TABLE", f"SEEKM: pts of block {index} differs from the index")
            if entries and (pts, index) <= entries[-1]:
                fail("BAD_SEEK_TABLE", f"SEEKM: entries of {tid!r} out of order")
            entries.append((pts, index))
        tables[tid] = entries
    c.done()
    return tables


def b64decode(value, code, what):
    if not isinstance(value, str):
        fail(code, f"{what} missing or not a string")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as e:
        fail(code, f"{what}: bad base64 ({e})")


# ---------------------------------------------------------------- files

def read_file(path):
    with open(path, "rb") as f:
        data = memoryview(f.read())
    if len(data) < 8:  # H4-FMT-001
        fail("TRUNCATED", f"file of {len(data)} bytes")
    if data[:4] != b"H4MK":
        fail("BAD_MAGIC", "not an H4MK file")
    version = struct.unpack_from(">H", data, 4)[0]  # reserved (offset 6) is ignored
    if version not in (1, 2):  # H4-FMT-002
        fail("UNSUPPORTED_VERSION", f"version {version}")
    loca = read_loca(data, version)
    if loca is None:
        return read_legacy(data)
    return read_indexed(data, version, loca)


def read_indexed(data, version, loca):
    chunks = walk_chunks(data)
    if chunks[-1].off != loca["offset"]:  # H4-FMT-022
        fail("BAD_LOCATOR", "LOCA is not the last chunk of the chunk sequence")
    k = len(chunks) - 2
    while k >= 0 and chunks[k].tag == "SIGN":  # section 18: signatures lie between VERI and LOCA
        k -= 1
    if k < 0 or chunks[k].tag != "VERI":  # H4-FMT-022 (A15)
        fail("MISSING_CHUNK", "VERI does not precede LOCA (with only SIGN chunks between)")
    if sum(ch.tag == "VERI" for ch in chunks) > 1:  # H4-FMT-022
        fail("VERI_MISMATCH", "a second VERI chunk; a file holds one")
    table = resolve_slots(loca, chunks)
    check_root(loca, table)
    n_blocks, n_chunks, encrypted = loca["blocks"], loca["chunks"], loca["encrypted"]

    tracks = read_trks(table["TRKS"].payload, loca)
    if sum(tr["blocks"] for tr in tracks) != n_blocks:  # H4-LOC-004, before decoding BIDX
        fail("INDEX_MISMATCH", "TRKS block counts do not add up to LOCA's")
    per_page, pages, h_per_page, hpages = read_tdir(
        table["TDIR"].payload, table["BIDX"].length, n_blocks, n_chunks)
    bhsh = read_bhsh(table["BHSH"].payload, n_chunks, h_per_page, hpages)
    storage_end = min(ch.off for ch in table.values())  # A16
    blocks = read_bidx(table["BIDX"].payload, per_page, pages, n_blocks, tracks, encrypted,
                       storage_end)
    own = [[] for _ in tracks]
    for b in blocks:
        own[b["track"]].append(b)
    for t, tr in enumerate(tracks):  # H4-TRK-002
        if (tr["blocks"], tr["keyframes"]) != (len(own[t]), sum(b["key"] for b in own[t])):
            fail("INDEX_MISMATCH", f"TRKS counts of {tr['id']!r} differ from BIDX")
    seek = read_ksek(table["KSEK"].payload, tracks, blocks, own, encrypted, storage_end)
    meta = parse_json_object(table["META"].payload, "META")
    safe = parse_json_object(table["SAFE"].payload, "SAFE") if "SAFE" in table else None

    check_storage(version, chunks, blocks, n_chunks, bhsh)
    out_blocks = []
    for b in blocks:
        stored = data[b["offset"]:b["offset"] + b["stored"]]
        digest = None
        if not encrypted:
            digest = sha(decode_block(b["codec"], stored, b["plain"], f"block {b['index']}"))
        b["track_id"] = tracks[b["track"]]["id"]
        out_blocks.append(block_json(b, digest))
    if version == 1:  # H4-LEG-004: seekm_b64 lists exactly the index's keyframes (A18)
        seekm = read_seekm(meta, blocks)
        for t, tr in enumerate(tracks):
            keys = sorted((b["pts"], b["index"]) for b in own[t] if b["key"])
            if seekm.get(tr["id"], []) != keys:
                fail("BAD_SEEK_TABLE", f"seekm_b64 of {tr['id']!r} differs from the index")
    check_veri(data, version, chunks, chunks[k])
    check_signatures(chunks, k, loca, table)
    return {
        "version": version, "profile": f"v{version}", "encrypted": encrypted,
        "tracks": [{"track_id": tr["id"], "codec": CODECS[tr["codec"]], "blocks": tr["blocks"],
                    "keyframes": tr["keyframes"], "seek_entries": len(seek[t])}
                   for t, tr in enumerate(tracks)],
        "blocks": out_blocks, "meta": meta, "safe": safe,
        "seek": {tr["id"]: [list(e) for e in seek[t]] for t, tr in enumerate(tracks)},
    }


def check_storage(version, chunks, blocks, n_chunks, bhsh):  # H4-FMT-020/021, IDX-004
    tag = "CORE" if version == 1 else "SEGM"
    storage = [ch for ch in chunks if ch.tag in STORAGE_TAGS]
    for ch in storage:
        if ch.tag != tag:
            fail("INDEX_MISMATCH", f"{ch.tag} chunk in a version {version} file")
    if chunks[:len(storage)] != storage:  # A15: storage chunks first, back to back
        fail("INDEX_MISMATCH", "storage chunks are not the first chunks of the file")
    if len(storage) != n_chunks:
        fail("INDEX_MISMATCH", f"{len(storage)} storage chunks, LOCA says {n_chunks}")
    index_chunks = blocks[-1]["chunk"] + 1 if blocks else 0
    if index_chunks != n_chunks:
        fail("INDEX_MISMATCH", f"index uses {index_chunks} storage chunks, LOCA {n_chunks}")
    if version == 1 and n_chunks != len(blocks):
        fail("INDEX_MISMATCH", "v1 file without exactly one CORE chunk per block")
    sums, counts = [0] * n_chunks, [0] * n_chunks
    for b in blocks:
        ch = storage[b["chunk"]]
        if b["new"] and b["offset"] != ch.start:
            fail("INDEX_MISMATCH", f"block {b['index']} is not preceded by a {tag} header")
        if not ch.start <= b["offset"] <= b["offset"] + b["stored"] <= ch.end:
            fail("INDEX_MISMATCH", f"block {b['index']} is not inside storage chunk {b['chunk']}")
        sums[b["chunk"]] += b["stored"]
        counts[b["chunk"]] += 1
    for c, ch in enumerate(storage):
        if sums[c] != ch.length:
            fail("INDEX_MISMATCH", f"storage chunk {c}: {ch.length} bytes, blocks {sums[c]}")
        if ch.length > LIM_SEGM and counts[c] > 1:
            fail("LIMIT_EXCEEDED", f"SEGM {c} of {ch.length} bytes holds several blocks")
        if sha(ch.payload) != bhsh[c]:  # H4-INT-003
            fail("BLOCK_HASH_MISMATCH", f"storage chunk {c} differs from BHSH")


def read_legacy(data):  # section 11
    chunks = walk_chunks(data)
    cores = []
    for ch in chunks:
        if ch.tag == "SEGM":
            fail("INDEX_MISMATCH", "SEGM chunk in a version 1 file")
        if ch.tag == "CORE":
            if ch.length > LIM_BLOCK_LEN:
                fail("LIMIT_EXCEEDED", f"CORE of {ch.length} bytes")
            cores.append(ch)
    if len(cores) > LIM_BLOCKS:
        fail("LIMIT_EXCEEDED", f"{len(cores)} blocks")
    # H4-LOC-001: a file holding chunks the original writer never wrote lost its locator
    for ch in chunks:
        if ch.tag in ("BIDX", "BHSH", "KSEK", "TDIR", "TRKS", "LIVC", "LOCA"):
            fail("BAD_LOCATOR", f"version 1 file with a {ch.tag} chunk but no LOCA at its end")
    first = {}
    for ch in chunks:
        first.setdefault(ch.tag, ch)  # A19: the first chunk of each tag counts, but META:
    first["META"] = next((ch for ch in reversed(chunks) if ch.tag == "META"), None)  # H4-LEG-001
    if first["META"] is None:
        del first["META"]
    if "META" not in first:  # H4-LEG-001
        fail("LEGACY_NO_INDEX", "legacy file without META")
    meta = parse_json_object(first["META"].payload, "META")
    safe = parse_json_object(first["SAFE"].payload, "SAFE") if "SAFE" in first else None
    if "trak_b64" not in meta:
        fail("LEGACY_NO_INDEX", "META has no trak_b64")
    trak = b64decode(meta["trak_b64"], "LEGACY_NO_INDEX", "trak_b64")
    try:
        trak = parse_json_object(trak, "TRAK").get("trak")
    except H4Error as e:  # A20
        fail("LEGACY_NO_INDEX", f"trak_b64: {e}")
    if not isinstance(trak, list):
        fail("LEGACY_NO_INDEX", "trak_b64 holds no trak list")
    if len(trak) != len(cores):
        fail("INDEX_MISMATCH", f"TRAK has {len(trak)} entries for {len(cores)} CORE chunks")
    encrypted = "encryption" in meta  # H4-LEG-005
    comp = meta.get("compression")
    codec = 2 if isinstance(comp, dict) and comp.get("engine") == "geometric-reference" else 0
    blocks = []
    for i, e in enumerate(trak):
        blocks.append(legacy_block(i, e, cores[i], codec, encrypted))
    seekm = read_seekm(meta, blocks, legacy=True)
    if "VERI" in first:
        check_veri(data, 1, chunks, first["VERI"])
    own = {}
    for b in blocks:
        own.setdefault(b["track_id"], []).append(b)
    ids = sorted(own, key=lambda s: s.encode())
    tracks = []
    for tid in ids:
        tracks.append({"track_id": tid, "codec": CODECS[codec], "blocks": len(own[tid]),
                       "keyframes": sum(b["key"] for b in own[tid]),
                       "seek_entries": len(seekm.get(tid, []))})
    return {
        "version": 1, "profile": "legacy", "encrypted": encrypted, "tracks": tracks,
        "blocks": [block_json(b, b.pop("digest")) for b in blocks], "meta": meta, "safe": safe,
        "seek": {tid: [list(e) for e in seekm.get(tid, [])] for tid in ids},
    }


def legacy_block(i, e, core, codec, encrypted):
    ok = isinstance(e, dict) and isinstance(e.get("track_id"), str) \
        and type(e.get("pts_us")) is int and e.get("kind") in ("I", "P", "B") \
        and type(e.get("keyframe")) is bool and type(e.get("core_index")) is int
    if not ok:
        fail("LEGACY_NO_INDEX", f"TRAK entry {i} malformed")  # A20
    if e["core_index"] != i:
        fail("INDEX_MISMATCH", f"TRAK entry {i} has core_index {e['core_index']}")
    try:
        raw_id = e["track_id"].encode("utf-8")
    except UnicodeEncodeError:
        fail("BAD_UTF8", f"TRAK entry {i}: track id is not valid UTF-8")
    if not 1 <= len(raw_id) <= 255:
        fail("LIMIT_EXCEEDED", f"TRAK entry {i}: track id of {len(raw_id)} bytes")
    pts = check_pts(e["pts_us"], f"block {i}", MAX_SAFE)
    b = {"index": i, "track_id": e["track_id"], "pts": pts,
         "kind": KINDS.index(e["kind"]), "key": e["keyframe"], "codec": codec,
         "stored": core.length, "plain": None, "digest": None}
    if not encrypted:  # legacy files carry no plain length: decoded length is reported
        payload = decode_block(codec, core.payload, None, f"block {i}")
        b["plain"], b["digest"] = len(payload), sha(payload)
    return b


def block_json(b, digest):
    return {"index": b["index"], "track_id": b["track_id"], "pts_us": b["pts"],
            "kind": KINDS[b["kind"]], "keyframe": b["key"], "codec": CODECS[b["codec"]],
            "stored_length": b["stored"], "plain_length": b["plain"],
            "sha256": digest.hex() if digest is not None else None}


# ---------------------------------------------------------------- seek (section 10)

def seek(doc, track, t):
    if track not in doc["seek"]:  # H4-SEEK-001
        fail("UNKNOWN_TRACK", f"no track {track!r}")
    table = doc["seek"][track]
    if not table:  # H4-SEEK-002
        fail("UNKNOWN_TRACK", f"track {track!r} has no keyframe")
    before = [e for e in table if e[0] <= t]  # H4-SEEK-003
    if before:
        best = min(before, key=lambda e: (-e[0], e[1]))
    else:
        best = min(table, key=lambda e: (e[0], e[1]))
    return {"track_id": track, "pts_us": t, "keyframe_pts_us": best[0],
            "core_index": best[1], "found": bool(before)}


# ---------------------------------------------------------------- canonical JSON output

def js_number(x):
    """Format a number as JavaScript's JSON.stringify does (numbers are IEEE doubles)."""
    if isinstance(x, int) and abs(x) <= MAX_SAFE + 1:
        return str(x)
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    if x == 0:
        return "0"
    mant, _, exp = repr(abs(x)).partition("e")
    ip, _, fp = mant.partition(".")
    allds = ip + fp
    digits = allds.lstrip("0")
    n = len(ip) + int(exp or 0) - (len(allds) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * -n + digits
    else:
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if n > 0 else "-") \
            + str(abs(n - 1))
    return ("-" if x < 0 else "") + s


def js_string(s):
    out = json.dumps(s, ensure_ascii=False)
    # lone surrogates (from \udXXX escapes in META) are written escaped, as JSON.stringify does
    return "".join(f"\\u{ord(ch):04x}" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in out)


def dump(v):
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, str):
        return js_string(v)
    if isinstance(v, list):
        return "[" + ",".join(dump(x) for x in v) + "]"
    return "{" + ",".join(js_string(k) + ":" + dump(x) for k, x in v.items()) + "}"


USAGE = "usage: h4mk_read.py read FILE | seek FILE TRACK PTS | serve"


def call(args):
    """One adapter-protocol call; returns (exit status, stdout bytes, stderr text)."""
    if "--key" in args:
        # Section 12 (LivingCipher) is not implemented: the protocol's answer for that is exit 3.
        return 3, b"", "UNSUPPORTED --key: this reader does not implement SPEC.md section 12\n"
    if len(args) < 2 or (args[0], len(args)) not in (("read", 2), ("seek", 4)):
        return 2, b"", USAGE + "\n"
    try:
        doc = read_file(args[1])
        if args[0] == "seek":
            try:
                t = int(args[3])
            except ValueError:
                return 2, b"", f"{USAGE}: PTS must be an integer\n"
            track = args[2].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            doc = seek(doc, track, t)
    except H4Error as e:
        return 1, b"", f"ERROR {e.code} {e}\n"
    except OSError as e:
        return 2, b"", f"cannot open {args[1]}: {e}\n"
    return 0, dump(doc).encode("utf-8") + b"\n", ""


def serve():
    """Many calls in one process (for test suites): each stdin line is a JSON array of
    arguments, answered by one stdout line {"code", "stdout", "stderr"}."""
    for line in sys.stdin:
        if not line.strip():
            continue
        code, out, err = call(json.loads(line))
        answer = {"code": code, "stdout": out.decode("utf-8"), "stderr": err}
        sys.stdout.write(json.dumps(answer, ensure_ascii=True) + "\n")
        sys.stdout.flush()
    return 0


def main(argv):
    if argv[1:] == ["serve"]:
        return serve()
    code, out, err = call(argv[1:])
    sys.stdout.buffer.write(out)
    sys.stderr.write(err)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
