// The bench's reporter: one line per figure as it is measured, the table at the end, and (after a
// whole run) bench/results.json and the results section of BENCHMARKS.md.
import { readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { root } from "@glm-image/testkit";
import { type Figure, round } from "./measure.ts";

/** Prints a figure as it is measured and keeps it for the table. */
export function reporter(): { figures: Figure[]; record: (figure: Figure) => void } {
  const figures: Figure[] = [];
  const record = (figure: Figure) => {
    figures.push(figure);
    console.log(
      `${figure.met ? "ok  " : "MISS"} ${figure.figure}: ${figure.value} ${figure.unit}${figure.baseline === undefined ? "" : ` (baseline ${figure.baseline}, ratio ${figure.ratio})`} target ${figure.target}`,
    );
  };
  return { figures, record };
}

/** Prints the table; a whole run (`save`) also replaces the recorded results. */
export async function report(figures: Figure[], save: boolean): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${round(totalmem() / 2 ** 30, 0)} GiB, Node ${process.versions.node}`;
  const table = [
    "| figure | value | baseline | ratio | target | met | note |",
    "|---|---|---|---|---|---|---|",
    ...figures.map(
      (figure) =>
        `| ${figure.figure} | ${figure.value} ${figure.unit} | ${figure.baseline ?? ""} | ${figure.ratio ?? ""} | ${figure.target} | ${figure.met ? "yes" : "**no**"} | ${figure.note ?? ""} |`,
    ),
  ].join("\n");
  console.log(`\n${table}`);
  if (save) {
    await writeFile(
      join(root, "bench/results.json"),
      `${JSON.stringify({ date: new Date().toISOString(), machine, figures }, null, 2)}\n`,
    );
    const markdown = await readFile(join(root, "BENCHMARKS.md"), "utf8");
    const marker = "<!-- results -->";
    await writeFile(
      join(root, "BENCHMARKS.md"),
      `${markdown.split(marker)[0]}${marker}\nLast run: ${new Date().toISOString().slice(0, 10)}, ${machine}, \`npm run bench\`.\n\n${table}\n`,
    );
  }
}
