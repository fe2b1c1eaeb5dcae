# examples: see README
