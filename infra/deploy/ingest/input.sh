# Written by infra.transcode; copy.sh and ladder.sh source it with $channel set, and it sets
# their positional parameters to ffmpeg's input: the publish's recording, or the live stream.
since=$(date +%s)
mark=$(mktemp)
for _ in $(seq 40); do
    recording=$(find /var/lib/castline/recordings/recording -maxdepth 1 -name "$channel-*.flv" -newer "$mark" | head -n 1)
    [ -n "$recording" ] && break
    sleep 0.05
done
rm -f "$mark"
started=${recording##*-}
if [ -n "$recording" ] && [ "${started%.flv}" -ge $((since - 3)) ]; then
    set -- -follow 1 -seekable 0 -rw_timeout 10000000 -i "file:$recording"
else
    set -- -i "rtmp://127.0.0.1:1935/live/$channel"
fi
