"""Evaluation speed: Doppel (all metrics + HTML report) vs SDMetrics (QualityReport + DCR).

Each step runs in its own process; wall time from the parent, peak memory from the child's
rusage. SDMetrics times are also taken inside its process with imports excluded.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SPLIT = r"""
import sys
import pandas as pd
real = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
holdout = real.sample(frac=0.2, random_state=7)
train = real.drop(holdout.index)
train.to_csv(sys.argv[2], index=False)
holdout.to_csv(sys.argv[3], index=False)
"""

SDMETRICS = r"""
import json, sys, time
import pandas as pd
from sdv.metadata import Metadata
from sdmetrics.reports.single_table import QualityReport
from sdmetrics.single_table import DCROverfittingProtection
read = lambda p: pd.read_csv(p, keep_default_na=False, na_values=[""])
train, synth, holdout = read(sys.argv[1]), read(sys.argv[2]), read(sys.argv[3])
full = Metadata.detect_from_dataframes({"table": train}).to_dict()
metadata = full["tables"]["table"]
t0 = time.perf_counter()
report = QualityReport()
report.generate(train, synth[train.columns], metadata, verbose=False)
t1 = time.perf_counter()
dcr = DCROverfittingProtection.compute_breakdown(
    train, synth[train.columns], holdout, full, "table")
t2 = time.perf_counter()
print(json.dumps({"quality": t1 - t0, "dcr": t2 - t1, "score": report.get_score(),
                  "dcr_breakdown": {k: (v if isinstance(v, (int, float)) else str(v)) for k, v in dcr.items()}}))
"""


def run(cmd):
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            sys.stderr.write(err.read())
            raise SystemExit(f"failed ({code}): {' '.join(cmd)}")
        return wall, usage.ru_maxrss / 1024.0, out.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--doppel", required=True)
    parser.add_argument("--data", default="Examples/data/adult.csv")
    parser.add_argument("--label", default="income")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="doppel-bench-eval-")
    f = lambda name: os.path.join(work, name)
    run([sys.executable, "-c", SPLIT, args.data, f("train.csv"), f("holdout.csv")])
    run([args.doppel, "fit", f("train.csv"), "-o", f("model.json"), "--seed", "1", "-q"])
    run([args.doppel, "sample", f("model.json"), "--seed", "1", "-o", f("synth.csv"), "-q"])
    wall, rss, out = run([sys.executable, "-c", SDMETRICS, f("train.csv"), f("synth.csv"), f("holdout.csv")])
    sdm = json.loads(out.strip().splitlines()[-1])
    ev_wall, ev_rss, ev_out = run([args.doppel, "evaluate", f("train.csv"), f("synth.csv"), "--holdout",
                                   f("holdout.csv"), "--label", args.label, "-o", f("eval.json")])
    rep_wall, rep_rss, _ = run([args.doppel, "report", f("eval.json"), "-o", f("report.html")])
    ev_q, _, _ = run([args.doppel, "evaluate", f("train.csv"), f("synth.csv"), "--holdout",
                      f("holdout.csv"), "-o", f("eval-nolabel.json")])
    evaluation = json.load(open(f("eval.json")))
    sdm_total = sdm["quality"] + sdm["dcr"]
    print(ev_out)
    print("| step | SDMetrics | Doppel | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| quality report + DCR (s, in-process for SDMetrics) | {sdm_total:.2f} | {ev_q:.2f} (evaluate without label, whole process) | {sdm_total / ev_q:.1f}x |")
    print(f"| everything: + utility (2 forests, permutation importance) + HTML report (s) | {wall:.2f} (whole process) | {ev_wall + rep_wall:.2f} | {wall / (ev_wall + rep_wall):.1f}x |")
    print(f"| peak RSS (MiB) | {rss:.0f} | {max(ev_rss, rep_rss):.0f} | |")
    print(f"| quality score | {sdm['score']:.4f} | {evaluation['quality']['overall']:.4f} | |")
    print(f"\nDoppel evaluation's own timer: {evaluation['seconds']:.2f} s; files in {work}")


if __name__ == "__main__":
    main()
