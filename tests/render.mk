# tests of the render layer
