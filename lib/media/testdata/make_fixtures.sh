#!/usr/bin/env bash
# Regenerates the small media fixtures of lib/media tests (each well under 200 KB).
# Needs ffmpeg with libx264 and the native AAC encoder (Debian: apt-get install -y ffmpeg).
# The committed files were made with ffmpeg 5.1 (Debian 12); other versions give other bytes,
# which the tests do not depend on (they compare each file with its own round trip).
set -euo pipefail
cd "$(dirname "$0")"
common=(-hide_banner -loglevel error -y)
bitexact=(-fflags +bitexact -map_metadata -1)
video=(-c:v libx264 -preset veryfast -bf 2 -threads 1 -pix_fmt yuv420p)

# H.264 with B-frames (2 per group, pyramid) + mono AAC, moov at the end (ffmpeg's default).
ffmpeg "${common[@]}" -f lavfi -i testsrc2=size=160x120:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 -t 3 -map 0:v -map 1:a \
  "${video[@]}" -g 25 -b:v 150k -c:a aac -b:a 48k -ac 1 "${bitexact[@]}" av.mp4

# The same content as a fragmented MP4 (moof per keyframe, empty moov).
ffmpeg "${common[@]}" -f lavfi -i testsrc2=size=160x120:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 -t 3 -map 0:v -map 1:a \
  "${video[@]}" -g 25 -b:v 150k -c:a aac -b:a 48k -ac 1 "${bitexact[@]}" \
  -movflags frag_keyframe+empty_moov av_frag.mp4

# Audio only (M4A), stereo AAC at 48 kHz, moov first.
ffmpeg "${common[@]}" -f lavfi -i sine=frequency=660:sample_rate=48000 -t 2 \
  -c:a aac -b:a 48k -ac 2 "${bitexact[@]}" -movflags +faststart a.m4a

# QuickTime MOV, 30 fps H.264 with B-frames + AAC.
ffmpeg "${common[@]}" -f lavfi -i testsrc2=size=128x96:rate=30 \
  -f lavfi -i sine=frequency=330:sample_rate=48000 -t 2 -map 0:v -map 1:a \
  "${video[@]}" -g 30 -b:v 100k -c:a aac -b:a 48k "${bitexact[@]}" v.mov

# Video only at a 10 MHz track timescale (above 10^6: import keeps the composition offsets).
ffmpeg "${common[@]}" -i av.mp4 -map 0:v -c copy -video_track_timescale 10000000 "${bitexact[@]}" v_10mhz.mp4

ls -l av.mp4 av_frag.mp4 a.m4a v.mov v_10mhz.mp4

# PCM, one block per chunk on import (H4-MED-007): MOV with H.264 + 16-bit little-endian PCM
# (sowt, mono 8 kHz), stereo big-endian PCM alone (twos), 24-bit at 96 kHz (lpcm, sound
# description version 2), and sowt in a fragmented MOV.
ffmpeg "${common[@]}" -f lavfi -i testsrc2=size=128x96:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=8000 -t 2 -map 0:v -map 1:a \
  "${video[@]}" -g 25 -b:v 80k -c:a pcm_s16le "${bitexact[@]}" pcm_sowt.mov
ffmpeg "${common[@]}" -f lavfi -i sine=frequency=550:sample_rate=8000 -t 1 -ac 2 \
  -c:a pcm_s16be "${bitexact[@]}" pcm_twos.mov
ffmpeg "${common[@]}" -f lavfi -i sine=frequency=660:sample_rate=96000 -t 0.25 \
  -c:a pcm_s24le "${bitexact[@]}" pcm_lpcm.mov
ffmpeg "${common[@]}" -f lavfi -i sine=frequency=770:sample_rate=8000 -t 1 \
  -c:a pcm_s16le "${bitexact[@]}" -movflags frag_keyframe+empty_moov -frag_duration 250000 \
  pcm_frag.mov

ls -l pcm_sowt.mov pcm_twos.mov pcm_lpcm.mov pcm_frag.mov
