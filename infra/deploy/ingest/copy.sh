#!/bin/sh
# Written by infra.transcode for CASTLINE_TRANSCODE_LADDER's default; nginx-rtmp runs it
# with the channel's name as $1. Regenerate when the ladder changes.
exec ffmpeg -nostdin -loglevel error -i rtmp://127.0.0.1:1935/live/$1 -map 0 -c copy -f flv rtmp://127.0.0.1:1935/show/$1_src
