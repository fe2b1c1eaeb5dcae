#!/bin/sh
# settings carried by graph files (TAP).
exec python3 "$GDV_SRCDIR/tests/workflow/settings.py"
