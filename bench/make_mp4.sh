#!/bin/sh
# The MP4 peer of the one-hour reference (figure 3 of BENCHMARKS.md): one hour of 160x90
# 30 fps testsrc2 as H.264 (ultrafast, one keyframe a second) plus a 44.1 kHz AAC sine, the
# shape of bench/data/packets-1h.tsv.gz. Takes a few minutes on 2 cores.
# Usage: sh bench/make_mp4.sh [OUT]   (default bench/data/ref-1h.mp4)
set -eu
out="${1:-$(dirname "$0")/data/ref-1h.mp4}"
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.mp4"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=160x90:rate=30:duration=3600" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=3600" \
  -c:v libx264 -preset ultrafast -g 30 -pix_fmt yuv420p \
  -c:a aac -b:a 48k \
  "$tmp"
mv "$tmp" "$out"
ls -l "$out"
