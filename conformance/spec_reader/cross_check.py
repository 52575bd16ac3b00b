#!/usr/bin/env python3
"""Cross-check h4mk_read.py against the project's CLI (black box: only its commands are run).

    python3 cross_check.py [CLI]      CLI defaults to this repository's cli.ts (run with deno)

1. Packs block lists with `h4mk pack` (v1/v2, codecs, encryption, >4096 blocks), reads the files
   with h4mk_read.py and compares every block with its input payload, and seek answers with
   `h4mk seek --json`.
2. Runs `h4mk verify` on the files of make_samples.py and lists where its verdict or first error
   code differs from h4mk_read.py's.
"""
import base64
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
READER = os.path.join(HERE, "h4mk_read.py")
DEFAULT_CLI = os.path.join(HERE, "..", "..", "cli.ts")


def cli(args, cli_path):
    return subprocess.run(["deno", "run", "-A", cli_path, "-q", *args], capture_output=True,
                          text=True)


def block(tid, pts, kind, payload, codec=None):
    b = {"track_id": tid, "pts_us": pts, "kind": kind, "keyframe": kind == "I",
         "payload_b64": base64.b64encode(payload).decode()}
    if codec:
        b["codec"] = codec
    return b


def inputs(shift):
    rnd = random.Random(5)
    small, big = [], []
    for i in range(40):
        kind = "I" if i % 10 == 0 else "PB"[i % 2]
        codec = "rle" if i == 7 else "deflate" if i % 3 == 0 else None
        small.append(block("vidéo", shift + i * 40000 + (40000 if kind == "B" else 0), kind,
                           bytes([i % 5]) * (200 + i * 13), codec))
        small.append(block("音声", shift - 21333 + i * 21333, "I", rnd.randbytes(50 + i)))
        if i % 8 == 0:
            small.append(block("ctl", shift + i * 40000, "I", json.dumps({"i": i}).encode()))
    for i in range(9000):
        big.append(block("v", shift + i * 33333, "I" if i % 30 == 0 else "P",
                         rnd.randbytes(rnd.randint(0, 90))))
        if i % 3 == 0:
            big.append(block("a", shift + i * 33333 - 1000, "I", rnd.randbytes(20)))
    return small, big


def pack_and_read(tmp, cli_path):
    bad = 0
    key = os.path.join(tmp, "k.key")
    cli(["keygen", "-o", key], cli_path)
    for shift in (0, 21333):  # shift 0 keeps negative pts (SEEKM two's complement in v1)
        small, big = inputs(shift)
        for name, blocks in (("small", small), ("big", big)):
            src = os.path.join(tmp, f"{name}{shift}.jsonl")
            with open(src, "w") as f:
                f.writelines(json.dumps(b, ensure_ascii=False) + "\n" for b in blocks)
            variants = {"plain": [], "deflate": ["--codec", "deflate"],
                        "rle-trak": ["--codec", "rle", "--legacy-trak"],
                        "encrypted": ["--key-file", key]}
            for variant, extra in variants.items():
                for profile in ("v1", "v2"):
                    if (name == "big" and extra) or (profile == "v2" and "--legacy-trak" in extra):
                        continue
                    out = os.path.join(tmp, f"{name}-pts{shift - 21333:+d}-{profile}-{variant}.h4mk")
                    p = cli(["pack", src, "-o", out, "--profile", profile, *extra], cli_path)
                    if p.returncode:
                        print("pack failed:", p.stderr.strip())
                        bad += 1
                        continue
                    bad += compare(out, blocks, cli_path)
    return bad


def compare(path, blocks, cli_path):
    r = subprocess.run([sys.executable, READER, "read", path], capture_output=True, text=True)
    label = os.path.basename(path)
    if r.returncode:
        v = cli(["verify", path], cli_path)
        print(f"FAIL {label}: {r.stderr.strip()} (project verify: {v.stdout.strip()[-120:]})")
        return 1
    doc = json.loads(r.stdout)
    wrong = 0
    for b, i in zip(doc["blocks"], blocks):
        p = base64.b64decode(i["payload_b64"])
        digest = None if doc["encrypted"] else hashlib.sha256(p).hexdigest()
        wrong += (b["track_id"], b["pts_us"], b["kind"], b["keyframe"], b["plain_length"],
                  b["sha256"]) != (i["track_id"], i["pts_us"], i["kind"], i["keyframe"], len(p),
                                   digest)
    wrong += len(doc["blocks"]) != len(blocks)
    rnd, seeks = random.Random(path), 0
    pts = sorted({b["pts_us"] for b in doc["blocks"]})
    for _ in range(4):
        tid, t = rnd.choice(list(doc["seek"])), rnd.choice(pts) + rnd.choice([-1, 0, 1])
        mine = subprocess.run([sys.executable, READER, "seek", path, tid, str(t)],
                              capture_output=True, text=True)
        theirs = cli(["seek", path, "--track", tid, "--pts-us", str(t), "--json"], cli_path)
        keys = ("track_id", "pts_us", "keyframe_pts_us", "core_index", "found")
        a = json.loads(mine.stdout) if mine.returncode == 0 else mine.stderr.split()[1]
        b = ({k: json.loads(theirs.stdout)[k] for k in keys} if theirs.returncode == 0
             else re.findall(r"H4_[A-Z_]+", theirs.stderr)[:1])
        seeks += a != b and a != (b[0] if isinstance(b, list) and b else None)
    print(f"{'ok  ' if not wrong + seeks else 'FAIL'} {label}: {len(blocks) - wrong}/"
          f"{len(blocks)} blocks as packed, {4 - seeks}/4 seeks as `h4mk seek`")
    return int(bool(wrong + seeks))


def verify_samples(tmp, cli_path):
    out = os.path.join(tmp, "samples")
    subprocess.run([sys.executable, os.path.join(HERE, "make_samples.py"), out],
                   capture_output=True)
    expected = json.load(open(os.path.join(out, "expected.json")))
    differ = 0
    for name, exp in sorted(expected.items()):
        v = cli(["verify", os.path.join(out, name)], cli_path)
        codes = re.findall(r"FAIL \S+ (H4_[A-Z0-9_]+)", v.stdout + v.stderr)
        theirs = "OK" if v.returncode == 0 else (codes or ["?"])[0]
        mine = exp.get("error", "OK")
        if mine != theirs:
            differ += 1
            fails = [ln.strip() for ln in v.stdout.splitlines() if "FAIL" in ln]
            print(f"differs {name}: mine {mine}, project {theirs}: {fails[:2]}")
    print(f"project verify agrees on {len(expected) - differ}/{len(expected)} samples")


def main():
    cli_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CLI
    with tempfile.TemporaryDirectory(prefix="h4mk-cross-") as tmp:
        bad = pack_and_read(tmp, cli_path)
        verify_samples(tmp, cli_path)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
