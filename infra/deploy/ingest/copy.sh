#!/bin/sh
# Written by infra.transcode for CASTLINE_TRANSCODE_LADDER's default; nginx-rtmp runs it
# with the channel's name as $1. Regenerate when the ladder changes.
channel=$1
. /etc/nginx/castline/input.sh
exec ffmpeg -nostdin -loglevel error -fpsprobesize 0 "$@" -map 0 -c copy -f flv rtmp://127.0.0.1:1935/show/${channel}_src
