# tests of the mnist layer
