#!/bin/sh
# Written by infra.transcode with CASTLINE_THUMBNAIL_EVERY_S's default; nginx-rtmp runs it
# with the channel's name as $1. Regenerate when that setting changes.
exec ffmpeg -nostdin -loglevel error -skip_frame nokey -i rtmp://127.0.0.1:1935/live/$1 -map 0:v:0 -an -vf fps=1/15,scale=640:360 -q:v 4 -f image2 -update 1 -atomic_writing 1 /var/lib/castline/thumbnails/$1.jpg
