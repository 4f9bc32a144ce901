import {
  contentKey,
  type GenerationRequest,
  GlmImageError,
  signedRenderUrl,
} from "@glm-image/core";
import type { Context } from "hono";
import { generateFor } from "../domain/ownership.ts";
import type { AppDeps, AppEnv } from "./deps.ts";
import { afterResponse } from "./image-response.ts";

export function signingSecretOf(deps: AppDeps): string {
  const secret = deps.config.SIGNING_SECRET;
  if (!secret)
    throw new GlmImageError(
      "not_found",
      "Render URLs are disabled: the service has no SIGNING_SECRET",
    );
  return secret;
}

/**
 * A render URL signed for the caller (its `tenant`): its views spend the caller's budget and the
 * image is the caller's. `warm` starts the generation now, after the answer; otherwise an image
 * already stored becomes the caller's too. POST /v1/render-urls and the MCP tool embed_image.
 */
export async function mintRenderUrl(
  context: Context<AppEnv>,
  deps: AppDeps,
  request: GenerationRequest,
  warm: boolean,
): Promise<string> {
  const tenant = context.get("tenant").name;
  const origin = deps.config.PUBLIC_BASE_URL ?? new URL(context.req.url).origin;
  const url = await signedRenderUrl(
    origin,
    {
      prompt: request.prompt,
      model: request.model,
      size: request.size,
      quality: request.quality,
      tenant,
    },
    signingSecretOf(deps),
  );
  const key = await contentKey(request);
  if (warm) {
    afterResponse(context, generateFor(deps, { key, request, tenant }));
  } else {
    const stored = await deps.store.metadata(key);
    if (stored && stored.owners?.[tenant] === undefined) await deps.coordinator.own(key, tenant);
  }
  return url;
}
