import {
  contentKey,
  darkVariantPrompt,
  embedSnippets,
  GlmImageError,
  parseGenerationRequest,
  verifyRenderSignature,
} from "@glm-image/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { outcomeError } from "../../domain/outcome-error.ts";
import { generateFor } from "../../domain/ownership.ts";
import { ADMINS } from "../../domain/tenants.ts";
import { waitAtMost } from "../bounded-wait.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { throughImageCache } from "../image-cache.ts";
import { imageResponse } from "../image-response.ts";
import { placeholderResponse } from "../placeholder.ts";
import { mintRenderUrl, signingSecretOf } from "../render-url.ts";
import { requestFromBody } from "../wire/generation-body.ts";
import { parseRenderQuery } from "../wire/render-query.ts";
import {
  bodyErrors,
  errorAnswers,
  errorJson,
  generationErrors,
  jsonAnswer,
  renderUrlBodySchema,
  tokenErrors,
} from "../wire/schemas.ts";

/** Answered when render URLs are off: the service has no SIGNING_SECRET. */
const disabled = "`not_found`: render URLs are disabled (the service has no `SIGNING_SECRET`)";

/**
 * What /render answers when it cannot produce its image: an SVG placeholder of the requested size
 * that says why (no-store), or the JSON error when Accept asks for application/json.
 */
const placeholder = (description: string) => ({
  description: `${description}. As an SVG placeholder of the requested size that says so (\`no-store\`), unless \`Accept\` asks for \`application/json\``,
  content: {
    ...errorJson,
    "image/svg+xml": { schema: z.string() },
  },
});

const renderRoute = createRoute({
  method: "get",
  path: "/render",
  summary: "A signed, embeddable image: generated once, then served from storage",
  description:
    "Public. Parameters are read strictly: invalid percent-encoding, a repeated or unknown parameter is a 400. A miss (an image not stored yet) counts against a per-client rate limit, the daily budget of the service and that of the URL's tenant (who then owns the image); while a paid image cannot be stored, 503 with Retry-After (never paid again).",
  request: {
    query: z.object({
      prompt: z.string().openapi({ description: "What to draw, as in a generation" }),
      model: z.string().optional().openapi({ description: "The model (default `glm-image`)" }),
      size: z.string().optional().openapi({ description: "`WxH` (default the model's)" }),
      quality: z.string().optional().openapi({ description: "`hd` or `standard`" }),
      tenant: z
        .string()
        .optional()
        .openapi({
          description: `The tenant that minted the URL (signed with the rest): its budget pays for the image, and it owns it. URLs without it (minted before tenants) count against the admins (\`${ADMINS}\`)`,
        }),
      sig: z.string().openapi({
        description:
          "Hex HMAC-SHA256 with `SIGNING_SECRET` of the other parameters, sorted by name, URL-encoded and joined by `&`",
      }),
    }),
  },
  responses: {
    200: {
      description: "The image",
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorAnswers({
      403: "`invalid_signature`: `sig` does not match these parameters (the `tenant` included)",
      404: disabled,
    }),
    400: placeholder(
      "`invalid_request` (bad percent-encoding, a repeated or unknown parameter) or `INVALID_*` (a value the model refuses), as JSON; ZhiPu's `content_filter_violation`",
    ),
    429: placeholder(
      "`rate_limit_exceeded` (new images from this address, or ZhiPu's rate limit after retries) or `budget_exceeded` (the service's, or that of the URL's tenant; the message says whose); with `Retry-After`",
    ),
    502: placeholder(generationErrors[502]),
    503: placeholder(generationErrors[503]),
  },
});
const renderUrlRoute = createRoute({
  method: "post",
  path: "/v1/render-urls",
  summary: "Mint a signed render URL (warm: generate it now, in the background)",
  description:
    "The URL is signed for the caller (its `tenant` parameter): a public embed spends the caller's budget and its image is the caller's. Minting a URL of an image already stored makes the caller an owner of it.",
  security: [{ bearer: [] }],
  request: {
    body: { content: { "application/json": { schema: renderUrlBodySchema } }, required: true },
  },
  responses: {
    200: jsonAnswer(
      "The URL",
      z.object({
        url: z.string().openapi({ description: "The signed `/render` URL, absolute" }),
        dark_url: z
          .string()
          .optional()
          .openapi({ description: "With `dark`: the dark variant's signed `/render` URL" }),
        picture: z.string().optional().openapi({
          description:
            "With `dark`: a `<picture>` whose `prefers-color-scheme: dark` source is `dark_url`, the light image its `<img>`",
        }),
        markdown: z.string().optional().openapi({
          description:
            "With `dark`: the Markdown pair with GitHub's `#gh-light-mode-only` / `#gh-dark-mode-only` fragments, for renderers that drop `<picture>`",
        }),
      }),
    ),
    ...errorAnswers({
      ...tokenErrors,
      400: "`INVALID_PROMPT`, `INVALID_SIZE`, `INVALID_QUALITY`, `INVALID_MODEL`, `INVALID_USER_ID`, `invalid_request` (another field; `n` must be 1)",
      ...bodyErrors,
      404: disabled,
    }),
  },
});

export function registerRender(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  // Validation is the strict parser's, not zod-openapi's: the route object only documents it.
  app.get("/render", async (context) => {
    const query = parseRenderQuery(context.req.url);
    const secret = signingSecretOf(deps);
    const { sig: signature, ...signed } = query;
    if (!signature || !(await verifyRenderSignature(signed, signature, secret))) {
      throw new GlmImageError(
        "invalid_signature",
        "The signature does not match these parameters",
        {
          param: "sig",
        },
      );
    }
    // The tenant the URL was minted for pays for its image; URLs from before tenants, the admins.
    const { tenant = ADMINS, ...fields } = signed;
    const request = parseGenerationRequest(fields);
    const key = await contentKey(request);
    // From here on an embed shows an image whatever happens: the placeholder says why. The image
    // is cached under its own URL's key, never the render URL's, so a delete purges both.
    return throughImageCache(context, deps, key, undefined, async () => {
      const stored = await deps.store.read(key, context.req.method !== "HEAD");
      if (stored) return imageResponse(context, stored);
      const client =
        deps.clientAddress?.(context) ?? context.req.header("cf-connecting-ip") ?? "unknown";
      const outcome = await waitAtMost(
        context,
        generateFor(deps, { key, request, client, tenant }),
        deps.config.RENDER_WAIT_SECONDS,
      );
      if (!outcome.ok) throw outcomeError(outcome);
      if (!outcome.stored) {
        throw new GlmImageError(
          "image_not_stored_yet",
          "The image is paid for but could not be stored yet; it will be, without paying again",
          { retryable: true, retryAfterMs: outcome.retryAfter * 1000 },
        );
      }
      const image = await deps.store.read(key, context.req.method !== "HEAD");
      if (!image) throw new GlmImageError("upstream_error", "The image vanished from storage");
      return imageResponse(context, image);
    }).catch((error: unknown) => placeholderResponse(context, error, request.size));
  });
  app.openAPIRegistry.registerPath(renderRoute);

  app.openapi(renderUrlRoute, async (context) => {
    const body = context.req.valid("json");
    const request = requestFromBody(body);
    const warm = body.warm === true;
    const url = await mintRenderUrl(context, deps, request, warm);
    if (body.dark === undefined) return context.json({ url }, 200);
    const dark = parseGenerationRequest({
      ...request,
      prompt: darkVariantPrompt(request.prompt, body.dark.prompt),
    });
    const darkUrl = await mintRenderUrl(context, deps, dark, warm);
    const { picture, markdown } = embedSnippets({ url, darkUrl, alt: request.prompt });
    return context.json({ url, dark_url: darkUrl, picture, markdown }, 200);
  });
}
