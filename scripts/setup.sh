#!/bin/sh
# From a fresh Debian 12 checkout to rendered examples: installs the build
# dependencies (apt-get, through sudo when not root), builds gradviz in the
# source tree and renders every example into out/examples.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/install-deps.sh
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure
make -j"$(nproc 2>/dev/null || echo 2)"
make examples
echo
echo "gradviz is built: ./gradviz --help"
echo "the examples are rendered in examples/gallery/ (see examples/GALLERY.md)"
