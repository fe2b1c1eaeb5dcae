# tests of the core layer
