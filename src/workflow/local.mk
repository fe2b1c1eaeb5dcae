# (filled in by the workflow layer)
GDV_WORKFLOW_LIBS =
