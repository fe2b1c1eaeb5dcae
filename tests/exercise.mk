# tests of exercises: worksheets and their keys, student variants, grading
# with causes, and the worksheet page in headless Chromium (skipped
# without /usr/bin/chromium).
TESTS += tests/teach/worksheet.sh tests/core/grade.sh
SLOW_TESTS += tests/teach/worksheet_page.sh
EXTRA_DIST += tests/teach/worksheet.sh tests/teach/worksheet.py tests/core/grade.sh \
	tests/teach/worksheet_page.sh tests/teach/worksheet_page.py tests/teach/worksheet_tap.py
clean-local: clean-local-worksheet-page
clean-local-worksheet-page:
	rm -rf tests/worksheet-page.tmp
.PHONY: clean-local-worksheet-page
