"""What a gunicorn server has used so far, for benchmarks/load.sh: the CPU seconds of the arbiter
and its workers (workers already replaced included: the arbiter's reaped children's time), and each
live worker's peak resident memory (VmHWM), as JSON on one line.

    python benchmarks/server_usage.py PID
"""

import json
import os
import sys


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat's fields after the command's name: [0] is the state, [1] the parent's id,
    [11] and [12] the process's user and system time, [13] and [14] its reaped children's."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def _peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def usage(server: int) -> dict:
    tick = os.sysconf("SC_CLK_TCK")
    fields = _stat(server)
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    workers = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = _stat(int(entry))
            if int(stat[1]) == server:
                ticks += int(stat[11]) + int(stat[12])
                workers[int(entry)] = _peak_mb(int(entry))
        except (FileNotFoundError, ProcessLookupError):  # ended while looked at
            continue
    return {"cpu_s": round(ticks / tick, 1), "workers": len(workers), "worker_peak_mb": sorted(workers.values())}


if __name__ == "__main__":
    print(json.dumps(usage(int(sys.argv[1]))))
