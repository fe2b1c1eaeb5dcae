# tests of the workflow layer
