// npm run bench: what glm-image adds around the upstream, measured against the mock on loopback,
// each figure next to a baseline measured in the same run. One module per face (cli.ts, edge.ts,
// deno.ts, action.ts); report.ts prints the table and writes bench/results.json and the results
// section of BENCHMARKS.md.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer } from "@glm-image/mock";
import { root } from "@glm-image/testkit";
import { actionFigures } from "./action.ts";
import { cliFigures } from "./cli.ts";
import { denoFigures } from "./deno.ts";
import { edgeFigures } from "./edge.ts";
import type { BenchContext } from "./measure.ts";
import { report, reporter } from "./report.ts";

const { figures, record } = reporter();
// Async tasks finish at once: figure 3b compares the edge's polling with a floor that polls in a
// tight loop, so the mock's own task time would only hide the difference.
const mock = await startMockServer({ asyncPollsUntilDone: 0 });
const work = await mkdtemp(join(tmpdir(), "glm-image-bench-"));
const context: BenchContext = { mock, work, probe: join(root, "bench/rss-probe.mjs"), record };

// `npm run bench -- edge` runs one face's figures (cli, edge, deno, action); no argument runs them all.
const only = process.argv[2];
const faces = {
  cli: cliFigures,
  edge: edgeFigures,
  deno: () => denoFigures(mock, record),
  action: actionFigures,
};
try {
  for (const [face, measure] of Object.entries(faces)) {
    if (only === undefined || only === face) await measure(context);
  }
} finally {
  await mock.close();
  await rm(work, { recursive: true, force: true });
}
await report(figures, only === undefined);
process.exitCode = 0;
