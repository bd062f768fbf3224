#!/usr/bin/env bash
# Wait until no other apt or dpkg run holds its locks (a fresh Debian runs unattended-upgrades
# right after boot), saying so once; give up after APT_LOCK_TIMEOUT seconds (default 600).
# APT_LOCKS (space-separated paths) replaces the lock files, for tests.
set -euo pipefail
timeout=${APT_LOCK_TIMEOUT:-600}
locks=${APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}

held() {  # the first lock another process holds, or nothing; apt takes fcntl locks, so ask with lockf
  python3 - $locks <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    try:
        fh = open(path, "a")
    except PermissionError:  # not root: apt-get would say so itself
        continue
    with fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            print(path)
            break
PY
}

waited=0
while lock=$(held) && [ -n "$lock" ]; do
  if [ "$waited" -eq 0 ]; then
    echo "Waiting for another apt/dpkg run (unattended-upgrades?) to release $lock (up to ${timeout} s) ..." >&2
  fi
  if [ "$waited" -ge "$timeout" ]; then
    echo "Gave up after ${timeout} s: $lock is still held; run 'make' again when the other apt/dpkg run has finished" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
[ "$waited" -gt 0 ] && echo "apt/dpkg lock released after ${waited} s; going on" >&2
exit 0
