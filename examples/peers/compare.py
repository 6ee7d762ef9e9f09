"""Latent against TensorFlow, libtorch and PyTorch on the seed models, in one run of interleaved rounds.

Not a dependency of Latent: a side-by-side measurement on the same machine (issue 18's acceptance).
Run from the repository root after building Latent and the peers:

    mvn -B -q -DskipTests package                  # examples/target/latent-examples.jar
    mvn -B -q -f peers/pom.xml package             # TF Java and libtorch (about 500 MB of downloads)
    python3 examples/peers/compare.py              # about 15 minutes with 3 rounds

Each round runs every peer once, the order rotated each round (so that no peer always runs first
or last, after the same neighbour), each in its own process, on the same digits and protocol:
batch 64, Adam 1e-3, fresh Gaussian noise clipped to [0, 1] every batch, 8,000 training digits
for the dense models and 1,920 for the conv model per epoch, 4 epochs, samples/s = the median of
epochs 2 to 4 (the first is the warm-up):

- Latent: `java -jar examples/target/latent-examples.jar --threads N bench --trainer-only`, the
  generated trainers (dense models on one thread, the conv model on N: Latent's own choice);
- TensorFlow 2.18 through TF Java, graph mode (peers/tensorflow), N intra-op threads;
- libtorch 2.10 through JavaCPP's presets (peers/libtorch), torch::set_num_threads(N), the conv
  model channels last;
- PyTorch from Debian (examples/pytorch/seed_reference.py), torch.set_num_threads(N).

Every process gets OPENBLAS_NUM_THREADS=1 (two OpenBLAS threads on top of OpenMP's oversubscribe
two cores) and OMP_WAIT_POLICY=passive (spinning OpenMP threads collapse when another process
takes a core; Latent's command line sets the same for itself). Prints each round, then per model
the median samples/s of each peer, Latent / peer as the median of per-round ratios (with their
range), and Latent's share of the machine's GEMM peak (bench's 1024^3 GEMM, the best of the run).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

MODELS = ["SeedExample1", "SeedExample2", "SeedExample3"]
PEERS = ["latent", "tensorflow", "libtorch", "pytorch"]
TITLES = {"latent": "Latent", "tensorflow": "TensorFlow 2.18 (TF Java)", "libtorch": "libtorch 2.10 (JavaCPP)",
          "pytorch": "PyTorch (Debian)"}
EPOCHS = 4
CONV_SAMPLES = 1920
JAR = "examples/target/latent-examples.jar"
LINE = re.compile(r"^(SeedExample\d): ([\d,]+\.\d) samples/s over .*?(?:; ([\d.]+)% of the GEMM peak; ([\d.]+) MFLOP per sample)?"
                  r"(?:; test MSE after them ([\d.naN]+))?$")
GEMM = re.compile(r"^GEMM \(1024\^3, float\): ([\d.]+) GFLOP/s")


def java_peer(module, main_class):
    return ["java", "-cp", f"peers/{module}/target/classes:peers/{module}/target/lib/*", main_class]


def command(peer, models, threads):
    joined = ",".join(models)
    if peer == "latent":
        return ["java", "-jar", JAR, "--threads", str(threads), "bench", "--trainer-only", "--models", joined]
    if peer == "tensorflow":
        return java_peer("tensorflow", "dev.latent.peers.tensorflow.TensorFlowSeedPeer") + [
            "--threads", str(threads), "--epochs", str(EPOCHS), "--models", joined]
    if peer == "libtorch":
        return java_peer("libtorch", "dev.latent.peers.libtorch.LibtorchSeedPeer") + [
            "--threads", str(threads), "--epochs", str(EPOCHS), "--models", joined, "--channels-last"]
    return ["/usr/bin/python3", "examples/pytorch/seed_reference.py", "--threads", str(threads), "--epochs", str(EPOCHS),
            "--conv-samples", str(CONV_SAMPLES), "--models", joined]


def environment():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_WAIT_POLICY="passive", TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("OMP_NUM_THREADS", None)
    return env


def check_built(peers):
    missing = []
    if "latent" in peers and not os.path.isfile(JAR):
        missing.append(f"{JAR} (mvn -B -q -DskipTests package)")
    for peer in ("tensorflow", "libtorch"):
        if peer in peers and not os.path.isdir(f"peers/{peer}/target/lib"):
            missing.append(f"peers/{peer}/target (mvn -B -q -f peers/pom.xml package)")
    if "pytorch" in peers and subprocess.run(["/usr/bin/python3", "-c", "import torch"], capture_output=True).returncode:
        missing.append("Debian's PyTorch (apt-get install -y python3-torch libopenblas0-pthread)")
    if missing:
        sys.exit("compare.py: not built: " + "; ".join(missing) + ". Build them, or leave them out with --peers.")


def run_peer(peer, models, threads, timeout):
    """Samples/s per model (None where the peer failed), and for Latent the GEMM GFLOP/s and MFLOP per sample."""
    started = time.perf_counter()
    try:
        done = subprocess.run(command(peer, models, threads), capture_output=True, text=True, timeout=timeout,
                              env=environment())
        output, failed = done.stdout, done.returncode != 0
        errors = done.stderr
    except subprocess.TimeoutExpired as e:
        output = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        failed, errors = True, f"timed out after {timeout} s"
    rates, flops, gemm = {}, {}, None
    for line in output.splitlines():
        m = LINE.match(line.strip())
        if m:
            rates[m.group(1)] = float(m.group(2).replace(",", ""))
            if m.group(4):
                flops[m.group(1)] = float(m.group(4))
        g = GEMM.match(line.strip())
        if g:
            gemm = float(g.group(1))
    if failed or len(rates) < len(models):
        tail = "\n    ".join((errors or output).strip().splitlines()[-5:])
        print(f"  {peer} failed (some models missing):\n    {tail}", flush=True)
    return rates, flops, gemm, time.perf_counter() - started


def extract_libtorch_natives(threads):
    """JavaCPP's libtorch crashes on its first start after extracting its natives: start it once first."""
    for _ in range(2):
        done = subprocess.run(command("libtorch", ["SeedExample1"], threads)[:-1] + ["--epochs", "2"], capture_output=True,
                              text=True, timeout=600, env=environment())
        if done.returncode == 0:
            return
    sys.exit("compare.py: libtorch does not start: " + (done.stderr or done.stdout).strip().splitlines()[-1])


def median_ratio(latent, peer):
    ratios = [a / b for a, b in zip(latent, peer) if a is not None and b is not None]
    return (statistics.median(ratios), min(ratios), max(ratios)) if ratios else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated, of " + ", ".join(MODELS))
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated, of " + ", ".join(PEERS))
    parser.add_argument("--timeout", type=int, default=900, help="seconds a peer's process may take in one round")
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    models, peers = args.models.split(","), args.peers.split(",")
    if set(models) - set(MODELS) or set(peers) - set(PEERS) or args.rounds < 1:
        parser.error(f"--models takes {', '.join(MODELS)}; --peers takes {', '.join(PEERS)}; --rounds at least 1")
    if "latent" not in peers:
        parser.error("--peers must include latent: the ratios are Latent's")
    check_built(peers)
    began = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    print(f"compare.py {began:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, load average {load_before[0]:.1f} {load_before[1]:.1f}"
          f" {load_before[2]:.1f}; {args.rounds} rounds of {', '.join(peers)}; {args.threads} threads", flush=True)
    if "libtorch" in peers:
        extract_libtorch_natives(args.threads)
    results = {p: {m: [None] * args.rounds for m in models} for p in peers}
    flops, gemms = {}, []
    for r in range(args.rounds):
        order = peers[r % len(peers):] + peers[:r % len(peers)]
        print(f"round {r + 1}: {' -> '.join(order)}", flush=True)
        for peer in order:
            rates, peer_flops, gemm, seconds = run_peer(peer, models, args.threads, args.timeout)
            for m, rate in rates.items():
                results[peer][m][r] = rate
            flops.update(peer_flops)
            if gemm:
                gemms.append(gemm)
            print(f"  {peer:<10} " + "  ".join(f"{m} {rates.get(m, float('nan')):>10,.1f}" for m in models)
                  + (f"  (GEMM {gemm:.1f} GFLOP/s)" if gemm else "") + f"  [{seconds:.0f} s]", flush=True)
    load_after = os.getloadavg()
    peak = max(gemms) if gemms else float("nan")
    print()
    print(f"training samples/s, medians of {args.rounds} interleaved rounds (each: median of epochs 2 to {EPOCHS});"
          f" Latent / peer = median of per-round ratios (range)")
    header = f"{'model':<13} {'Latent':>9} {'% peak':>7}" + "".join(f" {TITLES[p]:>34}" for p in peers if p != "latent")
    print(header)
    rows = []
    for m in models:
        latent = results["latent"][m]
        done = [v for v in latent if v is not None]
        latent_median = statistics.median(done) if done else float("nan")
        share = latent_median * flops.get(m, float("nan")) * 1e6 / (peak * 1e9)
        row = {"model": m, "latent": latent_median, "fraction_of_peak": share, "mflop_per_sample": flops.get(m), "peers": {}}
        cells = []
        for p in peers:
            if p == "latent":
                continue
            values = [v for v in results[p][m] if v is not None]
            rate = statistics.median(values) if values else float("nan")
            ratio = median_ratio(latent, results[p][m])
            row["peers"][p] = {"samples_per_s": rate, "latent_over_peer": ratio[0] if ratio else None,
                               "ratio_min": ratio[1] if ratio else None, "ratio_max": ratio[2] if ratio else None,
                               "rounds": results[p][m]}
            cells.append(f"{rate:>10,.1f} ({ratio[0]:.2f}x, {ratio[1]:.2f}-{ratio[2]:.2f})" if ratio
                         else f"{rate:>10,.1f} (no ratio)")
        print(f"{m:<13} {latent_median:>9,.1f} {100 * share:>6.1f}%" + "".join(f" {c:>34}" for c in cells))
        row["latent_rounds"] = latent
        rows.append(row)
    print(f"(% peak: Latent's MFLOP per sample x samples/s over the best GEMM of the run, {peak:.1f} GFLOP/s;"
          f" GEMM per round {', '.join(f'{g:.0f}' for g in gemms)}; load average {load_before[0]:.1f} before,"
          f" {load_after[0]:.1f} after; {(datetime.now(timezone.utc) - began).total_seconds() / 60:.1f} min)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"began_utc": began.isoformat(), "rounds": args.rounds, "threads": args.threads, "gemm_gflops": gemms,
                       "load_before": load_before, "load_after": load_after, "models": rows}, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
