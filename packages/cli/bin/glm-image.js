#!/usr/bin/env node
import "../dist/glm-image.js";
