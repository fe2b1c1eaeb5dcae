/* gdv_gif.c: an animated GIF of figures drawn from one layout (the frames
 * of --steps), written with giflib. GIF has 256 colours: one palette is
 * chosen for all the frames from the colours they draw (a first pass over
 * every frame), the most used first (a style's exact colours: background,
 * boxes, text), then the anti-aliased blends spread over what is left,
 * and every pixel takes its nearest colour, without dithering, so text
 * keeps clean edges and flat areas stay flat. A frame after the first is
 * only the rectangle that changed, its unchanged pixels transparent (runs
 * of one index, which LZW packs well): the 13 frames of the neuron are
 * about as large as two full ones. */
#include <gif_lib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Colours the palette holds; one more index is the transparent one. */
#define PALETTE_MAX 255
/* Colours considered for the palette, the most used first. */
#define CANDIDATES 4096

/* One colour seen: its count and, once the palette is made, its index. */
typedef struct colour_slot {
  uint32_t rgb;     /* 0xRRGGBB */
  uint32_t used;
  uint64_t count;
  int index;        /* in the palette; -1 until mapped */
} colour_slot;

struct gdv_gif {
  colour_slot *slots;       /* open addressing, a power of two */
  size_t n_slots, n_colours;
  uint32_t palette[PALETTE_MAX];
  size_t n_palette;
  int palette_made;
  GifFileType *file;        /* open from the first frame written */
  FILE *out;
  int width, height;        /* every frame's */
  uint8_t *prev;            /* the last frame's indices */
  uint8_t *cur;
  size_t frames;
};

/* A pixel of an image surface as 0xRRGGBB (with alpha: over white). */
static uint32_t pixel_rgb(uint32_t p, int alpha) {
  if (!alpha) return p & 0xFFFFFF;
  uint32_t a = p >> 24, w = 255 - a;
  /* premultiplied: colour + (1 - alpha) * white */
  return (((p >> 16 & 0xFF) + w) << 16) | (((p >> 8 & 0xFF) + w) << 8) | ((p & 0xFF) + w);
}

/* The slot of colour rgb (made when missing); NULL when out of memory. */
static colour_slot *slot_of(gdv_gif *g, uint32_t rgb) {
  if (g->n_colours * 2 >= g->n_slots) {
    size_t n = g->n_slots ? g->n_slots * 2 : 4096;
    colour_slot *t = calloc(n, sizeof *t);
    if (t == NULL) return NULL;
    for (size_t i = 0; i < g->n_slots; i++) {
      if (!g->slots[i].used) continue;
      size_t k = (g->slots[i].rgb * 2654435761u) & (n - 1);
      while (t[k].used) k = (k + 1) & (n - 1);
      t[k] = g->slots[i];
    }
    free(g->slots);
    g->slots = t;
    g->n_slots = n;
  }
  size_t k = (rgb * 2654435761u) & (g->n_slots - 1);
  for (; g->slots[k].used; k = (k + 1) & (g->n_slots - 1))
    if (g->slots[k].rgb == rgb) return &g->slots[k];
  g->slots[k] = (colour_slot){rgb, 1, 0, -1};
  g->n_colours++;
  return &g->slots[k];
}

/* How unlike two colours look: squared differences weighted as the eye
 * weighs red, green and blue. */
static long colour_distance(uint32_t a, uint32_t b) {
  long dr = (long)(a >> 16 & 0xFF) - (long)(b >> 16 & 0xFF);
  long dg = (long)(a >> 8 & 0xFF) - (long)(b >> 8 & 0xFF);
  long db = (long)(a & 0xFF) - (long)(b & 0xFF);
  return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

/* See gdv_render.h. */
gdv_gif *gdv_gif_new(void) { return calloc(1, sizeof(gdv_gif)); }

/* The frame's surface, checked: an image of the frames' one size. */
static gdv_status frame_pixels(gdv_gif *g, cairo_surface_t *surf, const unsigned char **data,
                               int *stride, int *alpha, gdv_error *err) {
  cairo_surface_flush(surf);
  int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
  if (g->width == 0) {
    g->width = w;
    g->height = h;
  }
  if (w != g->width || h != g->height || w <= 0 || h <= 0 || w > 65535 || h > 65535)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "GIF: a frame of %dx%d pixels among "
                         "frames of %dx%d (at most 65535 a side)", w, h, g->width, g->height);
  *data = cairo_image_surface_get_data(surf);
  *stride = cairo_image_surface_get_stride(surf);
  *alpha = cairo_image_surface_get_format(surf) == CAIRO_FORMAT_ARGB32;
  return GDV_OK;
}

/* First pass: counts the frame's colours. */
gdv_status gdv_gif_observe(gdv_gif *g, struct _cairo_surface *surf, gdv_error *err) {
  const unsigned char *data;
  int stride, alpha;
  gdv_status st = frame_pixels(g, surf, &data, &stride, &alpha, err);
  if (st) return st;
  for (int y = 0; y < g->height; y++) {
    const unsigned char *row = data + (size_t)y * (size_t)stride;
    uint32_t last = 0;
    colour_slot *s = NULL;
    for (int x = 0; x < g->width; x++) {
      uint32_t p;
      memcpy(&p, row + 4 * (size_t)x, 4);
      uint32_t rgb = pixel_rgb(p, alpha);
      /* runs of one colour (most of a figure) skip the table */
      if (s == NULL || rgb != last) {
        if ((s = slot_of(g, rgb)) == NULL)
          return gdv_error_oom(err);
        last = rgb;
      }
      s->count++;
    }
  }
  return GDV_OK;
}

/* Most used first; ties by colour, so the palette never depends on the
 * table's order. */
static int by_count(const void *a, const void *b) {
  const colour_slot *x = *(colour_slot *const *)a, *y = *(colour_slot *const *)b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return x->rgb < y->rgb ? -1 : x->rgb > y->rgb;
}

/* The colours taken from `cand` (most used first) when each must be at
 * least `apart` from those taken before it; returns how many, at most
 * `cap` (then stops) into out. */
static size_t pick(colour_slot **cand, size_t n, long apart, size_t cap, uint32_t *out) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    long nearest = -1;
    for (size_t j = 0; j < k && nearest != 0; j++) {
      long d = colour_distance(cand[i]->rgb, out[j]);
      if (nearest < 0 || d < nearest) nearest = d;
    }
    if (k > 0 && nearest < apart) continue;
    if (k == cap) return cap + 1;
    out[k++] = cand[i]->rgb;
  }
  return k;
}

/* The palette from the counts: every colour when they fit, else the
 * smallest spacing at which the most used colours, each kept only when
 * that far from those kept before, fit (so the style's own colours are
 * exact and the blends between them are covered evenly). */
static gdv_status make_palette(gdv_gif *g, gdv_error *err) {
  colour_slot **all = malloc((g->n_colours + 1) * sizeof *all);
  if (all == NULL) return gdv_error_oom(err);
  size_t n = 0;
  for (size_t i = 0; i < g->n_slots; i++)
    if (g->slots[i].used) all[n++] = &g->slots[i];
  qsort(all, n, sizeof *all, by_count);
  size_t cand = n < CANDIDATES ? n : CANDIDATES;
  if (n <= PALETTE_MAX) {
    for (size_t i = 0; i < n; i++) g->palette[i] = all[i]->rgb;
    g->n_palette = n;
  } else {
    long lo = 1, hi = colour_distance(0, 0xFFFFFF) + 1;
    while (lo < hi) {   /* the least spacing that fits */
      long mid = lo + (hi - lo) / 2;
      if (pick(all, cand, mid, PALETTE_MAX, g->palette) <= PALETTE_MAX) hi = mid;
      else lo = mid + 1;
    }
    g->n_palette = pick(all, cand, lo, PALETTE_MAX, g->palette);
  }
  if (g->n_palette == 0) g->palette[g->n_palette++] = 0xFFFFFF;
  free(all);
  g->palette_made = 1;
  return GDV_OK;
}

/* The palette index of a colour: its nearest (kept in its slot). */
static int index_of(gdv_gif *g, colour_slot *s) {
  if (s->index >= 0) return s->index;
  long best = -1;
  for (size_t j = 0; j < g->n_palette; j++) {
    long d = colour_distance(s->rgb, g->palette[j]);
    if (best < 0 || d < best) {
      best = d;
      s->index = (int)j;
    }
  }
  return s->index;
}

/* giflib's writer: to the caller's FILE. */
static int write_out(GifFileType *gif, const GifByteType *buf, int len) {
  return (int)fwrite(buf, 1, (size_t)len, (FILE *)gif->UserData);
}

/* giflib's failure as our error. */
static gdv_status gif_error(int code, gdv_error *err) {
  const char *why = GifErrorString(code);
  return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the GIF: %s",
                       why ? why : "giflib failed");
}

/* The screen, the palette (a power of two, the transparent index last)
 * and the loop forever (NETSCAPE2.0). */
static gdv_status open_file(gdv_gif *g, gdv_error *err) {
  int code = 0;
  g->file = EGifOpen(g->out, write_out, &code);
  if (g->file == NULL) return gif_error(code, err);
  int bits = 1;
  while ((1u << bits) < g->n_palette + 1) bits++;
  ColorMapObject *map = GifMakeMapObject(1 << bits, NULL);
  if (map == NULL) return gdv_error_oom(err);
  for (int i = 0; i < map->ColorCount; i++) {
    uint32_t c = (size_t)i < g->n_palette ? g->palette[i] : 0;
    map->Colors[i] = (GifColorType){(GifByteType)(c >> 16), (GifByteType)(c >> 8), (GifByteType)c};
  }
  EGifSetGifVersion(g->file, true);
  int ok = EGifPutScreenDesc(g->file, g->width, g->height, 8, 0, map) == GIF_OK;
  GifFreeMapObject(map);
  static const unsigned char loop[3] = {1, 0, 0};   /* sub-block 1, forever */
  ok = ok && EGifPutExtensionLeader(g->file, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
       EGifPutExtensionBlock(g->file, 11, "NETSCAPE2.0") == GIF_OK &&
       EGifPutExtensionBlock(g->file, 3, loop) == GIF_OK &&
       EGifPutExtensionTrailer(g->file) == GIF_OK;
  g->prev = malloc((size_t)g->width * (size_t)g->height);
  g->cur = malloc((size_t)g->width * (size_t)g->height);
  if (g->prev == NULL || g->cur == NULL) return gdv_error_oom(err);
  return ok ? GDV_OK : gif_error(g->file->Error, err);
}

/* Second pass: the frame's pixels as palette indices, written as the
 * rectangle that changed since the last frame (the first: all of it),
 * shown for delay_cs hundredths of a second. */
gdv_status gdv_gif_add(gdv_gif *g, struct _cairo_surface *surf, int delay_cs, FILE *out,
                       gdv_error *err) {
  const unsigned char *data;
  int stride, alpha;
  gdv_status st = frame_pixels(g, surf, &data, &stride, &alpha, err);
  if (st == GDV_OK && !g->palette_made) st = make_palette(g, err);
  if (st == GDV_OK && g->file == NULL) {
    g->out = out;
    st = open_file(g, err);
  }
  if (st) return st;
  int w = g->width, h = g->height;
  for (int y = 0; y < h; y++) {
    const unsigned char *row = data + (size_t)y * (size_t)stride;
    uint8_t *dst = g->cur + (size_t)y * (size_t)w;
    uint32_t last = 0;
    int idx = -1;
    for (int x = 0; x < w; x++) {
      uint32_t p;
      memcpy(&p, row + 4 * (size_t)x, 4);
      uint32_t rgb = pixel_rgb(p, alpha);
      if (idx < 0 || rgb != last) {
        colour_slot *s = slot_of(g, rgb);
        if (s == NULL) return gdv_error_oom(err);
        idx = index_of(g, s);
        last = rgb;
      }
      dst[x] = (uint8_t)idx;
    }
  }
  /* the rectangle that changed (a frame like the last: one pixel) */
  int x0 = 0, y0 = 0, x1 = w - 1, y1 = h - 1;
  if (g->frames > 0) {
    x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) {
        size_t i = (size_t)y * (size_t)w + (size_t)x;
        if (g->cur[i] == g->prev[i]) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    if (x1 < 0) x0 = y0 = x1 = y1 = 0;
  }
  int transparent = (int)g->n_palette;
  GraphicsControlBlock gcb = {DISPOSE_DO_NOT, false, delay_cs,
                              g->frames > 0 ? transparent : NO_TRANSPARENT_COLOR};
  GifByteType ext[4];
  EGifGCBToExtension(&gcb, ext);
  int ok = EGifPutExtension(g->file, GRAPHICS_EXT_FUNC_CODE, 4, ext) == GIF_OK &&
           EGifPutImageDesc(g->file, x0, y0, x1 - x0 + 1, y1 - y0 + 1, false, NULL) == GIF_OK;
  GifPixelType *line = malloc((size_t)(x1 - x0 + 1));
  if (line == NULL) return gdv_error_oom(err);
  for (int y = y0; ok && y <= y1; y++) {
    for (int x = x0; x <= x1; x++) {
      size_t i = (size_t)y * (size_t)w + (size_t)x;
      line[x - x0] = g->frames > 0 && g->cur[i] == g->prev[i] ? (GifPixelType)transparent
                                                               : g->cur[i];
    }
    ok = EGifPutLine(g->file, line, x1 - x0 + 1) == GIF_OK;
  }
  free(line);
  uint8_t *t = g->prev;
  g->prev = g->cur;
  g->cur = t;
  g->frames++;
  return ok ? GDV_OK : gif_error(g->file->Error, err);
}

/* The trailer; the file is complete. */
gdv_status gdv_gif_finish(gdv_gif *g, gdv_error *err) {
  if (g->file == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "a GIF of no frames");
  int code = 0;
  int ok = EGifCloseFile(g->file, &code) == GIF_OK;
  g->file = NULL;
  if (!ok) return gif_error(code, err);
  return fflush(g->out) == 0 ? GDV_OK
                             : gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the GIF");
}

/* Frees everything (a file not finished is closed unwritten). */
void gdv_gif_free(gdv_gif *g) {
  if (g == NULL) return;
  if (g->file) EGifCloseFile(g->file, NULL);
  free(g->slots);
  free(g->prev);
  free(g->cur);
  free(g);
}
