# SPDX-License-Identifier: GPL-2.0
"""Machine-readable benchmark results, shared by tests/bench/*.

A benchmark collects one row per (path, side, job) with row() and hands
them to write(), which puts NAME.csv and NAME.env in the output folder
(out_dir(): $PVKIT_BUILD/bench/, by default build/bench/).  NAME.env holds
the settings the run used, as NAME=VALUE lines, for tests/bench/report.
A job that did not finish is still a row, its status "failed: why".
"""
import csv
import datetime
import os
import re
import subprocess
import time

ROOT = os.environ.get("PVKIT_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.environ.get("PVKIT_BUILD") or os.path.join(ROOT, "build")

# The columns every CSV starts with; then exits_KIND for each exit kind
# the benchmark counts, exits_other for the rest, and exits_by_device:
# "NAME:PER_OP ..." for the devices that caused exits, busiest first.  ref is the side
# (of the same CSV) this side is compared with; rate_unit says what rate
# is: IOPS, MB/s, Mbit/s, kpps, or us for a latency (less is better).
COLUMNS = ("path", "side", "job", "ref", "rate", "rate_unit", "p50_us",
           "p99_us", "ops", "op_unit", "irqs_per_op", "ticks_per_op",
           "exits_per_op")

# Environment variables worth recording beside the results.
ENV = re.compile(r"^(?:[A-Z]+_BENCH_\w+|BENCH_\w+|LINUX_BOOT_\w+|"
                 r"PVKIT_\w+|QEMU|O)$")


class Progress:
    """A line before each side: which one of how many, its path and
    jobs, and about how long the rest will take (from the sides so far;
    before the first, from guess_s a side)."""

    def __init__(self, name, total, guess_s):
        self.name, self.total, self.guess = name, total, guess_s
        self.done, self.t0 = 0, time.monotonic()

    def next(self, what, jobs):
        per = (time.monotonic() - self.t0) / self.done if self.done \
            else self.guess
        left = per * (self.total - self.done)
        print(f"# {self.name} {self.done + 1}/{self.total}: {what}: "
              f"{', '.join(jobs)}; about {left / 60:.0f} min "
              f"{left % 60:.0f} s left", flush=True)
        self.done += 1


def git_commit():
    """HEAD's short id, "with uncommitted changes" if the tree differs;
    "unknown" outside a git checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"],
                              stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, cwd=ROOT)
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"],
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    except OSError:
        return "unknown"
    if head.returncode:
        return "unknown"
    return head.stdout.decode().strip() + \
        (" with uncommitted changes" if dirty.returncode else "")


def bench_dir():
    """$PVKIT_BENCH_OUT, else build/bench: where results go and are read
    (make bench-check writes its short runs elsewhere, so they never
    replace a full run's)."""
    return os.environ.get("PVKIT_BENCH_OUT") or os.path.join(BUILD, "bench")


def out_dir():
    """The output folder, made if need be."""
    out = bench_dir()
    os.makedirs(out, exist_ok=True)
    return out


def split_devices(exits):
    """({kind: n}, {device: n}) of the guest's exit lines, whose
    "dev.NAME" entries count the same exits by device."""
    kinds = {k: v for k, v in exits.items() if not k.startswith("dev.")}
    devices = {k[4:]: v for k, v in exits.items() if k.startswith("dev.")}
    return kinds, devices


def row(path, side, job, ref="", status="ok", rate=None, unit="",
        p50=None, p99=None, ops=None, op_unit="", irqs=None, ticks=None,
        exits=None, devices=None, kinds=(), extra=None):
    """One CSV row as a dict.  irqs is a count (ticks: of which the
    guest's own timer), exits a {kind: count} and devices a {device:
    count} (None where not counted, as straight on QEMU); all become per
    op.  extra: more {column: value}, the benchmark's own (write()'s
    extra_cols).
    A row whose status is not "ok" keeps whatever figures it has."""
    r = {"path": path, "side": side, "job": job, "ref": ref,
         "rate": fmt(rate), "rate_unit": unit, "p50_us": fmt(p50),
         "p99_us": fmt(p99), "ops": "" if ops is None else str(ops),
         "op_unit": op_unit, "status": status}
    per = max(ops or 0, 1)
    r["irqs_per_op"] = "" if irqs is None else fmt(irqs / per)
    r["ticks_per_op"] = "" if ticks is None else fmt(ticks / per)
    if exits is None:
        r["exits_per_op"] = ""
        for k in list(kinds) + ["other"]:
            r[f"exits_{k}"] = ""
    else:
        r["exits_per_op"] = fmt(sum(exits.values()) / per)
        for k in kinds:
            r[f"exits_{k}"] = fmt(exits.get(k, 0) / per)
        r["exits_other"] = fmt(sum(v for k, v in exits.items()
                                   if k not in kinds) / per)
    r["exits_by_device"] = " ".join(
        f"{k}:{fmt(v / per)}" for k, v in
        sorted((devices or {}).items(), key=lambda kv: -kv[1]) if v)
    for k, v in (extra or {}).items():
        r[k] = fmt(v) if isinstance(v, (int, float)) else v
    return r


def failed(path, side, job, why, ref="", unit="", op_unit="", kinds=()):
    """The row of a job without a result."""
    return row(path, side, job, ref=ref, status=f"failed: {why}",
               unit=unit, op_unit=op_unit, kinds=kinds)


def fmt(x):
    if x is None:
        return ""
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:.0f}"


def write(name, rows, kinds, settings, extra_cols=()):
    """NAME.csv from rows, NAME.env from settings ({VAR: value}, the
    values the run used, defaults included) and the benchmark-related
    variables of the environment.  Returns the CSV's path."""
    out = out_dir()
    fields = list(COLUMNS) + [f"exits_{k}" for k in kinds] + \
        ["exits_other", "exits_by_device"] + list(extra_cols) + ["status"]
    path = os.path.join(out, f"{name}.csv")
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, restval="")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    os.replace(path + ".tmp", path)
    env = {k: v for k, v in os.environ.items() if ENV.match(k)}
    env.update({k: str(v) for k, v in settings.items()})
    env["PVKIT_COMMIT"] = git_commit()
    now = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    with open(os.path.join(out, f"{name}.env"), "w") as f:
        f.write(f"# {name}: measured {now}\n")
        for k in sorted(env):
            f.write(f"{k}={env[k]}\n")
    print(f"# {name}: results in {path}")
    return path


def read(name):
    """(rows, env) of NAME.csv and NAME.env, ([], {}) if absent."""
    out = bench_dir()
    rows, env = [], {}
    try:
        with open(os.path.join(out, f"{name}.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        pass
    try:
        with open(os.path.join(out, f"{name}.env")) as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("# ") and ": measured " in line:
                    env["# measured"] = line.split(": measured ", 1)[1]
                elif "=" in line and not line.startswith("#"):
                    k, v = line.split("=", 1)
                    env[k] = v
    except FileNotFoundError:
        pass
    return rows, env
