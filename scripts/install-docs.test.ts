// The install docs tell the truth, with one recipe: every README that shows how to install a
// published package holds the same block (between install:begin and install:end), which names
// the tarballs of the packages' current versions, the command that builds them and the caveat
// that the registry has them only once the release workflow has run. Outside that block, no
// Markdown file in the repository tells anyone to install @glm-image/... from the registry.
//   node --test scripts/install-docs.test.ts
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { publishedPackages } from "./pack-install.ts";

const root = new URL("../", import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");

/** The docs that show how to install a published package. */
const installDocs = [
  "README.md",
  "packages/cli/README.md",
  "skills/glm-image-generation/SKILL.md",
  "packages/mock/README.md",
  "packages/core/README.md",
  "packages/node/README.md",
  "packages/ai-sdk/README.md",
];

const block = /<!-- install:begin[^>]*-->\n([\s\S]*?)<!-- install:end -->/g;
const recipeOf = (text: string) => [...text.matchAll(block)].map((match) => match[1] ?? "");

/** A command that installs a @glm-image package from the registry. */
const registryInstall =
  /\b(?:npm\s+(?:install|i|add)|npx|pnpm\s+add|yarn\s+add)\b[^\n]*?@glm-image\//;

describe("the install docs", () => {
  const recipe = recipeOf(read("README.md"))[0] ?? "";

  it("hold the one recipe, once each, the same everywhere", () => {
    for (const path of installDocs) {
      const recipes = recipeOf(read(path));
      assert.equal(recipes.length, 1, `${path}: one install block (install:begin ... install:end)`);
      assert.equal(recipes[0], recipe, `${path}: the recipe differs from the root README's`);
    }
  });

  it("name the current tarballs, the command that builds them and the registry's caveat", () => {
    for (const name of publishedPackages) {
      const { version } = JSON.parse(read(`packages/${name}/package.json`)) as { version: string };
      assert.match(recipe, new RegExp(`glm-image-${name}-${version.replaceAll(".", "\\.")}\\.tgz`));
    }
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> })
      .scripts;
    assert.ok(scripts.tarballs, "npm run tarballs exists");
    assert.match(recipe, /npm ci && npm run tarballs/);
    assert.match(recipe, /not on the npm registry yet/);
    assert.ok(existsSync(`${root}.github/workflows/release.yml`));
    assert.match(recipe, /\.github\/workflows\/release\.yml/);
  });

  it("install nothing from the registry outside the recipe", () => {
    const markdown = execFileSync("git", ["ls-files", "*.md"], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    const bare = markdown.flatMap((path) =>
      read(path)
        .replace(block, "")
        .split("\n")
        .filter((line) => registryInstall.test(line))
        .map((line) => `${path}: ${line.trim()}`),
    );
    assert.deepEqual(bare, []);
  });
});
