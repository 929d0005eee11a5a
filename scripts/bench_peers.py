"""Side-by-side benchmark of Doppel and SDV (run through scripts/bench-peers).

Each measured step runs in its own process; wall time comes from the parent and peak memory
from that child's rusage (ru_maxrss). SDV's fit and sample times are also measured inside its
process (imports excluded), which is the figure most favourable to SDV; the ratios use it.
Quality is judged by SDMetrics' column shapes (KSComplement / TVComplement averaged over
columns, SDV-detected metadata) for both tools' outputs against the same real table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SDV_SCRIPT = r"""
import json, sys, time
import pandas as pd
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer
data_path, out_path, rows, seed_rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
real = pd.read_csv(data_path, keep_default_na=False, na_values=[""])
metadata = Metadata.detect_from_dataframes({"table": real})
t0 = time.perf_counter()
synth = GaussianCopulaSynthesizer(metadata)
synth.fit({"table": real})  # SDV 2.0 takes {table name: DataFrame}
t1 = time.perf_counter()
sample = synth.sample(rows)
t2 = time.perf_counter()
if isinstance(sample, dict):
    sample = sample["table"]
sample.to_csv(out_path, index=False)
big = None
if seed_rows > 0:
    t3 = time.perf_counter()
    synth.sample(seed_rows)
    big = time.perf_counter() - t3
print(json.dumps({"fit": t1 - t0, "sample": t2 - t1, "big_sample": big}))
"""

SCORE_SCRIPT = r"""
import json, sys
import pandas as pd
from sdv.metadata import Metadata
from sdmetrics.reports.single_table import QualityReport
real = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
metadata = Metadata.detect_from_dataframes({"table": real}).to_dict()["tables"]["table"]
out = {}
for name, path in zip(sys.argv[2::2], sys.argv[3::2]):
    synth = pd.read_csv(path, keep_default_na=False, na_values=[""])
    report = QualityReport()
    report.generate(real, synth[real.columns], metadata, verbose=False)
    shapes = report.get_details("Column Shapes")
    out[name] = {"column_shapes": float(shapes["Score"].mean()), "quality": float(report.get_score()),
                 "per_column": {r["Column"]: float(r["Score"]) for _, r in shapes.iterrows()}}
print(json.dumps(out))
"""


def run(cmd):
    """Runs a command; returns (wall seconds, peak RSS in MiB, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            sys.stderr.write(err.read())
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
        return wall, usage.ru_maxrss / 1024.0, out.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--doppel", required=True)
    parser.add_argument("--bench", required=True)
    parser.add_argument("--data", default="Examples/data")
    parser.add_argument("--big-rows", type=int, default=1_000_000)
    parser.add_argument("--huge-rows", type=int, default=10_000_000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="doppel-bench-")
    python = sys.executable
    results = {}
    for name in ["adult", "pbc"]:
        data = os.path.join(args.data, f"{name}.csv")
        rows = sum(1 for _ in open(data)) - 1
        big = args.big_rows if name == "adult" else 0
        sdv_out = os.path.join(work, f"{name}_sdv.csv")
        wall, rss, out = run([python, "-c", SDV_SCRIPT, data, sdv_out, str(rows), str(big)])
        sdv = json.loads(out.strip().splitlines()[-1])
        sdv.update(wall=wall, peak_rss_mib=rss)
        model = os.path.join(work, f"{name}_model.json")
        doppel_out = os.path.join(work, f"{name}_doppel.csv")
        fit_wall, fit_rss, _ = run([args.doppel, "fit", data, "--seed", "7", "-o", model, "--quiet"])
        sample_wall, sample_rss, _ = run(
            [args.doppel, "sample", model, "--rows", str(rows), "--seed", "7", "-o", doppel_out, "--quiet"])
        doppel = {"fit": fit_wall, "sample": sample_wall, "peak_rss_mib": max(fit_rss, sample_rss)}
        if big:
            big_wall, big_rss, _ = run(
                [args.doppel, "sample", model, "--rows", str(big), "--seed", "7",
                 "-o", os.path.join(work, "big.csv"), "--quiet"])
            doppel.update(big_sample=big_wall, big_sample_rss_mib=big_rss)
            huge_wall, huge_rss, _ = run(
                [args.doppel, "sample", model, "--rows", str(args.huge_rows), "--seed", "7",
                 "-o", os.path.join(work, "huge.csv"), "--quiet"])
            doppel.update(huge_sample=huge_wall, huge_sample_rss_mib=huge_rss)
            os.remove(os.path.join(work, "huge.csv"))
        _, _, scores = run([python, "-c", SCORE_SCRIPT, data, "sdv", sdv_out, "doppel", doppel_out])
        scores = json.loads(scores.strip().splitlines()[-1])
        results[name] = {"rows": rows, "sdv": sdv, "doppel": doppel, "scores": scores}
    csv_path = os.path.join(work, "bench100.csv")
    run([args.bench, "make-csv", csv_path, "--mb", "100"])
    best = None
    for _ in range(3):
        _, _, out = run([args.bench, "csv", csv_path])
        best = out.strip() if best is None else best
        print(out.strip())
    results["csv"] = best
    with open(".bench/results.json", "w") as f:
        json.dump(results, f, indent=2)

    print("\n| table | step | SDV | Doppel | SDV / Doppel |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name in ["adult", "pbc"]:
        r = results[name]
        s, d = r["sdv"], r["doppel"]
        sdv_fs = s["fit"] + s["sample"]
        d_fs = d["fit"] + d["sample"]
        print(f"| {name} | fit + sample {r['rows']} rows (s) | {sdv_fs:.2f} | {d_fs:.2f} | {sdv_fs / d_fs:.1f}x |")
        print(f"| {name} | peak RSS (MiB) | {s['peak_rss_mib']:.0f} | {d['peak_rss_mib']:.0f} | |")
        if s.get("big_sample"):
            print(f"| {name} | sample {args.big_rows:,} rows (s) | {s['big_sample']:.2f} | {d['big_sample']:.2f} | {s['big_sample'] / d['big_sample']:.1f}x |")
            print(f"| {name} | sample {args.huge_rows:,} rows: time (s), peak RSS (MiB) | | {d['huge_sample']:.1f} s, {d['huge_sample_rss_mib']:.0f} MiB | |")
        sc = r["scores"]
        print(f"| {name} | column shapes (SDMetrics) | {sc['sdv']['column_shapes']:.4f} | {sc['doppel']['column_shapes']:.4f} | |")
        print(f"| {name} | quality score (SDMetrics) | {sc['sdv']['quality']:.4f} | {sc['doppel']['quality']:.4f} | |")
    print(f"\nCSV reading (doppel-bench, 100 MB): {results['csv']}")
    print(f"details: .bench/results.json; scratch files in {work}")


if __name__ == "__main__":
    main()
