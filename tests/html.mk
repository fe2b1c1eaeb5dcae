# tests of the interactive page (-o FIG.html) in a real browser: headless
# Chromium driven over the DevTools protocol by tests/html/cdp.py (Python
# standard library only; skipped when /usr/bin/chromium is missing). The
# page's script, src/render/formats/html/gradviz.js, is first compiled by
# the browser's V8 as a syntax check (no npm, no node needed).
SLOW_TESTS += tests/teach/html_pages.sh
EXTRA_DIST += tests/teach/html_pages.sh tests/teach/html_pages.py tests/html/cdp.py \
	tests/data/html/fanout.dot tests/data/html/nan.dot tests/data/html/groups.expr
clean-local: clean-local-html-pages
clean-local-html-pages:
	rm -rf tests/html-pages.tmp
.PHONY: clean-local-html-pages
