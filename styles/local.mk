# styles: installed to $(pkgdatadir)/styles; `--style NAME` finds them there
# (and in the source tree when run from a build tree).
stylesdir = $(pkgdatadir)/styles
dist_styles_DATA = \
	styles/default.style \
	styles/print.style \
	styles/dark.style \
	styles/cs231n.style \
	styles/README
