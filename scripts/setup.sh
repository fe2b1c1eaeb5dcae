#!/bin/sh
# From a fresh Debian 12 checkout to rendered examples: installs the build
# dependencies (apt-get, through sudo when not root), builds gradviz in
# build/normal (the folder scripts/test.sh builds in too, so it starts from
# there), links ./gradviz to the binary so the README's `./gradviz ...`
# commands work from this folder, and renders every example into
# examples/gallery. The source folder itself is never configured: a VPATH
# build (test.sh's sanitizer build, make distcheck) refuses a configured
# source folder. Safe to run again.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/install-deps.sh
# An older setup.sh configured the source folder in place: undo that once.
if [ -f config.status ]; then
  echo "setup: the source folder was configured in place by an older setup; cleaning it (make distclean)"
  make distclean >/dev/null 2>&1 || rm -f config.status Makefile config.h
fi
if [ ! -x configure ] || [ configure.ac -nt configure ]; then autoreconf -fi; fi
mkdir -p build/normal
cd build/normal
[ -f Makefile ] || ../../configure
make -j"$(nproc 2>/dev/null || echo 2)"
make examples GDV_GALLERY="$top/examples/gallery"
cd "$top"
ln -sfn build/normal/gradviz gradviz
echo
echo "gradviz is built: ./gradviz --help"
echo "the examples are rendered in examples/gallery/ (see examples/GALLERY.md)"
