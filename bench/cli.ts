// The installed CLI (`npm pack` + `npm install` of core, node and cli, as users get it): cold
// start and peak RSS, next to a bare `node -e 0` and a bare script that fetches the same image.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MockServer } from "@glm-image/mock";
import { packAndInstall } from "../scripts/pack-install.ts";
import { type Figure, median, runChild } from "./measure.ts";

const RUNS = 7;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export async function installedCliFigures(options: {
  mock: MockServer;
  work: string;
  probe: string;
  record: (figure: Figure) => void;
}): Promise<void> {
  const { mock, work, probe, record } = options;
  const folder = join(work, "installed");
  await packAndInstall(["core", "node", "cli"], folder);
  const glmImage = join(folder, "node_modules/.bin/glm-image");
  const node = process.execPath;
  const env = {
    ZHIPU_API_KEY: mock.apiKey,
    ZHIPU_BASE_URL: mock.baseUrl,
    NODE_OPTIONS: `--import ${probe}`,
    // The installed bin's shebang finds `node` on PATH: this Node.
    PATH: `${join(node, "..")}:${process.env.PATH}`,
  };
  const bareFetch = join(work, "bare-fetch.mjs");
  await writeFile(
    bareFetch,
    `const answer = await (await fetch(process.env.ZHIPU_BASE_URL + "/images/generations", { method: "POST", headers: { authorization: "Bearer " + process.env.ZHIPU_API_KEY, "content-type": "application/json" }, body: JSON.stringify({ model: "glm-image", prompt: "bench", size: "1280x1280", quality: "hd" }) })).json();
const bytes = new Uint8Array(await (await fetch(answer.data[0].url)).arrayBuffer());
(await import("node:fs")).writeFileSync(process.argv[2], bytes);\n`,
  );

  /** Median wall time (ms) and peak RSS (MiB) of a command over RUNS runs. */
  const measure = async (command: string, args: string[]) => {
    const walls: number[] = [];
    const peaks: number[] = [];
    for (let index = 0; index < RUNS; index++) {
      const run = await runChild(command, args, env);
      if (run.status !== 0 || run.maxRssKiB === undefined) {
        throw new Error(`${command} ${args.join(" ")}: ${run.stdout}${run.stderr}`);
      }
      walls.push(run.wallMs);
      peaks.push(run.maxRssKiB / 1024);
    }
    return { wallMs: median(walls), rssMiB: median(peaks) };
  };

  const empty = await measure(node, ["-e", "0"]);
  const version = await measure(glmImage, ["--version"]);
  const fetched = await measure(node, [bareFetch, join(work, "bare.png")]);
  const saved = await measure(glmImage, ["-p", "bench", "--save", join(work, "installed.png")]);

  record({
    figure: "1b. Installed CLI cold start (glm-image --version, p50)",
    value: round(version.wallMs),
    unit: "ms",
    baseline: round(empty.wallMs),
    ratio: round(version.wallMs / empty.wallMs, 2),
    target: "report",
    met: true,
    note: `baseline: node -e 0; a bare fetch of the same image: ${round(fetched.wallMs)} ms, the installed CLI's --save: ${round(saved.wallMs)} ms`,
  });
  record({
    figure: "2b. Installed CLI peak RSS, --save, minus a bare fetch of the same image",
    value: round(saved.rssMiB - fetched.rssMiB),
    unit: "MiB",
    baseline: round(fetched.rssMiB),
    target: "≤ 8 MiB",
    met: saved.rssMiB - fetched.rssMiB <= 8,
    note: `node -e 0: ${round(empty.rssMiB)} MiB, glm-image --version: ${round(version.rssMiB)} MiB, bare fetch: ${round(fetched.rssMiB)} MiB, glm-image --save: ${round(saved.rssMiB)} MiB`,
  });
}
