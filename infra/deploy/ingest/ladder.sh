#!/bin/sh
# Written by infra.transcode for CASTLINE_TRANSCODE_LADDER's default; nginx-rtmp runs it
# with the channel's name as $1. Regenerate when the ladder changes.
channel=$1
. /etc/nginx/castline/input.sh
exec ffmpeg -nostdin -loglevel error "$@" -map 0:v:0 -map '0:a:0?' -c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -vf scale=640:360 -force_key_frames 'expr:gte(t,n_forced*1)' -sc_threshold 0 -b:v 800k -maxrate 800k -bufsize 1600k -c:a aac -b:a 96k -f flv rtmp://127.0.0.1:1935/show/${channel}_360p -map 0:v:0 -map '0:a:0?' -c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -vf scale=284:160 -force_key_frames 'expr:gte(t,n_forced*1)' -sc_threshold 0 -b:v 250k -maxrate 250k -bufsize 500k -c:a aac -b:a 96k -f flv rtmp://127.0.0.1:1935/show/${channel}_160p
