/* gdv_random.c: the one pseudo-random sequence of gradviz. */
#include "gdv.h"

/* splitmix64 (Steele, Lea and Flood; Vigna's constants): a tiny generator
 * with a fixed, documented sequence, so `check --seed` picks the same
 * leaves, and a seeded network gets the same weights, on every machine. */
uint64_t gdv_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
