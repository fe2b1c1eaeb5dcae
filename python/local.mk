# python: gradviz_export.py, the notebook exporter (one file, standard
# library only), installed as data where a notebook finds it by path:
# sys.path.insert(0, "$(pkgdatadir)/python").
gdvpythondir = $(pkgdatadir)/python
dist_gdvpython_DATA = python/gradviz_export.py
# ... and a normal Python package (pip install ./python): pyproject.toml
# with a build backend of the standard library (gradviz_build.py), so
# nothing is fetched to build it.
EXTRA_DIST += python/pyproject.toml python/gradviz_build.py python/README.md
