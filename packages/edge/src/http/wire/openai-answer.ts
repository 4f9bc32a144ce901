import { GlmImageError } from "@glm-image/core";

/** The fields of OpenAI's images API that shape the answer, not the image. */
export interface OpenAiAnswerFields {
  model?: string | undefined;
  response_format?: "url" | "b64_json" | undefined;
  output_format?: string | undefined;
  background?: string | undefined;
  moderation?: string | undefined;
  output_compression?: number | undefined;
  stream?: boolean | undefined;
  partial_images?: number | undefined;
}

export interface AnswerShape {
  responseFormat: "url" | "b64_json";
  /** OpenAI's GPT image models: `b64_json` by default, `usage` and `output_format` answered. */
  gptImage: boolean;
  stream: boolean;
}

const refuse = (param: string, message: string) =>
  new GlmImageError("invalid_request", message, { param });

/**
 * How to answer, model by model as OpenAI does: `gpt-image-*` names answer `b64_json` unless
 * asked otherwise, the others (`dall-e-*`, ZhiPu's) `url`. What would change the image and cannot
 * be honoured is refused before anything is paid; what is harmless is accepted.
 */
export function answerShapeOf(fields: OpenAiAnswerFields): AnswerShape {
  const gptImage = fields.model?.startsWith("gpt-image") === true;
  if (fields.output_format !== undefined && fields.output_format !== "png") {
    throw refuse(
      "output_format",
      `output_format ${JSON.stringify(fields.output_format)} is not supported: the images are kept as the model makes them, PNG; use "png" or leave it out`,
    );
  }
  if (fields.background === "transparent") {
    throw refuse(
      "background",
      'background "transparent" is not supported: the models draw opaque images; use "auto" or "opaque"',
    );
  }
  if (fields.background !== undefined && !["auto", "opaque"].includes(fields.background)) {
    throw refuse("background", 'background must be "auto" or "opaque"');
  }
  if (fields.moderation !== undefined && !["auto", "low"].includes(fields.moderation)) {
    throw refuse("moderation", 'moderation must be "auto" or "low" (ZhiPu moderates every image)');
  }
  const compression = fields.output_compression;
  if (
    compression !== undefined &&
    !(Number.isInteger(compression) && compression >= 0 && compression <= 100)
  ) {
    throw refuse("output_compression", "output_compression must be a whole number from 0 to 100");
  }
  if ((fields.partial_images ?? 0) > 0) {
    throw refuse(
      "partial_images",
      "partial_images must be 0: the models make no partial images; with stream: true the stream carries the finished image (image_generation.completed)",
    );
  }
  const stream = fields.stream === true;
  const responseFormat = stream
    ? "b64_json"
    : (fields.response_format ?? (gptImage ? "b64_json" : "url"));
  return { responseFormat, gptImage, stream };
}

/** What OpenAI's GPT image answers add: the format, the background, and usage (no tokens). */
export const gptImageFields = {
  output_format: "png" as const,
  background: "opaque" as const,
  usage: {
    input_tokens: 0,
    output_tokens: 0,
    total_tokens: 0,
    input_tokens_details: { text_tokens: 0, image_tokens: 0 },
  },
};

/**
 * OpenAI's image generation event stream: one `image_generation.completed` event per image (the
 * models make no partial images), as LibreChat and OpenAI's clients read it.
 */
export function imageEventStream(
  images: ReadonlyArray<{ b64_json: string }>,
  answer: { created: number; size: string; quality: string },
): Response {
  const events = images
    .map((image) => {
      const data = {
        type: "image_generation.completed",
        b64_json: image.b64_json,
        created_at: answer.created,
        size: answer.size,
        quality: answer.quality,
        ...gptImageFields,
      };
      return `event: image_generation.completed\ndata: ${JSON.stringify(data)}\n\n`;
    })
    .join("");
  return new Response(events, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
  });
}
