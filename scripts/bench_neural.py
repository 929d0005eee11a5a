"""Doppel CTGAN vs the PyTorch ctgan package: seconds per epoch, peak RSS, quality.

Called by scripts/bench-neural. Each contender runs in its own process under /usr/bin/time -v so
peak resident memory is measured the same way. PyTorch's seconds per epoch exclude its data
transformer (timed separately); Doppel's come from its progress lines (mean s/epoch).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ADULT = "Examples/data/adult.csv"

TORCH_RUN = r"""
import sys, time, json
import pandas as pd
import torch
from ctgan import CTGAN
from ctgan import data_transformer as dt
epochs, threads, out, rows = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
spent = {"prep": 0.0, "prep_cpu": 0.0}
for name in ("fit", "transform"):
    original = getattr(dt.DataTransformer, name)
    def timed(self, *a, _original=original, **k):
        t = time.perf_counter()
        c = time.process_time()
        try:
            return _original(self, *a, **k)
        finally:
            spent["prep"] += time.perf_counter() - t
            spent["prep_cpu"] += time.process_time() - c
    setattr(dt.DataTransformer, name, timed)
data = pd.read_csv(sys.argv[5], skipinitialspace=True)
discrete = [c for c in data.columns if data[c].dtype == object]
model = CTGAN(epochs=epochs, batch_size=500)
t = time.perf_counter()
c = time.process_time()
model.fit(data, discrete)
total = time.perf_counter() - t
cpu = time.process_time() - c
print(json.dumps({"total": total, "prep": spent["prep"],
                  "per_epoch": (total - spent["prep"]) / epochs,
                  "cpu_per_epoch": (cpu - spent["prep_cpu"]) / epochs}))
if rows > 0:
    model.sample(rows).to_csv(out, index=False)
"""


def timed_run(command):
    """Runs a command under /usr/bin/time -v; returns (stdout, stderr, peak RSS in MiB)."""
    result = subprocess.run(
        ["/usr/bin/time", "-v"] + command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"command failed: {' '.join(command)}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    peak = int(match.group(1)) / 1024 if match else float("nan")
    return result.stdout, result.stderr, peak


def doppel_fit(doppel, epochs, model, threads, data=ADULT):
    _, err, peak = timed_run([
        doppel, "fit", data, "--synthesizer", "ctgan", "--epochs", str(epochs),
        "--batch-size", "500", "--option", f"threads={threads}", "--seed", "1", "-o", model])
    rates = re.findall(r"([0-9.]+) s/epoch \(cpu ([0-9.]+) s/epoch\)", err)
    if not rates:
        return float("nan"), float("nan"), peak
    return float(rates[-1][0]), float(rates[-1][1]), peak


def torch_fit(epochs, threads, out, rows, data=ADULT):
    stdout, _, peak = timed_run(
        [sys.executable, "-c", TORCH_RUN, str(epochs), str(threads), out, str(rows), data])
    import json
    figures = json.loads(stdout.strip().splitlines()[-1])
    return figures["per_epoch"], figures["cpu_per_epoch"], figures["prep"], peak


def split_adult(work):
    """Writes a seeded 80/20 split of adult.csv: training rows and a holdout never trained on."""
    import random
    with open(ADULT, encoding="utf-8") as f:
        header, *rows = f.read().splitlines()
    random.Random(7).shuffle(rows)
    cut = len(rows) * 4 // 5
    paths = (os.path.join(work, "train.csv"), os.path.join(work, "holdout.csv"))
    for path, part in zip(paths, (rows[:cut], rows[cut:])):
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join([header] + part) + "\n")
    return paths


def evaluate(doppel, train, holdout, synthetic, report):
    result = subprocess.run(
        [doppel, "evaluate", train, synthetic, "--holdout", holdout, "--label", "income",
         "-o", report],
        capture_output=True, text=True, check=True)
    quality = re.search(r"quality ([0-9.]+)%", result.stdout)
    f1 = re.search(r"macro F1 trained on synthetic ([0-9.]+) vs on real ([0-9.]+)", result.stdout)
    return (float(quality.group(1)) if quality else float("nan"),
            float(f1.group(1)) if f1 else float("nan"),
            float(f1.group(2)) if f1 else float("nan"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--doppel", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--quality-epochs", type=int, default=0)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="doppel-bench-neural-")
    print(f"adult.csv, batch 500, default CTGAN architecture, {args.threads} threads, "
          f"{args.epochs} epochs")
    t0 = time.perf_counter()
    # Runs alternate (PyTorch, Doppel, PyTorch, …) so both see the same machine; each figure is
    # the median over the repetitions, with the range shown.
    torch_runs, doppel_runs = [], []
    for _ in range(args.repeat):
        torch_runs.append(torch_fit(
            args.epochs, args.threads, os.path.join(work, "torch.csv"), 0))
        doppel_runs.append(doppel_fit(
            args.doppel, args.epochs, os.path.join(work, "doppel.json"), args.threads))

    torch_epoch = statistics.median([r[0] for r in torch_runs])
    torch_cpu = statistics.median([r[1] for r in torch_runs])
    torch_prep = statistics.median([r[2] for r in torch_runs])
    torch_peak = max(r[3] for r in torch_runs)
    doppel_epoch = statistics.median([r[0] for r in doppel_runs])
    doppel_cpu = statistics.median([r[1] for r in doppel_runs])
    doppel_peak = max(r[2] for r in doppel_runs)
    ratios = sorted(d[0] / t[0] for t, d in zip(torch_runs, doppel_runs))
    print(f"medians of {args.repeat} alternating runs")
    print("| | wall s/epoch | CPU s/epoch | peak RSS MiB |")
    print("|---|---|---|---|")
    print(f"| PyTorch ctgan | {torch_epoch:.2f} (+{torch_prep:.1f} s transformer) | "
          f"{torch_cpu:.2f} | {torch_peak:.0f} |")
    print(f"| Doppel ctgan | {doppel_epoch:.2f} | {doppel_cpu:.2f} | {doppel_peak:.0f} |")
    print(f"| ratio Doppel/PyTorch | {doppel_epoch / torch_epoch:.2f} | "
          f"{doppel_cpu / torch_cpu:.2f} | {doppel_peak / torch_peak:.2f} |")
    print("per run, wall s/epoch PyTorch / Doppel: " + ", ".join(
        f"{t[0]:.2f} / {d[0]:.2f}" for t, d in zip(torch_runs, doppel_runs))
        + f" (ratios {ratios[0]:.2f}–{ratios[-1]:.2f})")
    if args.quality_epochs > 0:
        train, holdout = split_adult(work)
        rows = 26048
        e = args.quality_epochs
        torch_csv = os.path.join(work, "torch.csv")
        torch_fit(e, args.threads, torch_csv, rows, train)
        model = os.path.join(work, "doppel.json")
        doppel_fit(args.doppel, e, model, args.threads, train)
        doppel_csv = os.path.join(work, "doppel.csv")
        subprocess.run([args.doppel, "sample", model, "--rows", str(rows), "--seed", "2",
                        "-o", doppel_csv, "--quiet"], check=True, capture_output=True)
        print(f"\nquality after {e} epochs (80% of adult trains, 20% is the holdout; {rows} rows "
              "sampled), doppel evaluate --label income")
        print("| | overall quality % | TSTR macro F1 | F1 trained on real |")
        print("|---|---|---|---|")
        for name, path in (("PyTorch ctgan", torch_csv), ("Doppel ctgan", doppel_csv)):
            q, f1, real = evaluate(
                args.doppel, train, holdout, path, os.path.join(work, name[:6] + ".json"))
            print(f"| {name} | {q:.1f} | {f1:.3f} | {real:.3f} |")
    print(f"\n(total {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
