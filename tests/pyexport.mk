# tests of python/gradviz_export.py: micrograd-style graphs (standard
# library) and PyTorch graphs (Debian's python3-torch, /usr/bin/python3),
# each exported and read back by the built gradviz (eval, check, render).
TESTS += tests/pyexport.sh tests/pyexport_torch.sh
EXTRA_DIST += tests/pyexport.sh tests/pyexport.py tests/pyexport_torch.sh \
	tests/pyexport_torch.py tests/pyexport_tap.py
