# styles: installed to $(pkgdatadir)/styles; `--style NAME` finds them there
# (and beside the binary when run from a build tree).
stylesdir = $(pkgdatadir)/styles
dist_styles_DATA = \
	styles/default.style \
	styles/print.style \
	styles/dark.style \
	styles/cs231n.style \
	styles/README
GDV_TREE_FILES += $(dist_styles_DATA)
