// The process runtime's per-container shim, a POSIX shell script: it joins the container's
// cgroups, bind-mounts its volumes (inside a private mount namespace), runs the command as a
// child, forwards termination signals to it and records its exit status in a file. The daemon
// can die and come back: the shim, not the daemon, waits for the process.
export const SHIM_SCRIPT = `# flotilla process-runtime shim
# usage: shim DIR CGROUP_PROCS_FILES|- UID:GID|- HOSTNAME|- NMOUNTS [SRC DST ro|rw]... -- COMMAND [ARG]...
# Writes DIR/started (the command's pid) once it runs, DIR/exit (its exit status) when it ends.
# The command gets the shim's stdin (/dev/null, or the daemon's pipe for stdin: true); fd 3
# carries it past the rule that gives a background command /dev/null.
dir=$1; cgroups=$2; user=$3; name=$4; nmounts=$5; shift 5
exitfile=$dir/exit
if [ "$cgroups" != "-" ]; then
  for procs in $cgroups; do echo $$ > "$procs" 2>/dev/null; done
fi
# In its own UTS namespace the pod has its own hostname.
if [ "$name" != "-" ]; then echo "$name" > /proc/sys/kernel/hostname; fi
i=0
while [ "$i" -lt "$nmounts" ]; do
  if ! mount --bind "$1" "$2"; then
    echo "flotilla: cannot mount $1 at $2" >&2
    echo 128 > "$exitfile.tmp" && mv "$exitfile.tmp" "$exitfile"
    exit 128
  fi
  if [ "$3" = ro ]; then mount -o remount,bind,ro "$2"; fi
  shift 3
  i=$((i + 1))
done
shift
child=
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM
trap '[ -n "$child" ] && kill -INT "$child" 2>/dev/null' INT
trap '[ -n "$child" ] && kill -HUP "$child" 2>/dev/null' HUP
trap '[ -n "$child" ] && kill -USR1 "$child" 2>/dev/null' USR1
trap '[ -n "$child" ] && kill -USR2 "$child" 2>/dev/null' USR2
exec 3<&0
if [ "$user" = "-" ]; then
  "$@" <&3 3<&- &
else
  setpriv --reuid="\${user%%:*}" --regid="\${user#*:}" --clear-groups -- "$@" <&3 3<&- &
fi
exec 3<&-
child=$!
echo "$child" > "$dir/started.tmp" && mv "$dir/started.tmp" "$dir/started"
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
echo "$status" > "$exitfile.tmp" && mv "$exitfile.tmp" "$exitfile"
exit "$status"
`;
