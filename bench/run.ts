// npm run bench: what glm-image adds around the upstream, measured against the mock on loopback,
// each figure next to a baseline measured in the same run; and how cost grows with the work (the
// scale figures, each at three sizes). One module per face; report.ts prints the tables and
// writes bench/results.json, bench/charts/*.svg and the results section of BENCHMARKS.md.
//
//   npm run bench                      every face, each timed figure 3 times (the final figures)
//   npm run bench -- --quick           one run of each: for development
//   npm run bench -- edge gallery      some faces only (scale: gallery, plan, flight, memory);
//                                      add --save to merge their figures into the saved ones
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startMockServer } from "@glm-image/mock";
import { root } from "@glm-image/testkit";
import { actionFigures } from "./action.ts";
import { cliFigures } from "./cli.ts";
import { denoFigures } from "./deno.ts";
import { edgeFigures } from "./edge.ts";
import type { BenchContext } from "./measure.ts";
import { report, reporter } from "./report.ts";
import { flightFigures } from "./scale-flight.ts";
import { galleryFigures } from "./scale-gallery.ts";
import { memoryFigures } from "./scale-memory.ts";
import { planFigures } from "./scale-plan.ts";

const faces: Record<string, (context: BenchContext) => Promise<void>> = {
  cli: cliFigures,
  edge: edgeFigures,
  deno: denoFigures,
  action: actionFigures,
  gallery: galleryFigures,
  plan: planFigures,
  flight: flightFigures,
  memory: memoryFigures,
};
const groups: Record<string, string[]> = { scale: ["gallery", "plan", "flight", "memory"] };

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: "boolean", default: false },
    save: { type: "boolean", default: false },
    runs: { type: "string" },
  },
  allowPositionals: true,
});
const selected = positionals.flatMap((name) => groups[name] ?? [name]);
const unknown = selected.filter((name) => !(name in faces));
if (unknown.length > 0) {
  console.error(
    `unknown face ${unknown.join(", ")}: one of ${[...Object.keys(faces), ...Object.keys(groups)].join(", ")}`,
  );
  process.exit(2);
}
const chosen = Object.keys(faces).filter(
  (face) => selected.length === 0 || selected.includes(face),
);
const runs = values.runs ? Number(values.runs) : values.quick ? 1 : 3;
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a whole number ≥ 1");

const measured = reporter(runs);
// Async tasks finish at once: figure 3b compares the edge's polling with a floor that polls in a
// tight loop, so the mock's own task time would only hide the difference.
const mock = await startMockServer({ asyncPollsUntilDone: 0 });
const work = await mkdtemp(join(tmpdir(), "glm-image-bench-"));
const started = performance.now();
try {
  // Run by run, every face in each: a noisy moment spoils one run of several figures, not every
  // run of one figure.
  for (let run = 0; run < runs; run++) {
    measured.startRun(run);
    for (const face of chosen) {
      mock.setLatency(0);
      await faces[face]?.({
        mock,
        work,
        probe: join(root, "bench/rss-probe.mjs"),
        run,
        runs,
        record: measured.record,
        point: measured.point,
      });
    }
  }
} finally {
  await mock.close();
  await rm(work, { recursive: true, force: true });
}
const whole = selected.length === 0;
await report(measured, {
  runs,
  save: whole || values.save,
  merge: !whole,
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
});
console.log(`\nbench: ${Math.round((performance.now() - started) / 1000)} s`);
process.exitCode = 0;
