"""PyTorch peer of `bench --matrix`: the engine matrix's six small models, trained the same way.

Not a dependency of Latent: a side-by-side measurement on the same machine. Needs Debian's
PyTorch (`apt-get install -y python3-torch libopenblas0-pthread`), run with Debian's Python
from the repository root, straight after `java -jar examples/target/latent-examples.jar bench --matrix`:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 examples/pytorch/engine_matrix.py --threads 2

Each model is the one declared in examples/.../bench/matrix/ (same layers, channels, kernels,
'same' padding, activations; PyTorch's own initialisation). Training as the Java matrix does it:
2,048 digits, batch 64, Adam 1e-3, fresh Gaussian noise of 0.2 clipped to [0, 1] every batch,
shuffled every epoch; images channels last, as Keras keeps them; a measurement is a fresh model, two untimed batches, then up to 96 timed
batches, stopping after 8 s (at least 8); samples/s is the median over 5 rounds (3 with --quick).
The dense model trains with L2 of 1e-4 on its weights (added to the gradient, as DL4J's l2) and
each parameter's gradient clipped to an L2 norm of 1.0 (Keras' clipnorm). Prints one line per
model and a table; --json FILE writes the numbers.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

# The seed reference's IDX reader; Python puts this script's folder on the import path.
from seed_reference import read_idx

DIGITS = "examples/src/main/resources/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz"
SAMPLES = 2048
BATCH = 64
MAX_BATCHES = 3 * SAMPLES // BATCH
WARMUP_BATCHES = 2
MIN_BATCHES = 8
SIGMA = 0.2


def conv_chain(middle=None, after_pool=None):
    """Conv 16-8 with pooling down to {7, 7, 8}, convolutions and nearest upsampling back."""
    layers = [nn.Conv2d(1, 16, 3, padding=1), nn.ReLU()]
    layers += middle or []
    layers += [nn.MaxPool2d(2)]
    layers += after_pool or []
    layers += [nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
               nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
               nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
               nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid()]
    return nn.Sequential(*layers)


def sequence_conv():
    """Conv1D 32-16 (kernel 5) over 28 steps of 28 features, channels first as Keras' features."""
    return nn.Sequential(
        nn.Conv1d(28, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 16, 5, padding=2), nn.ReLU(),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
        nn.Conv1d(32, 28, 5, padding=2), nn.Sigmoid())


class SequenceLstm(nn.Module):
    """Two LSTMs of 64 returning sequences, each step back to 28 values (a Conv1D of kernel 1)."""

    def __init__(self):
        super().__init__()
        self.lstm1 = nn.LSTM(28, 64, batch_first=True)
        self.lstm2 = nn.LSTM(64, 64, batch_first=True)
        self.rows = nn.Linear(64, 28)

    def forward(self, x):
        x, _ = self.lstm1(x)
        x, _ = self.lstm2(x)
        return torch.sigmoid(self.rows(x))


def dense():
    return nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
        nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid())


def adam(model, l2):
    weights = [p for name, p in model.named_parameters() if not name.endswith("bias")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    return torch.optim.Adam([{"params": weights, "weight_decay": l2}, {"params": biases, "weight_decay": 0.0}],
                            lr=1e-3, eps=1e-7)


def images(d):
    # Channels last, as Keras keeps images: PyTorch's oneDNN convolutions ran the conv chain 4.5
    # times faster so than on NCHW (6,525 against 1,441 samples/s, one thread).
    return d.unsqueeze(1).contiguous(memory_format=torch.channels_last)


# name, what, model factory, samples' view of the [n, 28, 28] digits, L2, clipping
MODELS = [
    ("ConvChain", "conv 16-8 / upsampling decoder", conv_chain, images, 0.0, 0.0),
    ("ConvChainBatchNorm", "the same + BatchNormalization",
     lambda: conv_chain(middle=[nn.BatchNorm2d(16, eps=1e-3, momentum=0.01)]), images, 0.0, 0.0),
    ("ConvChainDropout", "the same + Dropout(0.1)", lambda: conv_chain(after_pool=[nn.Dropout(0.1)]), images, 0.0, 0.0),
    # Keras' {T, F} = {rows, columns}; Conv1d wants features as channels: [n, columns, rows].
    ("SequenceConv", "Conv1D 32-16 k5 on 28x28 steps", sequence_conv,
     lambda d: d.transpose(1, 2).contiguous(), 0.0, 0.0),
    ("SequenceLstm", "LSTM 64-64 + Conv1D k1", SequenceLstm, lambda d: d.contiguous(), 0.0, 0.0),
    ("DenseRegularised", "784-128-32-128-784, L2 1e-4, clip 1.0", dense, lambda d: d.reshape(len(d), 784), 1e-4, 1.0),
]


def train(factory, data, l2, clip, max_batches, seconds, seed):
    torch.manual_seed(seed)
    model = factory()
    if data.dim() == 4:
        model = model.to(memory_format=torch.channels_last)
    model.train()
    optimizer = adam(model, l2)
    loss_fn = nn.MSELoss()
    n = len(data)
    order = torch.randperm(n)
    at = 0
    timed = 0
    start = 0.0
    loss = float("nan")
    for b in range(WARMUP_BATCHES + max_batches):
        if b == WARMUP_BATCHES:
            start = time.perf_counter()
        elif b > WARMUP_BATCHES and timed >= MIN_BATCHES and time.perf_counter() - start > seconds:
            break
        if at + BATCH > n:
            order = torch.randperm(n)
            at = 0
        clean = data[order[at:at + BATCH]]
        if data.dim() == 4:
            clean = clean.contiguous(memory_format=torch.channels_last)
        at += BATCH
        noisy = (clean + SIGMA * torch.randn_like(clean)).clamp_(0, 1)
        optimizer.zero_grad(set_to_none=True)
        out = loss_fn(model(noisy), clean)
        out.backward()
        if clip > 0:
            for p in model.parameters():
                torch.nn.utils.clip_grad_norm_(p, clip)
        optimizer.step()
        loss = out.item()
        if b >= WARMUP_BATCHES:
            timed += 1
    return timed * BATCH / (time.perf_counter() - start), timed, loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--models", help="only these models, comma-separated (as bench --matrix --models)")
    args = parser.parse_args()
    wanted = set(args.models.split(",")) if args.models else {m[0] for m in MODELS}
    unknown = wanted - {m[0] for m in MODELS}
    if unknown:
        parser.error(f"no model {', '.join(sorted(unknown))}; the matrix has {', '.join(m[0] for m in MODELS)}")
    torch.set_num_threads(args.threads)
    rounds = 3 if args.quick else 5
    seconds = 4.0 if args.quick else 8.0
    digits = torch.tensor(read_idx(DIGITS)[:SAMPLES], dtype=torch.float32) / 255.0
    print(f"PyTorch {torch.__version__}, {args.threads} threads; engine matrix: {SAMPLES:,} digits, batch {BATCH},"
          f" Adam 1e-3, gaussian noise {SIGMA}; {rounds} rounds; a measurement trains up to {MAX_BATCHES} batches,"
          f" stopping after {seconds:.0f} s (at least {MIN_BATCHES})")
    rows = []
    for name, what, factory, view, l2, clip in MODELS:
        if name not in wanted:
            continue
        data = view(digits)
        params = sum(p.numel() for p in factory().parameters())
        train(factory, data, l2, clip, MIN_BATCHES, seconds, 0)
        rates = []
        for r in range(rounds):
            rate, batches, loss = train(factory, data, l2, clip, MAX_BATCHES, seconds, 42)
            rates.append(rate)
            print(f"  {name} round {r + 1}: PyTorch {rate:9,.1f} samples/s ({batches} batches, loss {loss:.4f})")
        rows.append({"model": name, "description": what, "params": params, "rounds": rounds,
                     "pytorch_samples_per_s": round(statistics.median(rates), 2),
                     "pytorch_min": round(min(rates), 2), "pytorch_max": round(max(rates), 2)})
    print()
    print(f"{'model':<19} {'':<38} {'params':>8} {'PyTorch/s':>11}")
    for r in rows:
        print(f"{r['model']:<19} {r['description']:<38} {r['params']:>8,} {r['pytorch_samples_per_s']:>11,.1f}")
    print(f"(training samples/s, medians over {rounds} rounds; PyTorch {torch.__version__}, {args.threads} threads)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"pytorch": torch.__version__, "threads": args.threads, "samples": SAMPLES, "batch_size": BATCH,
                       "quick": args.quick, "models": rows}, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
