#!/usr/bin/env node
// Committed, so that `npm ci` in a clone links the bin before `dist/` is built (a link to a file
// that does not exist yet is skipped, and `npx glm-image-mock` would then ask the registry).
import "../dist/bin.js";
