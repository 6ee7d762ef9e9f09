"""PyTorch reference for `bench`: the seed's dense and conv models, trained the same way.

Not a dependency of Latent: a side-by-side measurement on the same machine. Needs Debian's
PyTorch (`apt-get install -y python3-torch`), run with Debian's Python:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 examples/pytorch/seed_reference.py --threads 2

Prints training samples/s (batch 64, Adam 1e-3, fresh clipped Gaussian noise every batch) on
the embedded MNIST digits, and the test MSE after one epoch as a sanity check.
"""
import argparse
import gzip
import statistics
import struct
import time

import numpy as np
import torch
from torch import nn

DIGITS = "examples/src/main/resources/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    _, _, _, rank = struct.unpack(">BBBB", data[:4])
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def dense():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
        nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid(), nn.Unflatten(1, (1, 28, 28)))


def conv():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
        # padding 1 and output_padding 1 give Keras' 'same' for a 3x3 kernel and stride 2.
        nn.ConvTranspose2d(64, 64, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid())


def measure(name, model, train, test, sigma, samples, epochs):
    torch.manual_seed(42)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.MSELoss()
    x = train[:samples]
    order = torch.randperm(len(x))
    # One warm-up step, then the timed pass.
    batch = x[order[:64]]
    loss_fn(model(batch), batch).backward()
    optimizer.zero_grad()
    rates = []
    for epoch in range(epochs):
        if epoch > 0:
            order = torch.randperm(len(x))
        start = time.perf_counter()
        for i in range(0, len(x), 64):
            clean = x[order[i:i + 64]]
            noisy = (clean + sigma * torch.randn_like(clean)).clamp_(0, 1)
            optimizer.zero_grad()
            loss = loss_fn(model(noisy), clean)
            loss.backward()
            optimizer.step()
        rates.append(len(x) / (time.perf_counter() - start))
    with torch.no_grad():
        g = torch.Generator().manual_seed(43)
        noisy = (test + sigma * torch.randn(test.shape, generator=g)).clamp(0, 1)
        mse = loss_fn(model(noisy), test).item()
    if epochs == 1:
        print(f"{name}: {rates[0]:,.1f} samples/s over {len(x):,} samples; test MSE after them {mse:.4f}")
    else:
        # As the other peers (examples/peers/): the first epoch is a warm-up, the rest give the median.
        rate = statistics.median(rates[1:])
        print(f"{name}: {rate:,.1f} samples/s over {len(x):,} samples (median of epochs 2 to {epochs});"
              f" test MSE after them {mse:.4f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1,
                        help="epochs per model; above 1, samples/s is the median of epochs 2 to N (examples/peers/compare.py)")
    parser.add_argument("--conv-samples", type=int, default=1280, help="training samples of the conv model per epoch")
    parser.add_argument("--models", default="SeedExample1,SeedExample2,SeedExample3", help="comma-separated")
    args = parser.parse_args()
    models = args.models.split(",")
    unknown = set(models) - {"SeedExample1", "SeedExample2", "SeedExample3"}
    if unknown:
        parser.error(f"no model {', '.join(sorted(unknown))}; use SeedExample1, SeedExample2, SeedExample3")
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    torch.set_num_threads(args.threads)
    images = torch.tensor(read_idx(DIGITS), dtype=torch.float32).unsqueeze(1) / 255.0
    train, test = images[:8000], images[8000:]
    print(f"PyTorch {torch.__version__}, {args.threads} threads")
    runs = {"SeedExample1": (dense, 0.5, 8000), "SeedExample2": (dense, 2.0, 8000),
            "SeedExample3": (conv, 0.2, args.conv_samples)}
    for name in models:
        factory, sigma, samples = runs[name]
        measure(name, factory(), train, test, sigma, samples, args.epochs)


if __name__ == "__main__":
    main()
