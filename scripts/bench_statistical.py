"""Statistical synthesizers of Doppel against peers (run through scripts/bench-statistical).

For each dataset one fixed, seeded 80/20 split is written to <out>/<dataset>/train.csv and
holdout.csv. Every method fits on train.csv and samples as many rows as train.csv has. Every
synthetic file is then scored the same way:

- `doppel evaluate train.csv synth.csv --holdout holdout.csv --label L` (quality, column shapes,
  pair trends, train-synthetic-test-real macro F1 and accuracy with the train-real baseline,
  exact copies, share of synthetic rows closer to train than to holdout), and
- SDMetrics' QualityReport overall score (the reference implementation), with metadata that SDV
  detects from train.csv.

Timing: Doppel's figure is the wall time of `doppel fit` plus `doppel sample` (whole processes,
CSV reading and writing included). A peer's figure is measured inside its process around CSV
reading, fit, sample and CSV writing, so interpreter start and library imports are excluded;
that is the figure most favourable to the peer.

Doppel synthesizers run with several seeds and the table shows means; peers run with one seed.
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

DATASETS = {
    # name: (file under --data, label column)
    "pbc": ("pbc.csv", "status"),
    "arthritis": ("arthritis.csv", "Improved"),
    "adult": ("adult.csv", "income"),
}
SPLIT_SEED = 20240601
HOLDOUT_SHARE = 0.2
DP_KINDS = {"privbayes", "mst"}

WRITE_LIKE = r"""
def write_like(sample, real, path):
    # Columns whose real values are whole numbers (floats only because of missing values) are
    # written as whole numbers, so that every tool reads them back with the same kind.
    import pandas as pd
    sample = sample[list(real.columns)].copy()
    for c in real.columns:
        r = real[c].dropna()
        if len(r) and pd.api.types.is_numeric_dtype(r) and (r == r.round()).all():
            col = pd.to_numeric(sample[c], errors="coerce")
            if col.notna().sum() == sample[c].notna().sum():
                sample[c] = col.round().astype("Int64")
    sample.to_csv(path, index=False)
"""

SDV_SCRIPT = WRITE_LIKE + r"""
import json, random, sys, time
import numpy as np
import pandas as pd
kind, train_path, out_path, rows, seed, epochs, threads = sys.argv[1:8]
rows, seed, epochs, threads = int(rows), int(seed), int(epochs), int(threads)
random.seed(seed)
np.random.seed(seed)
from sdv.metadata import Metadata
from sdv.single_table import CTGANSynthesizer, GaussianCopulaSynthesizer
if kind == "ctgan":
    import torch
    torch.manual_seed(seed)
    if threads > 0:
        torch.set_num_threads(threads)
t0 = time.perf_counter()
real = pd.read_csv(train_path, keep_default_na=False, na_values=[""])
metadata = Metadata.detect_from_dataframes({"table": real})
if kind == "gaussian-copula":
    synth = GaussianCopulaSynthesizer(metadata)
else:
    synth = CTGANSynthesizer(metadata, epochs=epochs, verbose=True)
t1 = time.perf_counter()
synth.fit({"table": real})  # SDV 2.0 takes {table name: DataFrame}
t2 = time.perf_counter()
sample = synth.sample(rows)
if isinstance(sample, dict):
    sample = sample["table"]
t3 = time.perf_counter()
write_like(sample, real, out_path)
t4 = time.perf_counter()
print(json.dumps({"fit": t2 - t1, "sample": t3 - t2, "fit_sample": t4 - t0}))
"""

SYNTHPOP_PY_SCRIPT = WRITE_LIKE + r"""
import json, random, sys, time
import numpy as np
import pandas as pd
from sklearn.preprocessing import LabelEncoder
import synthpop.processor.data_processor as data_processor
from synthpop import CARTMethod, DataProcessor, MissingDataHandler
# The port one-hot encodes categoricals with 10 or more labels but then drops those columns
# (KeyError); label-encode every categorical instead, as its smaller categoricals already are.
data_processor.OneHotEncoder = lambda **_: LabelEncoder()
train_path, out_path, rows, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)
np.random.seed(seed)  # the port draws leaf values from NumPy's global generator
t0 = time.perf_counter()
real = pd.read_csv(train_path, keep_default_na=False, na_values=[""])
handler = MissingDataHandler()
metadata = handler.get_column_dtypes(real)
complete = handler.apply_imputation(real, handler.detect_missingness(real))
processor = DataProcessor(metadata)
processed = processor.preprocess(complete)
# R synthpop's defaults for method "cart": no smoothing, not proper, minbucket 5.
cart = CARTMethod(metadata, smoothing=False, proper=False, minibucket=5, random_state=seed)
t1 = time.perf_counter()
cart.fit(processed)
t2 = time.perf_counter()
sample = processor.postprocess(cart.sample(rows))
t3 = time.perf_counter()
write_like(sample, real, out_path)
t4 = time.perf_counter()
print(json.dumps({"fit": t2 - t1, "sample": t3 - t2, "fit_sample": t4 - t0}))
"""

R_SYNTHPOP_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(synthpop))
t0 <- Sys.time()
real <- read.csv(args[1], na.strings = "", stringsAsFactors = TRUE, check.names = FALSE)
t1 <- Sys.time()
s <- syn(real, method = "cart", seed = as.integer(args[4]), k = as.integer(args[3]),
         print.flag = FALSE)
t2 <- Sys.time()
write.csv(s$syn, args[2], row.names = FALSE, na = "")
t3 <- Sys.time()
cat(sprintf('{"fit_sample": %f, "fit": null, "sample": null, "syn": %f}\n',
            as.numeric(t3 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs")))
"""

SCORE_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from sdv.metadata import Metadata
from sdmetrics.reports.single_table import QualityReport
real = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
metadata = Metadata.detect_from_dataframes({"table": real}).to_dict()["tables"]["table"]
for path in sys.argv[2:]:
    synth = pd.read_csv(path, keep_default_na=False, na_values=[""])
    report = QualityReport()
    report.generate(real, synth[real.columns], metadata, verbose=False)
    props = {r["Property"]: float(r["Score"]) for _, r in report.get_properties().iterrows()}
    print(json.dumps({"path": path, "quality": float(report.get_score()),
                      "column_shapes": props.get("Column Shapes"),
                      "column_pair_trends": props.get("Column Pair Trends")}), flush=True)
"""


class StepFailed(Exception):
    """A step of one method failed; the method is reported as failed and the run goes on."""


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, timeout=None, stderr_path=None):
    """Runs a command; returns (wall seconds, stdout). Raises StepFailed on failure or timeout."""
    start = time.perf_counter()
    err = open(stderr_path, "w") if stderr_path else subprocess.PIPE
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise StepFailed(f"timed out after {timeout:.0f} s")
    finally:
        if stderr_path:
            err.close()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        detail = proc.stderr if not stderr_path else open(stderr_path).read()
        lines = detail.strip().splitlines() or ["(no message)"]
        step = " ".join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cmd[:2]))
        raise StepFailed(f"`{step}` exit {proc.returncode}: {lines[-1][:200]}\n"
                         + "\n".join(lines[-8:]))
    return wall, proc.stdout


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise StepFailed("no JSON result line in the output")


def split_dataset(source, folder):
    """Writes a fixed seeded 80/20 split of source; rows keep their file order. Returns rows."""
    with open(source, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    holdout_count = round(len(body) * HOLDOUT_SHARE)
    holdout_index = set(random.Random(SPLIT_SEED).sample(range(len(body)), holdout_count))
    train = [r for i, r in enumerate(body) if i not in holdout_index]
    holdout = [r for i, r in enumerate(body) if i in holdout_index]
    os.makedirs(folder, exist_ok=True)
    for name, part in (("train.csv", train), ("holdout.csv", holdout)):
        tmp = os.path.join(folder, name + ".tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(part)
        os.replace(tmp, os.path.join(folder, name))
    return len(train), len(holdout)


def doppel_kinds(doppel):
    """Kinds listed by `doppel synthesizers`, with whether their defaults have an epsilon."""
    _, out = run([doppel, "synthesizers"])
    kinds, current = {}, None
    for line in out.splitlines():
        if line and not line[0].isspace() and ":" in line:
            current = line.split(":", 1)[0].strip()
            kinds[current] = False
        elif current and line.strip().startswith("defaults:"):
            try:
                defaults = json.loads(line.split("defaults:", 1)[1])
                kinds[current] = "epsilon" in defaults
            except ValueError:
                pass
    return kinds


def read_evaluation(path):
    with open(path) as f:
        e = json.load(f)
    quality, privacy, utility = e["quality"], e["privacy"], e.get("utility") or {}
    tstr, trtr = utility.get("tstr") or {}, utility.get("trtr") or {}
    return {
        "doppel_quality": quality.get("overall"),
        "column_shapes": quality.get("columnShapes"),
        "pair_trends": quality.get("columnPairTrends"),
        "utility_task": utility.get("task"),
        "tstr_f1_macro": tstr.get("f1Macro"),
        "tstr_accuracy": tstr.get("accuracy"),
        "trtr_f1_macro": trtr.get("f1Macro"),
        "trtr_accuracy": trtr.get("accuracy"),
        "exact_copy_rate": privacy.get("exactCopyRate"),
        "dcr_share_closer_to_train": privacy.get("dcrShareCloserToTrain"),
        "evaluate_seconds": e.get("seconds"),
    }


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def fmt(value, digits=3, percent=False):
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:.1f}"
    return f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doppel", required=True, help="the release doppel binary")
    parser.add_argument("--data", default="Examples/data")
    parser.add_argument("--out", default=".bench/statistical")
    parser.add_argument("--datasets", default="pbc,arthritis,adult")
    parser.add_argument("--synthesizers", help="comma separated; default: `doppel synthesizers`")
    parser.add_argument("--seeds", default="1,2,3", help="seeds of the Doppel synthesizers")
    parser.add_argument("--peer-seed", type=int, default=1)
    parser.add_argument("--peers", default="sdv-gaussian-copula,sdv-ctgan,synthpop")
    parser.add_argument("--ctgan-epochs", type=int, default=300)
    parser.add_argument("--ctgan-epochs-adult", type=int, default=300)
    parser.add_argument("--ctgan-timeout", type=float, default=900, help="seconds per CTGAN run")
    parser.add_argument("--ctgan-datasets", help="datasets CTGAN runs on (default: all)")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="CPU threads of CTGAN's torch (default: torch's own choice)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep finished and timed-out runs (their run.json) from an earlier "
                        "invocation instead of running them again")
    parser.add_argument("--synthpop-python", help="a Python with python-synthpop (stand-in peer)")
    parser.add_argument("--synthpop-python-version", default="python-synthpop")
    parser.add_argument("--rscript", help="an Rscript with the R package synthpop")
    parser.add_argument("--r-synthpop-missing", help="why R synthpop is not available here")
    args = parser.parse_args()

    started = time.perf_counter()
    out = args.out
    os.makedirs(out, exist_ok=True)
    kinds = doppel_kinds(args.doppel)
    if args.synthesizers:
        wanted = [k.strip() for k in args.synthesizers.split(",") if k.strip()]
        unknown = [k for k in wanted if k not in kinds]
        if unknown:
            raise SystemExit(f"unknown synthesizer(s) {unknown}; `doppel synthesizers` lists "
                             f"{sorted(kinds)}")
    else:
        wanted = list(kinds)
    seeds = [int(s) for s in args.seeds.split(",")]
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    notes = []
    if "synthpop" in peers and not args.rscript:
        message = f"synthpop: not installable here ({args.r_synthpop_missing or 'no Rscript'})"
        print(message, flush=True)
        notes.append(message)
        if args.synthpop_python:
            notes.append(f"synthpop row: stand-in {args.synthpop_python_version} (Python port of "
                         "synthpop's CART method; each column is drawn from a CART leaf given a "
                         "resampled real row's other columns, not synthpop's sequential order; "
                         "all categoricals label-encoded)")

    if args.torch_threads > 0 and "sdv-ctgan" in peers:
        notes.append(f"CTGAN ran with torch.set_num_threads({args.torch_threads})")
    results = []  # one record per dataset x method x seed
    for name in [d.strip() for d in args.datasets.split(",") if d.strip()]:
        if name not in DATASETS:
            raise SystemExit(f"unknown dataset {name}; known: {sorted(DATASETS)}")
        file, label = DATASETS[name]
        folder = os.path.join(out, name)
        train_rows, holdout_rows = split_dataset(os.path.join(args.data, file), folder)
        train, holdout = os.path.join(folder, "train.csv"), os.path.join(folder, "holdout.csv")
        log(f"== {name}: {train_rows} train rows, {holdout_rows} holdout rows, label {label}")

        jobs = []  # (method, seed, produce) where produce(dir) -> timing dict
        for kind in wanted:
            options = ["--option", "epsilon=1"] if kinds.get(kind) or kind in DP_KINDS else []
            method = f"doppel {kind}" + (" (ε=1)" if options else "")
            if kind == "smote":  # SMOTE interpolates within classes of the label.
                options = options + ["--option", f"label={label}"]
            for seed in seeds:
                def produce(d, kind=kind, seed=seed, options=options):
                    model, synth = os.path.join(d, "model.json"), os.path.join(d, "synth.csv")
                    fit_s, _ = run([args.doppel, "fit", train, "--synthesizer", kind, "--seed",
                                    str(seed), *options, "-o", model])
                    sample_s, _ = run([args.doppel, "sample", model, "--rows", str(train_rows),
                                       "--seed", str(seed), "-o", synth])
                    return {"fit": fit_s, "sample": sample_s, "fit_sample": fit_s + sample_s}
                jobs.append((method, seed, produce))
        s = args.peer_seed
        if "sdv-gaussian-copula" in peers:
            jobs.append(("SDV GaussianCopula", s, lambda d: sdv(d, "gaussian-copula", 0, None)))
        if "synthpop" in peers and args.rscript:
            jobs.append(("synthpop (R, cart)", s, lambda d: external(
                [args.rscript, "-e", R_SYNTHPOP_SCRIPT, "--args"], d)))
        elif "synthpop" in peers and args.synthpop_python:
            jobs.append((f"synthpop (Python port: {args.synthpop_python_version})", s,
                         lambda d: external([args.synthpop_python, "-c", SYNTHPOP_PY_SCRIPT], d)))
        ctgan_here = args.ctgan_datasets is None or name in args.ctgan_datasets.split(",")
        if "sdv-ctgan" in peers and not ctgan_here:
            notes.append(f"{name}: SDV CTGAN left out (--ctgan-datasets {args.ctgan_datasets})")
        if "sdv-ctgan" in peers and ctgan_here:
            epochs = args.ctgan_epochs_adult if name == "adult" else args.ctgan_epochs
            jobs.append((f"SDV CTGAN ({epochs} epochs)", s,
                         lambda d, e=epochs: sdv(d, "ctgan", e, args.ctgan_timeout)))

        def sdv(d, kind, epochs, timeout):
            synth, errors = os.path.join(d, "synth.csv"), os.path.join(d, "stderr.log")
            try:
                _, stdout = run([sys.executable, "-c", SDV_SCRIPT, kind, train, synth,
                                 str(train_rows), str(args.peer_seed), str(epochs),
                                 str(args.torch_threads)], timeout=timeout, stderr_path=errors)
            except StepFailed as failure:
                with open(errors, errors="replace") as f:
                    progress = re.findall(r"(\d+)/(\d+) \[", f.read())
                if str(failure).startswith("timed out") and progress:
                    raise StepFailed(f"{failure} at epoch {progress[-1][0]}/{progress[-1][1]}")
                raise
            return last_json_line(stdout)

        def external(prefix, d):
            synth = os.path.join(d, "synth.csv")
            _, stdout = run(prefix + [train, synth, str(train_rows), str(args.peer_seed)],
                            stderr_path=os.path.join(d, "stderr.log"))
            return last_json_line(stdout)

        done = []  # (record, synthetic file) of finished runs
        for method, seed, produce in jobs:
            d = os.path.join(folder, method.split(" (")[0].replace(" ", "-"), f"seed{seed}")
            saved = os.path.join(d, "run.json")
            if args.reuse and os.path.exists(saved):
                with open(saved) as f:
                    record = json.load(f)
                if record.get("method") == method and record.get("timed_out"):
                    log(f"  {method} seed {seed}: kept (timed out earlier) from {saved}")
                    record["kept"] = True
                    results.append(record)
                    continue
                if "error" not in record and record.get("method") == method:
                    log(f"  {method} seed {seed}: kept from {saved}")
                    record["kept"] = True
                    results.append(record)
                    done.append((record, os.path.join(d, "synth.csv")))
                    continue
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            record = {"dataset": name, "label": label, "method": method, "seed": seed,
                      "train_rows": train_rows, "holdout_rows": holdout_rows,
                      "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            try:
                timing = produce(d)
                record["seconds"] = timing
                evaluation = os.path.join(d, "eval.json")
                eval_s, _ = run([args.doppel, "evaluate", train, os.path.join(d, "synth.csv"),
                                 "--holdout", holdout, "--label", label, "-o", evaluation])
                record.update(read_evaluation(evaluation))
                record["evaluate_wall_seconds"] = eval_s
                done.append((record, os.path.join(d, "synth.csv")))
                log(f"  {method} seed {seed}: fit+sample {timing['fit_sample']:.2f} s, "
                    f"quality {record['doppel_quality']:.3f}")
            except StepFailed as failure:
                record["error"] = str(failure)
                record["timed_out"] = str(failure).startswith("timed out")
                log(f"  {method} seed {seed}: {'SKIPPED' if record['timed_out'] else 'FAILED'} "
                    f"{failure}")
            results.append(record)
            save(record, saved)
            record["kept"] = False

        done = [(r, p) for r, p in done if r.get("sdmetrics_quality") is None]
        if done:
            log(f"  SDMetrics QualityReport on {len(done)} files")
            try:
                _, stdout = run([sys.executable, "-c", SCORE_SCRIPT, train]
                                + [p for _, p in done])
                scores = {}
                for line in stdout.splitlines():
                    if line.startswith("{"):
                        item = json.loads(line)
                        scores[item["path"]] = item
                for record, path in done:
                    item = scores.get(path, {})
                    record["sdmetrics_quality"] = item.get("quality")
                    record["sdmetrics_column_shapes"] = item.get("column_shapes")
                    record["sdmetrics_pair_trends"] = item.get("column_pair_trends")
                    save(record, os.path.join(os.path.dirname(path), "run.json"))
            except StepFailed as failure:
                log(f"  SDMetrics failed: {failure}")
                notes.append(f"{name}: SDMetrics scoring failed")
        write_results(args, results, notes, seeds, started)
    write_results(args, results, notes, seeds, started, echo=True)

    failed = [r for r in results if "error" in r and not r["timed_out"]]
    if failed:
        log(f"{len(failed)} run(s) failed; see {args.out}/results.json")
        sys.exit(1)


def save(record, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(record, f, indent=2)
    os.replace(tmp, path)


def write_results(args, results, notes, seeds, started, echo=False):
    """Writes (and prints) the table of the runs so far: means over seeds per dataset x method."""
    out = args.out
    # Aggregate: mean over seeds per dataset x method.
    rows, order = {}, []
    for r in results:
        key = (r["dataset"], r["method"])
        if key not in rows:
            rows[key] = []
            order.append(key)
        rows[key].append(r)
    fields = ["sdmetrics_quality", "doppel_quality", "column_shapes", "pair_trends",
              "tstr_f1_macro", "tstr_accuracy", "trtr_f1_macro", "trtr_accuracy",
              "exact_copy_rate", "dcr_share_closer_to_train", "sdmetrics_column_shapes",
              "sdmetrics_pair_trends"]
    summary = []
    for key in order:
        ok = [r for r in rows[key] if "error" not in r]
        entry = {"dataset": key[0], "method": key[1], "label": rows[key][0]["label"],
                 "seeds": [r["seed"] for r in ok],
                 "failed": [{"seed": r["seed"], "error": r["error"]}
                            for r in rows[key] if "error" in r]}
        entry["fit_sample_seconds"] = mean([r["seconds"]["fit_sample"] for r in ok])
        for field in fields:
            entry[field] = mean([r.get(field) for r in ok])
        summary.append(entry)

    header = ("| dataset | method | seeds | fit+sample s | SDMetrics quality | Doppel quality | "
              "column shapes | pair trends | TSTR macro F1 | TRTR macro F1 | exact copies % | "
              "DCR share closer to train |")
    lines = [header, "|" + " --- |" * 2 + " ---: |" * 10]
    for e in summary:
        if not e["seeds"]:
            reason = e["failed"][0]["error"].splitlines()[0] if e["failed"] else "not run"
            verdict = "skipped" if reason.startswith("timed out") else "failed"
            lines.append(f"| {e['dataset']} | {e['method']} | – | {verdict}: {reason} |"
                         + " – |" * 8)
            continue
        lines.append(
            f"| {e['dataset']} | {e['method']} | {len(e['seeds'])} | "
            f"{fmt(e['fit_sample_seconds'], 2)} | {fmt(e['sdmetrics_quality'])} | "
            f"{fmt(e['doppel_quality'])} | {fmt(e['column_shapes'])} | {fmt(e['pair_trends'])} | "
            f"{fmt(e['tstr_f1_macro'])} | {fmt(e['trtr_f1_macro'])} | "
            f"{fmt(e['exact_copy_rate'], percent=True)} | "
            f"{fmt(e['dcr_share_closer_to_train'])} |")
    total = time.perf_counter() - started
    kept = sum(1 for r in results if r.get("kept"))
    if kept:
        notes = notes + [f"{kept} of {len(results)} runs kept from earlier invocations (--reuse); "
                         "each run's start time is in results.json"]
    labels = ", ".join(f"{n} → `{DATASETS[n][1]}`" for n in DATASETS)
    text = "\n".join(
        ["# Statistical synthesizers against peers", "",
         f"Same 80/20 split (seed {SPLIT_SEED}), same machine, same run. Labels: {labels}. "
         f"Doppel seeds {args.seeds} (means), peers seed {args.peer_seed}. Quality, shapes and "
         "trends are in [0, 1]; SDMetrics quality is SDMetrics' QualityReport score; the other "
         "columns come from `doppel evaluate`. DCR share: 0.5 is ideal.", ""]
        + lines + [""] + [f"- {n}" for n in notes]
        + [f"- this invocation: {total:.0f} s wall", ""])
    if echo:
        print(text, flush=True)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"split_seed": SPLIT_SEED, "seeds": seeds, "peer_seed": args.peer_seed,
                   "notes": notes, "run_seconds": total, "summary": summary, "runs": results},
                  f, indent=2)


if __name__ == "__main__":
    main()
