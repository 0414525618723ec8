"""The process's resident memory, as the operating system counts it (C libraries included): each
measurement takes the peak (VmHWM, reset before the work starts) less the resident size just
before it."""

MB = 1024 * 1024


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} is not in /proc/self/status")


def reset_peak() -> None:
    """Starts a new peak of resident memory for this process (Linux 4.0 and later)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")


def resident_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_mb() -> float:
    return _status_kb("VmHWM") / 1024
