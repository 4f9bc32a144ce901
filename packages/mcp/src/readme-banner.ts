// The `readme_banner` prompt: how to get a banner with legible words out of GLM-Image.
import type { McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";

export const BANNER_SIZE = "1728x960";

export const bannerArgumentsSchema = z.object({
  project: z.string().trim().min(1).max(60).describe("The project's name, written on the banner"),
  tagline: z.string().trim().max(120).optional().describe("One line under the name"),
  theme: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe("Style and mood, e.g. 'ink wash, misty mountains' or 'flat vector, dark blue'"),
});

type BannerArguments = z.output<typeof bannerArgumentsSchema>;

/** The image prompt: the exact words in quotes, the layout named, nothing else to write. */
export function bannerPrompt({ project, tagline, theme }: BannerArguments): string {
  return [
    `A wide banner for the top of the README of the software project "${project}".`,
    `Layout: the title "${project}" in large, bold, clean letters, centred`,
    tagline ? `; below it, in smaller letters, the tagline "${tagline}".` : ".",
    ` Style: ${theme || "modern, minimal, soft gradient background, one simple illustration on the right"}.`,
    " No other text, letters or logos anywhere in the image.",
  ].join("");
}

export function bannerInstructions(input: BannerArguments): string {
  const call = { prompt: bannerPrompt(input), size: BANNER_SIZE };
  return [
    `Make a README banner for "${input.project}" with the generate_image tool, then paste it with embed_image.`,
    "",
    "GLM-Image renders text well when the prompt is explicit:",
    "- Quote the exact words that must appear, letter for letter, and say that there is no other text.",
    "- Name the layout: where the title goes, where the tagline goes, what fills the rest.",
    `- Pick a wide size: ${BANNER_SIZE} (16:9) with glm-image (1440x720 with the cogview models).`,
    "- Keep the words few and short: a name and one line read well; a paragraph does not.",
    "",
    "Call generate_image with:",
    JSON.stringify(call),
    "",
    "Look at the result (its url) and check the spelling of every word before using it. Then call embed_image with the same prompt and size: its markdown goes at the top of README.md.",
  ].join("\n");
}

export function registerReadmeBanner(server: McpServer): void {
  server.registerPrompt(
    "readme_banner",
    {
      title: "README banner",
      description:
        "A wide banner with the project's name (and tagline) written on it: the prompt, the size and the steps",
      argsSchema: bannerArgumentsSchema,
    },
    (input) => ({
      messages: [{ role: "user", content: { type: "text", text: bannerInstructions(input) } }],
    }),
  );
}
