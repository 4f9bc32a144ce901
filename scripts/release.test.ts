// The release is ready to run: every package that is not private is published, publishable
// (public, with provenance, only its built files), and the release workflow publishes them all,
// in an order where each comes after the packages it depends on, with provenance and the packed test.
//   node --test scripts/release.test.ts
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { publishedPackages } from "./pack-install.ts";

const root = new URL("../", import.meta.url).pathname;
const json = (path: string) => JSON.parse(readFileSync(`${root}${path}`, "utf8"));

interface Manifest {
  name: string;
  private?: boolean;
  files?: string[];
  license?: string;
  engines?: { node?: string };
  publishConfig?: { access?: string; provenance?: boolean };
  dependencies?: Record<string, string>;
}

const workspaces = (json("package.json") as { workspaces: string[] }).workspaces;
const manifests = new Map(
  workspaces.map((folder) => [folder.replace("packages/", ""), json(`${folder}/package.json`)]),
) as Map<string, Manifest>;

interface Workflow {
  on: { push: { tags: string[] } };
  jobs: Record<
    string,
    {
      permissions: Record<string, string>;
      env: Record<string, string>;
      steps: Array<{ run?: string; env?: Record<string, string> }>;
    }
  >;
}
const workflow = parse(readFileSync(`${root}.github/workflows/release.yml`, "utf8")) as Workflow;
const job = workflow.jobs.release;

describe("the packages", () => {
  it("published are exactly the workspaces that are not private", () => {
    const notPrivate = [...manifests]
      .filter(([, manifest]) => !manifest.private)
      .map(([name]) => name);
    assert.deepEqual([...publishedPackages].sort(), notPrivate.sort());
  });

  it("are publishable: public, with provenance, their files named, Node 20 or later", () => {
    for (const name of publishedPackages) {
      const manifest = manifests.get(name);
      assert.ok(manifest, name);
      assert.deepEqual(manifest.publishConfig, { access: "public", provenance: true }, name);
      assert.ok(manifest.files?.includes("dist"), `${name}: files names dist`);
      assert.equal(manifest.license, "MIT", name);
      assert.equal(manifest.engines?.node, ">=20", name);
    }
  });
});

describe("the release workflow", () => {
  assert.ok(job, "a job named release");
  const script = job.steps.map((step) => step.run ?? "").join("\n");

  it("runs on a version tag, may sign provenance and write the release", () => {
    assert.deepEqual(workflow.on.push.tags, ["v*"]);
    assert.equal(job.permissions["id-token"], "write");
    assert.equal(job.permissions.contents, "write");
  });

  it("publishes every package after the ones it depends on", () => {
    const order = (job.env.PACKAGES ?? "").trim().split(/\s+/);
    assert.deepEqual([...order].sort(), [...publishedPackages].sort());
    for (const [index, name] of order.entries()) {
      for (const dependency of Object.keys(manifests.get(name)?.dependencies ?? {})) {
        const sibling = dependency.replace("@glm-image/", "");
        if (dependency.startsWith("@glm-image/")) {
          assert.ok(order.indexOf(sibling) < index, `${name} after ${sibling}`);
        }
      }
    }
  });

  it("tests the packed packages, then publishes with provenance and a token from a secret", () => {
    assert.ok(script.indexOf("npm run test:packed") < script.indexOf("npm publish"));
    assert.match(script, /npm publish "\.\/\$tarball" --provenance --access public/);
    assert.match(script, /repository\.url=git\+https:\/\/github\.com\/\$GITHUB_REPOSITORY\.git/);
    const publish = job.steps.find((step) => step.run?.includes("npm publish"));
    assert.match(publish?.env?.NODE_AUTH_TOKEN ?? "", /^\$\{\{ secrets\.NPM_TOKEN \}\}$/);
    assert.match(script, /gh release (create|upload) "\$TAG" packed\/\*\.tgz/);
  });
});
