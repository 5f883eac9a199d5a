"""A small process that starts each hook's subprocess and reports its resource usage.

Why not start hooks from the benchmark itself: on Linux a process's peak RSS
(``ru_maxrss``) starts at the high-water mark of the memory it had before
``exec``, which for a child forked (or vforked, as ``subprocess`` does) from the
benchmark is the benchmark's own peak: tens or hundreds of MB after generating the
projects, hiding every backend's real peak. Forked from this process instead, a
hook's peak can be no lower than this process's own (reported as the floor of the
measurement, a bare interpreter's), which every hook's Python exceeds anyway.

Run as ``python -I -S bench_launcher.py``; standard library only. Protocol: one JSON
request a line on stdin (``cmd``, ``cwd``, ``env``, ``log``), one JSON reply a line
on stdout (``wall`` and ``cpu`` in seconds, ``peak_rss`` in bytes, ``exit_code``).
The first line written, before any request, is this process's own peak RSS.
"""

from __future__ import annotations

import json
import os
import sys
import time

TYPE_CHECKING = False  # not `from typing import ...`: keep this process as small as can be
if TYPE_CHECKING:
    from typing import Any

# ru_maxrss is in kilobytes on Linux, in bytes on macOS.
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024


def _exec_child(cmd: list[str], cwd: str, env: dict[str, str], log: str) -> None:
    """In the forked child: stdin from /dev/null, stdout and stderr to the log, then exec."""
    try:
        os.chdir(cwd)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.execve(cmd[0], cmd, env)
    finally:
        os._exit(127)  # only reached when exec failed


def run(request: dict[str, Any]) -> dict[str, float | int]:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _exec_child(request["cmd"], request["cwd"], request["env"], request["log"])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss": usage.ru_maxrss * _RSS_UNIT,
        "exit_code": os.waitstatus_to_exitcode(status),
    }


def own_peak_rss() -> int:
    """This process's own memory high-water mark (not ru_maxrss, which starts from the
    benchmark's peak for the reason above); 0 where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    print(json.dumps({"own_peak_rss": own_peak_rss()}), flush=True)
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
