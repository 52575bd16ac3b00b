#!/usr/bin/env python3
"""LivingCipher (SPEC.md section 12) and recipients (12.16) on top of h4mk_read.py, stdlib only.

    living_read.py read FILE --identity IDFILE   -> canonical JSON on stdout, exit 0
    living_read.py read FILE --key KEYFILE       -> the same with a root or epoch key file
On an invalid file: "ERROR <CODE> <message>" on stderr, exit 1. Usage errors exit 2.

Written from SPEC.md sections 12 and 12.16 (and RFC 7748, RFC 8439, RFC 5869), with its own
X25519 and ChaCha20-Poly1305, so it shares no primitive with the TypeScript implementation.
h4mk_read.py does the keyless full read first (CRCs, LOCA, root, tables, storage, VERI); this
file then opens the cipher: LIVC, the key (from RCPT with an identity), the key check, the seal,
every block's AEAD and the transcript. Blocks before the key's first epoch are refused
(H4_CIPHER_WRONG_EPOCH), as a strict reader that decrypts every block must.
"""
import base64
import hashlib
import hmac
import re
import struct
import sys
import zlib

import h4mk_read as base
from h4mk_read import H4Error, fail

# ---------------------------------------------------------------- RFC 5869 HKDF-SHA256


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand(prk, info, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:n]


# ---------------------------------------------------------------- RFC 7748 X25519

P25519 = 2**255 - 19


def x25519(k, u):
    k = bytearray(k)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    scalar = int.from_bytes(k, "little")
    x1 = int.from_bytes(u, "little") & ((1 << 255) - 1)
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in reversed(range(255)):
        bit = (scalar >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b = (x2 + z2) % P25519, (x2 - z2) % P25519
        aa, bb = a * a % P25519, b * b % P25519
        e = (aa - bb) % P25519
        c, d = (x3 + z3) % P25519, (x3 - z3) % P25519
        da, cb = d * a % P25519, c * b % P25519
        x3 = (da + cb) ** 2 % P25519
        z3 = x1 * (da - cb) ** 2 % P25519
        x2 = aa * bb % P25519
        z2 = e * (aa + 121665 * e) % P25519
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, P25519 - 2, P25519) % P25519).to_bytes(32, "little")


# ---------------------------------------------------------------- RFC 8439 ChaCha20-Poly1305

def _rotl(v, n):
    return ((v << n) & 0xFFFFFFFF) | (v >> (32 - n))


def chacha20_block(key, counter, nonce):
    s = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574, *struct.unpack("<8I", key), counter,
         *struct.unpack("<3I", nonce)]
    w = list(s)

    def qr(a, b, c, d):
        w[a] = (w[a] + w[b]) & 0xFFFFFFFF
        w[d] = _rotl(w[d] ^ w[a], 16)
        w[c] = (w[c] + w[d]) & 0xFFFFFFFF
        w[b] = _rotl(w[b] ^ w[c], 12)
        w[a] = (w[a] + w[b]) & 0xFFFFFFFF
        w[d] = _rotl(w[d] ^ w[a], 8)
        w[c] = (w[c] + w[d]) & 0xFFFFFFFF
        w[b] = _rotl(w[b] ^ w[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12), qr(1, 5, 9, 13), qr(2, 6, 10, 14), qr(3, 7, 11, 15)
        qr(0, 5, 10, 15), qr(1, 6, 11, 12), qr(2, 7, 8, 13), qr(3, 4, 9, 14)
    return struct.pack("<16I", *((w[i] + s[i]) & 0xFFFFFFFF for i in range(16)))


def chacha20_xor(key, counter, nonce, data):
    out = bytearray(len(data))
    for i in range(0, len(data), 64):
        ks = chacha20_block(key, counter + i // 64, nonce)
        for j, b in enumerate(data[i:i + 64]):
            out[i + j] = b ^ ks[j]
    return bytes(out)


def poly1305(key, msg):
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:], "little")
    acc, p = 0, (1 << 130) - 5
    for i in range(0, len(msg), 16):
        n = int.from_bytes(msg[i:i + 16] + b"\x01", "little")
        acc = (acc + n) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def aead_open(key, nonce, ad, sealed):
    """ChaCha20-Poly1305 decryption; None when the tag does not verify."""
    if len(sealed) < 16:
        return None
    ct, tag = bytes(sealed[:-16]), bytes(sealed[-16:])
    otk = chacha20_block(key, 0, nonce)[:32]
    pad = lambda b: b"\x00" * (-len(b) % 16)  # noqa: E731
    mac = poly1305(otk, ad + pad(ad) + ct + pad(ct) + struct.pack("<QQ", len(ad), len(ct)))
    if not hmac.compare_digest(mac, tag):
        return None
    return chacha20_xor(key, 1, nonce, ct)


# ---------------------------------------------------------------- section 12

SUITE = "chacha20-poly1305"


def parse_livc(p):  # 12.8, H4-LC-010
    if len(p) < 3:
        fail("CIPHER_BAD_HEADER", "LIVC too short")
    version, s = struct.unpack_from(">HB", p, 0)
    if version != 1 or not 1 <= s <= 32 or len(p) != 119 + s:
        fail("CIPHER_BAD_HEADER", "LIVC version, suite length or payload length")
    suite = bytes(p[3:3 + s]).decode("latin-1")
    o = 3 + s
    cid = bytes(p[o:o + 16])
    k, n_blocks, n_epochs = struct.unpack_from(">IQQ", p, o + 16)
    if k == 0 or n_blocks >= 2**32 or n_epochs >= 2**32 or n_epochs != -(-n_blocks // k):
        fail("CIPHER_BAD_HEADER", "LIVC epoch fields")
    if n_epochs > 2**20:
        fail("LIMIT_EXCEEDED", "more than 2^20 epochs")
    o += 36
    return {"suite": suite, "cid": cid, "k": k, "n_blocks": n_blocks, "n": n_epochs,
            "check": bytes(p[o:o + 16]), "transcript": bytes(p[o + 16:o + 48]),
            "seal": bytes(p[o + 48:o + 80]), "sealed": bytes(p[:o + 48])}


def epoch_zero(root, cid):  # 12.4
    return hkdf_expand(hkdf_extract(cid, root), b"H4MK-LC1 epoch 0", 32)


def step(e):
    return hkdf_expand(e, b"H4MK-LC1 epoch step", 32)


def try_key(livc, role, epoch, key, root_digest):
    """Epoch keys from `epoch` on, or None when the key check differs (12.10 steps 3-5)."""
    if role == "epoch" and epoch > livc["n"]:
        return None  # H4-LC-016: past the closing epoch
    chain = [epoch_zero(key, livc["cid"]) if role == "root" else key]
    first = 0 if role == "root" else epoch
    while first + len(chain) - 1 < livc["n"]:
        chain.append(step(chain[-1]))
    closing = chain[-1]
    if not hmac.compare_digest(hkdf_expand(closing, b"H4MK-LC1 key check", 16), livc["check"]):
        return None
    seal_key = hkdf_expand(closing, b"H4MK-LC1 seal key", 32)
    seal = hmac.new(seal_key, b"H4MK-LC1 seal" + livc["sealed"] + root_digest,
                    hashlib.sha256).digest()
    if not hmac.compare_digest(seal, livc["seal"]):  # H4-LC-015
        fail("CIPHER_SEAL_MISMATCH", "seal differs")
    return first, chain


def block_ad(livc, b, track_id):  # 12.5
    suite, tid = livc["suite"].encode("latin-1"), track_id.encode("utf-8")
    return (bytes([1, len(suite)]) + suite + bytes([16]) + livc["cid"]
            + struct.pack(">H", len(tid)) + tid
            + struct.pack(">qQBBBQ", b["pts"], b["index"], b["kind"], int(b["key"]), b["codec"],
                          b["plain"]))


# ---------------------------------------------------------------- section 12.16

def parse_file_line(text, kind):  # H4-RCP-001 (and 12.2 for key files)
    if text.endswith("\n"):
        text = text[:-1]
    if not text or not all(0x20 <= ord(c) <= 0x7E for c in text) or "  " in text \
            or text != text.strip(" "):
        fail("CIPHER_BAD_KEY", f"malformed {kind} file")
    return text.split(" ")


def b64key(text, kind):
    if not re.fullmatch(r"[A-Za-z0-9+/]{43}=", text):
        fail("CIPHER_BAD_KEY", f"{kind} file: not 44 characters of padded base64")
    raw = base64.b64decode(text)
    if base64.b64encode(raw).decode() != text:
        fail("CIPHER_BAD_KEY", f"{kind} file: base64 not canonical")
    return raw


def recipient_id(pub):
    return hashlib.sha256(b"H4MK-RCP1 recipient id" + pub).digest()[:8].hex()


def parse_rcpt(p):  # H4-RCP-002
    if len(p) < 4:
        fail("CIPHER_BAD_HEADER", "RCPT shorter than its header")
    version, count = struct.unpack_from(">HH", p, 0)
    if version != 1 or not 1 <= count <= 256:
        fail("CIPHER_BAD_HEADER", f"RCPT version {version} or stanza_count {count}")
    out, o = [], 4
    for i in range(count):
        if o + 6 > len(p):
            fail("CIPHER_BAD_HEADER", f"stanza {i} cut short")
        role, flags, epoch = struct.unpack_from(">BBI", p, o)
        if role not in (0, 1) or flags & ~1 or (role == 0 and epoch != 0):
            fail("CIPHER_BAD_HEADER", f"stanza {i}: role {role}, flags {flags}, epoch {epoch}")
        head = 6 + (8 if flags & 1 else 0)
        if o + head + 80 > len(p):
            fail("CIPHER_BAD_HEADER", f"stanza {i} cut short")
        out.append({"role": "root" if role == 0 else "epoch", "epoch": epoch,
                    "header": bytes(p[o:o + head]),
                    "hint": bytes(p[o + 6:o + 14]).hex() if flags & 1 else None,
                    "eph": bytes(p[o + head:o + head + 32]),
                    "wrapped": bytes(p[o + head + 32:o + head + 80])})
        o += head + 80
    if o != len(p):
        fail("CIPHER_BAD_HEADER", "bytes after the last stanza")
    return out


def find_rcpt(data, loca):  # H4-RCP-003: the chunk right after LIVC
    o, ln = loca["slots"]["LIVC"]
    at = o + ln
    if at + 12 > len(data) or bytes(data[at:at + 4]) != b"RCPT":
        return None
    length, crc = struct.unpack_from(">II", data, at + 4)
    if length > 4 + 256 * 94:
        fail("CIPHER_BAD_HEADER", f"RCPT of {length} bytes")
    p = data[at + 12:at + 12 + length]
    if zlib.crc32(p) != crc:
        fail("CRC_MISMATCH", "RCPT CRC")
    return p


def key_from_identity(data, loca, livc, secret):  # H4-RCP-005
    pub = x25519(secret, (9).to_bytes(32, "little"))
    rid = recipient_id(pub)
    p = find_rcpt(data, loca)
    if p is None:
        fail("CIPHER_BAD_KEY", "no recipients chunk")
    stanzas = parse_rcpt(p)
    for s in stanzas:
        if s["hint"] is not None and s["hint"] != rid:
            continue
        shared = x25519(secret, s["eph"])
        if shared == bytes(32):
            continue  # a low-order point
        wrap = hkdf_expand(hkdf_extract(livc["cid"] + s["eph"] + pub, shared), b"H4MK-RCP1 wrap",
                           32)
        key = aead_open(wrap, bytes(12), b"H4MK-RCP1 stanza" + s["header"], s["wrapped"])
        if key is None:
            continue
        opened = try_key(livc, s["role"], s["epoch"], key, loca["root"])
        if opened is not None:
            return opened
    fail("CIPHER_BAD_KEY", f"identity {rid} is not a recipient ({len(stanzas)} stanzas)")


def key_from_file(livc, loca, text):  # 12.2
    w = parse_file_line(text, "key")
    if w[0] == "h4mk-key-1" and len(w) == 2:
        opened = try_key(livc, "root", 0, b64key(w[1], "key"), loca["root"])
    elif w[0] == "h4mk-epoch-key-1" and len(w) == 4 and re.fullmatch(r"[0-9a-f]{32}", w[1]) \
            and re.fullmatch(r"0|[1-9][0-9]{0,9}", w[2]):
        if bytes.fromhex(w[1]) != livc["cid"]:
            fail("CIPHER_BAD_KEY", "epoch key of another container")
        if int(w[2]) > livc["n"]:
            fail("CIPHER_WRONG_EPOCH", "epoch key past the closing epoch")
        opened = try_key(livc, "epoch", int(w[2]), b64key(w[3], "key"), loca["root"])
    else:
        fail("CIPHER_BAD_KEY", "not a key file")
    if opened is None:
        fail("CIPHER_BAD_KEY", "key check differs")
    return opened


def read_with_key(path, identity=None, key_text=None):
    captured = []
    original = base.block_json
    base.block_json = lambda b, d: (captured.append(b), original(b, d))[1]
    try:
        doc = base.read_file(path)  # the keyless full verification
    finally:
        base.block_json = original
    if not doc["encrypted"] or doc["profile"] == "legacy":
        return doc
    with open(path, "rb") as f:
        data = memoryview(f.read())
    loca = base.read_loca(data, doc["version"])
    o, ln = loca["slots"]["LIVC"]
    livc = parse_livc(data[o + 12:o + ln])
    if livc["suite"] != SUITE:
        fail("CIPHER_UNKNOWN_SUITE", "unknown suite")
    if livc["n_blocks"] != loca["blocks"]:
        fail("CIPHER_SEAL_MISMATCH", "LIVC block count differs from LOCA's")
    if identity is not None:
        w = parse_file_line(identity, "identity")
        if w[0] != "h4mk-identity-1" or len(w) != 2:
            fail("CIPHER_BAD_KEY", "not an identity file")
        first, chain = key_from_identity(data, loca, livc, b64key(w[1], "identity"))
    else:
        first, chain = key_from_file(livc, loca, key_text)
    transcript = hashlib.sha256(b"H4MK-LC1 transcript")
    for b, out in zip(captured, doc["blocks"]):
        stored = data[b["offset"]:b["offset"] + b["stored"]]
        ad = block_ad(livc, b, out["track_id"])
        transcript.update(struct.pack(">H", len(ad)) + ad + bytes(stored[-16:]))
        e = b["index"] // livc["k"]
        if e < first:
            fail("CIPHER_WRONG_EPOCH", f"block {b['index']} is before the key's epoch")
        block_key = hkdf_expand(chain[e - first], b"H4MK-LC1 block key " + SUITE.encode(), 32)
        plain = aead_open(block_key, bytes(4) + struct.pack(">Q", b["index"]), ad, stored)
        if plain is None:
            fail("CIPHER_AUTH_FAILED", f"block {b['index']}")
        out["sha256"] = base.sha(base.decode_block(b["codec"], plain, b["plain"],
                                                   f"block {b['index']}")).hex()
    if transcript.digest() != livc["transcript"]:
        fail("CIPHER_TRANSCRIPT_MISMATCH", "transcript differs")
    return doc


def main(argv):
    usage = "usage: living_read.py read FILE (--identity IDFILE | --key KEYFILE)"
    if len(argv) != 5 or argv[1] != "read" or argv[3] not in ("--identity", "--key"):
        print(usage, file=sys.stderr)
        return 2
    try:
        with open(argv[4], encoding="ascii", errors="replace") as f:
            secret = f.read(4096)
        if argv[3] == "--identity":
            doc = read_with_key(argv[2], identity=secret)
        else:
            doc = read_with_key(argv[2], key_text=secret)
    except H4Error as e:
        print(f"ERROR {e.code} {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"cannot open: {e}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(base.dump(doc).encode("utf-8") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
