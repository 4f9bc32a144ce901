// The image URL a generation hands out, and what a download reads back from it: the size, the
// prompt (as the seed), the request's content key, and the image scenario that made it.
import { createHash } from "node:crypto";
import { type CaptionRequest, contentKeyOf, SHORT_KEY } from "./caption.ts";
import { type ImageScenario, isImageScenario, type Scenario } from "./scenarios.ts";

export function imageUrl(
  origin: string,
  request: CaptionRequest,
  scenario: Scenario | undefined,
): string {
  const { prompt, size } = request;
  const id = createHash("sha256").update(`${prompt}\n${size}`).digest("hex").slice(0, 16);
  const seed = Buffer.from(prompt).toString("base64url").slice(0, 200);
  const key = contentKeyOf(request).slice(0, SHORT_KEY);
  const extra =
    scenario && isImageScenario(scenario.kind)
      ? `&scenario=${scenario.kind}${"value" in scenario && scenario.value !== undefined ? `&value=${scenario.value}` : ""}`
      : "";
  return `${origin}/files/${id}.png?size=${size}&seed=${seed}&key=${key}${extra}`;
}

/** What an image URL asks for. */
export interface ImageAsked {
  width: number;
  height: number;
  seed: string;
  key: string;
  /** The scenario the URL was made with; null for none. */
  scenario: ImageScenario | null;
  /** The scenario's number (MiB for large, ms for slow-download); NaN for none. */
  value: number;
}

export function readImageUrl(url: URL): ImageAsked {
  const [width = 1024, height = 1024] = (url.searchParams.get("size") ?? "").split("x").map(Number);
  return {
    width,
    height,
    seed: url.searchParams.get("seed") ?? "",
    key: url.searchParams.get("key") ?? "",
    scenario: url.searchParams.get("scenario") as ImageScenario | null,
    value: Number(url.searchParams.get("value") ?? Number.NaN),
  };
}
