/**
 * The upstream's own checks, written from its documentation, independent of @glm-image/core so
 * that the mock can disagree with our code when our code is wrong. `duplicates` pairs these size
 * lists and rules with core's models.ts: a deliberate twin, kept apart on purpose; leave it.
 */
const glmRecommended = [
  "1280x1280",
  "1568x1056",
  "1056x1568",
  "1472x1088",
  "1088x1472",
  "1728x960",
  "960x1728",
];
const cogRecommended = [
  "1024x1024",
  "768x1344",
  "864x1152",
  "1344x768",
  "1152x864",
  "1440x720",
  "720x1440",
];
const models = ["glm-image", "cogview-4", "cogview-4-250304", "cogview-3-flash"];

export type Checked =
  | {
      ok: true;
      request: {
        model: string;
        prompt: string;
        size: string;
        quality: string;
        watermark_enabled: boolean;
      };
    }
  | { ok: false; code: string; message: string };

function sizeAllowed(model: string, size: string): boolean {
  const glm = model === "glm-image";
  if ((glm ? glmRecommended : cogRecommended).includes(size)) return true;
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return false;
  const [width, height] = [Number(match[1]), Number(match[2])];
  const [min, step, pixels] = glm ? [1024, 32, 2 ** 22] : [512, 16, 2 ** 21];
  const side = (value: number) => value >= min && value <= 2048 && value % step === 0;
  return side(width) && side(height) && width * height <= pixels;
}

/**
 * 1210: malformed body; 1213: prompt missing; 1211: unknown model; 1214: a value out of range
 * (size, quality, user_id, watermark_enabled, prompt too long).
 */
export function validateBody(body: unknown): Checked {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, code: "1210", message: "API 调用参数有误，请检查文档。" };
  }
  const fields = body as Record<string, unknown>;
  const invalid = (name: string) => ({
    ok: false as const,
    code: "1214",
    message: `${name} 参数非法。请检查文档。`,
  });
  if (typeof fields.prompt !== "string" || fields.prompt.trim() === "") {
    return { ok: false, code: "1213", message: "未正常接收到prompt参数。" };
  }
  if ([...fields.prompt].length > 1000) return invalid("prompt");
  const model = fields.model ?? "glm-image";
  if (typeof model !== "string" || !models.includes(model)) {
    return { ok: false, code: "1211", message: "模型不存在，请检查模型代码。" };
  }
  const size = fields.size ?? (model === "glm-image" ? "1280x1280" : "1024x1024");
  if (typeof size !== "string" || !sizeAllowed(model, size)) return invalid("size");
  const quality = fields.quality ?? (model === "glm-image" ? "hd" : "standard");
  if (quality !== "hd" && (model === "glm-image" || quality !== "standard"))
    return invalid("quality");
  if (fields.watermark_enabled !== undefined && typeof fields.watermark_enabled !== "boolean") {
    return invalid("watermark_enabled");
  }
  const userId = fields.user_id;
  if (
    userId !== undefined &&
    (typeof userId !== "string" || userId.length < 6 || userId.length > 128)
  ) {
    return invalid("user_id");
  }
  return {
    ok: true,
    request: {
      model,
      prompt: fields.prompt,
      size,
      quality,
      watermark_enabled: fields.watermark_enabled !== false,
    },
  };
}
