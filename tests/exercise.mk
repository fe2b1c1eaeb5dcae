# tests of exercises: worksheets and their keys, student variants, grading
# with causes, and the worksheet page in headless Chromium (skipped
# without /usr/bin/chromium).
TESTS += tests/worksheet.sh tests/grade.sh tests/worksheet_page.sh
EXTRA_DIST += tests/worksheet.sh tests/worksheet.py tests/grade.sh \
	tests/worksheet_page.sh tests/worksheet_page.py tests/worksheet_tap.py
clean-local: clean-local-worksheet-page
clean-local-worksheet-page:
	rm -rf tests/worksheet-page.tmp
.PHONY: clean-local-worksheet-page
