#!/bin/sh
# Installs the Debian 12 packages gradviz needs to build, test and render.
# Run as root (or through sudo). Safe to run again: apt-get skips what is there.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
PKGS="build-essential autoconf automake libtool pkg-config \
libgraphviz-dev graphviz libcairo2-dev libfontconfig-dev libpng-dev check \
fonts-dejavu-core librsvg2-bin poppler-utils python3"
# make fuzz: clang and its libFuzzer runtime
PKGS="$PKGS clang libclang-rt-14-dev"
# GNU parallel: tests/batch/shard.sh runs batch shards side by side.
PKGS="$PKGS parallel"
# Text in any script: Pango (shaping, font fallback) and a CJK font, so a
# Chinese label draws with real glyphs (5 MB, against 91 for fonts-noto-cjk).
PKGS="$PKGS libpango1.0-dev fonts-wqy-microhei"
# Browser tests of the SVG and HTML pages (headless Chromium), xmllint for
# well-formed SVG, and PyTorch for the Python exporter's tests (Debian's
# python3-torch, used through /usr/bin/python3).
PKGS="$PKGS chromium libxml2-utils python3-torch"
# Animated GIFs (giflib, MIT); pdflatex with TikZ, Beamer (in
# texlive-latex-recommended) and the standalone class (texlive-latex-extra)
# for the tests of -o x.tex; python3-venv and pip to test `pip install
# ./python` in a temporary environment.
PKGS="$PKGS libgif-dev texlive-latex-base texlive-latex-recommended texlive-pictures texlive-latex-extra"
PKGS="$PKGS python3-venv python3-pip"
# valgrind: tests/cli/valgrind.sh (skipped without it)
VALGRIND_PKGS="valgrind"
PKGS="$PKGS $VALGRIND_PKGS"
# Skip the slow index update when every package is already installed.
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
