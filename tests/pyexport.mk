# tests of python/gradviz_export.py: micrograd-style graphs (standard
# library) and PyTorch graphs (Debian's python3-torch, /usr/bin/python3),
# each exported and read back by the built gradviz (eval, check, render).
TESTS += tests/python/pyexport.sh
SLOW_TESTS += tests/python/pyexport_torch.sh
EXTRA_DIST += tests/python/pyexport.sh tests/python/pyexport.py tests/python/pyexport_torch.sh \
	tests/python/pyexport_torch.py tests/python/pyexport_tap.py tests/python/micrograd.py
