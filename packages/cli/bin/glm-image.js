#!/usr/bin/env -S node --max-semi-space-size=1 --expose-gc
// Spent download chunks are freed only by a collection: a 1 MiB young generation, and a
// collection every few MiB written (@glm-image/node's saveImage, when gc is exposed), keep the
// peak memory of saving a 40 MiB image close to that of a 1 MiB one (npm run bench).
import "../dist/glm-image.js";
