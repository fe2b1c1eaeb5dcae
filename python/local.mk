# python: gradviz_export.py, the notebook exporter (one file, standard
# library only), installed as data where a notebook finds it by path:
# sys.path.insert(0, "$(pkgdatadir)/python").
gdvpythondir = $(pkgdatadir)/python
dist_gdvpython_DATA = python/gradviz_export.py
