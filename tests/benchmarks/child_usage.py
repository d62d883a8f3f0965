"""Run a command and print, as one JSON line, its wall time, CPU time and peak RSS.

    python -m tests.benchmarks.child_usage COMMAND [ARG…]

Linux carries a process's peak RSS across fork and exec: a child started by a big
process (``make bench`` after the cache benchmarks, or after seeding in-process) reports
at least its parent's size as its own ``ru_maxrss``. Started from this small launcher
instead, the command's figure is its own. The command's stdout is returned in
``output``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    started = time.perf_counter()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    scale = 2**20 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes / KiB
    report = {
        "returncode": os.waitstatus_to_exitcode(status),
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / scale, 1),
        "output": output.strip(),
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
