/** Per-model size and quality rules of the ZhiPu image API. */
export const modelNames = [
  "glm-image",
  "cogview-4",
  "cogview-4-250304",
  "cogview-3-flash",
] as const;
export type ModelName = (typeof modelNames)[number];

export const qualities = ["hd", "standard"] as const;
export type Quality = (typeof qualities)[number];

export const DEFAULT_MODEL: ModelName = "glm-image";

export interface ModelRules {
  /** Smallest and largest side of a custom size, in pixels. */
  minSide: number;
  maxSide: number;
  /** Both sides of a custom size must be multiples of this. */
  multipleOf: number;
  maxPixels: number;
  defaultSize: string;
  /** Always valid, even where a side lies outside the custom range. */
  recommendedSizes: readonly string[];
  qualities: readonly Quality[];
  defaultQuality: Quality;
}

const glmImage: ModelRules = {
  minSide: 1024,
  maxSide: 2048,
  multipleOf: 32,
  maxPixels: 2 ** 22,
  defaultSize: "1280x1280",
  recommendedSizes: [
    "1280x1280",
    "1568x1056",
    "1056x1568",
    "1472x1088",
    "1088x1472",
    "1728x960",
    "960x1728",
  ],
  qualities: ["hd"],
  defaultQuality: "hd",
};

const cogView: ModelRules = {
  minSide: 512,
  maxSide: 2048,
  multipleOf: 16,
  maxPixels: 2 ** 21,
  defaultSize: "1024x1024",
  recommendedSizes: [
    "1024x1024",
    "768x1344",
    "864x1152",
    "1344x768",
    "1152x864",
    "1440x720",
    "720x1440",
  ],
  qualities: ["hd", "standard"],
  defaultQuality: "standard",
};

export const modelRules: Readonly<Record<ModelName, ModelRules>> = {
  "glm-image": glmImage,
  "cogview-4": cogView,
  "cogview-4-250304": cogView,
  "cogview-3-flash": cogView,
};

export interface Size {
  width: number;
  height: number;
}

/** Reads `1568x1056`, `1568X1056`, `1568×1056` or `1568*1056` (spaces allowed around each part). */
export function parseSize(text: string): Size | undefined {
  const match = /^\s*(\d{1,5})\s*[xX×*]\s*(\d{1,5})\s*$/.exec(text);
  if (!match) return undefined;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Named sizes, read wherever a size is: `social` is a repository social preview. */
export const sizePresets = ["social"] as const;
export type SizePreset = (typeof sizePresets)[number];

/** What each preset aims at: GitHub's recommended repository social preview is 1280x640, 2:1. */
const presetTargets: Readonly<Record<SizePreset, Size>> = {
  social: { width: 1280, height: 640 },
};

/**
 * The model's valid size of the preset's aspect ratio nearest to its target: `social` is
 * 1280x640 itself where the model takes it (CogView), else the closest 2:1 size the model's rule
 * allows (2048x1024 for glm-image, whose sides start at 1024).
 */
export function presetSize(model: ModelName, preset: SizePreset): Size {
  const rules = modelRules[model];
  const target = presetTargets[preset];
  const ratio = target.width / target.height;
  const distance = (size: Size) => Math.abs(size.width - target.width);
  let best: Size | undefined;
  for (let height = rules.multipleOf; height * ratio <= rules.maxSide; height += rules.multipleOf) {
    const size = { width: height * ratio, height };
    if (!Number.isInteger(size.width) || !isValidSize(model, size)) continue;
    if (best === undefined || distance(size) < distance(best)) best = size;
  }
  // Every model takes some size of each preset's ratio; the default only keeps the type total.
  return best ?? (parseSize(rules.defaultSize) as Size);
}

/** A size as written by a caller, a preset name (`social`) included, for a model. */
export function readSize(model: ModelName, text: string): Size | undefined {
  const preset = sizePresets.find((name) => name === text.trim().toLowerCase());
  return preset === undefined ? parseSize(text) : presetSize(model, preset);
}

export function formatSize(size: Size): string {
  return `${size.width}x${size.height}`;
}

/** Whether a size is allowed for a model: a recommended size, or one that obeys the custom rule. */
export function isValidSize(model: ModelName, size: Size): boolean {
  const rules = modelRules[model];
  if (rules.recommendedSizes.includes(formatSize(size))) return true;
  const sideOk = (side: number) =>
    side >= rules.minSide && side <= rules.maxSide && side % rules.multipleOf === 0;
  return sideOk(size.width) && sideOk(size.height) && size.width * size.height <= rules.maxPixels;
}

/** A sentence stating a model's size rule and its recommended sizes. */
export function describeSizeRule(model: ModelName): string {
  const rules = modelRules[model];
  return (
    `Width and height must be ${rules.minSide}-${rules.maxSide}px and multiples of ` +
    `${rules.multipleOf}, at most ${rules.maxPixels} pixels (2^${Math.log2(rules.maxPixels)}); ` +
    `or a recommended size: ${rules.recommendedSizes.join(", ")}`
  );
}

const ratioDistance = (a: Size, b: Size) =>
  Math.abs(Math.log(a.width / a.height) - Math.log(b.width / b.height));

/**
 * The recommended size of a model closest in aspect ratio to `wanted` (then in area): what a
 * size or an aspect ratio the model does not take becomes.
 */
export function nearestRecommendedSize(model: ModelName, wanted: Size): string {
  const area = wanted.width * wanted.height;
  const distance = (size: Size) =>
    ratioDistance(size, wanted) * 1e9 + Math.abs(size.width * size.height - area);
  let best = modelRules[model].defaultSize;
  for (const text of modelRules[model].recommendedSizes) {
    const size = parseSize(text);
    const current = parseSize(best);
    if (size && current && distance(size) < distance(current)) best = text;
  }
  return best;
}
