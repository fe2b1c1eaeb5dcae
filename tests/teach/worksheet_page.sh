#!/bin/sh
# The worksheet as a page in headless Chromium: typing right and wrong
# answers, the feedback grade gives, no answer in the page (TAP; see the .py).
exec "${GDV_PYTHON:-python3}" "$GDV_SRCDIR/tests/teach/worksheet_page.py"
