# (filled in by the render layer)
GDV_RENDER_LIBS =
