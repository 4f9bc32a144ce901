import { type GenerationRequest, signedRenderUrl } from "@glm-image/core";
import type { Environment } from "./environment.ts";
import type { Options } from "./options.ts";
import type { Output } from "./report.ts";
import { EXIT } from "./result.ts";

/**
 * `glm-image sign`: the edge's signed render URL of the request (nothing is generated or paid),
 * with the SIGNING_SECRET of the environment and the edge's URL.
 */
export async function sign(
  request: GenerationRequest,
  options: Options,
  environment: Environment,
  output: Output,
): Promise<number> {
  const secret = environment.signingSecret;
  const edgeUrl = options.edgeUrl ?? environment.edgeUrl;
  if (!secret || !edgeUrl) {
    output.stderr.write(
      `glm-image: error: sign needs ${secret ? "" : "SIGNING_SECRET in the environment"}${!secret && !edgeUrl ? " and " : ""}${edgeUrl ? "" : "--edge-url (or GLM_IMAGE_EDGE_URL)"}\n`,
    );
    return EXIT.usage;
  }
  const url = await signedRenderUrl(
    edgeUrl,
    { prompt: request.prompt, model: request.model, size: request.size, quality: request.quality },
    secret,
  );
  output.stdout.write(`${JSON.stringify({ ok: true, url })}\n`);
  return EXIT.ok;
}
