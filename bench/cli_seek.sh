#!/bin/sh
# Figure 3 of BENCHMARKS.md: `h4mk seek` and `h4mk block` as whole processes against
# `ffprobe -read_intervals 1800%+#1 -show_packets` on an MP4 of the same shape (263,041 packets,
# one hour of 160x90 30 fps H.264 + AAC), timed with hyperfine in one run. `deno eval 0` is the
# Deno process start-up alone, the baseline the CLI cannot go below.
#
# Needs: hyperfine, ffmpeg (apt-get install -y ffmpeg hyperfine), bench/data/ref-1h-v2.h4mk
# (deno task bench:reference) and bench/data/ref-1h.mp4 (sh bench/make_mp4.sh, a few minutes).
# Usage: sh bench/cli_seek.sh [--runs N]   (deno task bench:cli)
set -eu
cd "$(dirname "$0")/.."
runs=50
if [ "${1:-}" = "--runs" ]; then runs="$2"; fi
h4=bench/data/ref-1h-v2.h4mk
mp4=bench/data/ref-1h.mp4
[ -f "$h4" ] || deno run -A bench/make_reference.ts
[ -f "$mp4" ] || sh bench/make_mp4.sh
index=$(deno run -A cli.ts seek "$h4" --track video_main --pts-us 1800000000 --json |
  sed 's/.*"core_index":\([0-9]*\).*/\1/')
seek="deno run -A cli.ts seek $h4 --track video_main --pts-us 1800000000"
block="deno run -A cli.ts block $h4 --index $index -o -"
nproc
grep -m1 'model name' /proc/cpuinfo || true
free -h | sed -n 2p
hyperfine --warmup 5 --runs "$runs" -N --export-json bench/data/cli_seek.json \
  -n 'deno eval 0 (start-up only)' 'deno eval 0' \
  -n 'h4mk seek' "$seek" \
  -n 'h4mk block' "$block" \
  -n 'h4mk seek + h4mk block (two processes)' "sh -c '$seek >/dev/null && $block >/dev/null'" \
  -n 'seek + block in one process over mod.ts (no CLI)' \
  "deno run -A bench/seek_block.ts $h4 video_main 1800000000" \
  -n 'ffprobe -read_intervals 1800%+#1 -show_packets' \
  "ffprobe -read_intervals 1800%+#1 -show_packets $mp4"
