#!/bin/sh
# `gradviz worksheet` and --variant: sheet and key from one layout, no
# answer leaked, boxes clear of everything, variants (TAP; see the .py).
exec "${GDV_PYTHON:-python3}" "$GDV_SRCDIR/tests/teach/worksheet.py"
