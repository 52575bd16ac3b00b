#!/bin/sh
# The imported H.264 clip of figure 7 of BENCHMARKS.md: 66 s of 1280x720 30 fps testsrc2 as
# H.264 at 10 Mbit/s (keyframe every 2 s) plus a 48 kHz AAC sine, imported with `h4mk import`:
# an 84.5 MB v2 container of 5,075 blocks.
# Usage: sh bench/make_clip.sh [OUT]   (default bench/data/clip-h264.h4mk)
set -eu
here="$(dirname "$0")"
out="${1:-$here/data/clip-h264.h4mk}"
mkdir -p "$(dirname "$out")"
mp4="$out.tmp.mp4"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=1280x720:rate=30" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 66 \
  -c:v libx264 -preset veryfast -b:v 10M -maxrate 10M -bufsize 20M -g 60 -pix_fmt yuv420p \
  -c:a aac -b:a 128k \
  "$mp4"
deno run -A "$here/../cli.ts" import "$mp4" -o "$out" -f -q
rm -f "$mp4"
ls -l "$out"
