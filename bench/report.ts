// The bench's reporter: one line per measurement as it comes, then each figure over its runs
// (median, and min-max as the spread), "met" decided on the median; the scale figures with their
// growth and an SVG chart each. A saved run writes bench/results.json, bench/charts/*.svg and the
// results section of BENCHMARKS.md; a run of some faces only merges its figures into them.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { root } from "@glm-image/testkit";
import { lineChart } from "./chart.ts";
import { type Figure, median, meets, round, type ScalePoint, type Target } from "./measure.ts";

/** A figure over its runs, as results.json keeps it. */
export interface FigureSummary {
  id: string;
  figure: string;
  unit: string;
  /** Each run's value, in run order. */
  runs: number[];
  /** The median of the runs. */
  value: number;
  min: number;
  max: number;
  baseline?: number;
  baselineRuns?: number[];
  /** The median of each run's value / baseline. */
  ratio?: number;
  ratioRuns?: number[];
  target: string;
  /** On the median; null when the target names a figure that was not measured. */
  met: boolean | null;
  note?: string;
  date: string;
}

export interface ScalePointSummary {
  size: number;
  runs: number[];
  value: number;
  min: number;
  max: number;
  note?: string;
}

export interface ScaleSeriesSummary {
  name: string;
  reference: boolean;
  points: ScalePointSummary[];
  /** k in value ∝ size^k, from the smallest size to the largest. */
  exponent: number;
  /** The cost of each added unit, small to middle and middle to large. */
  marginal: number[];
  growth: string;
}

export interface ScaleSummary {
  id: string;
  figure: string;
  unit: string;
  sizeLabel: string;
  series: ScaleSeriesSummary[];
  valid: boolean;
  chart: string;
  date: string;
}

export interface Results {
  date: string;
  machine: string;
  runs: number;
  figures: FigureSummary[];
  scale: ScaleSummary[];
}

const RESULTS = join(root, "bench/results.json");
const SCALE_NOTE =
  'Scale figures, each at three sizes. k is the exponent in value ∝ size^k from the smallest size to the largest (0 flat, 1 linear); "each added one" is the cost of each unit added from the small size to the middle one, then from the middle to the large. Growth: *flat* when the largest size costs at most 1.25x the smallest; **faster than linear** when k > 1.15 or each added unit costs over 1.5x more in the second step than in the first, the largest value over a quarter above that (a defect, or a limit to document); *linear* from 0.75x to 1.5x; else *sublinear*. A fixed cost, such as a process start-up, lowers k but not the cost of each added unit.';
const MARKDOWN = join(root, "BENCHMARKS.md");
const MARKER = "<!-- results -->";

export function targetText(target: Target, unit: string): string {
  if (target.of === "report") return "report";
  if (target.of === "figure") return `${target.op} figure ${target.figure}`;
  if (target.of === "ratio") return `${target.op} ${target.limit}x baseline`;
  return `${target.op} ${target.limit}${unit ? ` ${unit}` : ""}`;
}

/** Keeps every measurement; prints one line for each as it is measured. */
export function reporter(runs: number) {
  const figures: Array<Figure & { run: number }> = [];
  const points: Array<ScalePoint & { run: number }> = [];
  let current = 0;
  return {
    figures,
    points,
    startRun(run: number) {
      current = run;
    },
    record(figure: Figure) {
      figures.push({ ...figure, run: current });
      const ratio =
        figure.baseline === undefined
          ? ""
          : ` (baseline ${figure.baseline}, ratio ${round(figure.value / figure.baseline, 2)})`;
      console.log(
        `run ${current + 1}/${runs} ${figure.id}. ${figure.figure}: ${figure.value} ${figure.unit}${ratio}, target ${targetText(figure.target, figure.unit)}${figure.valid === false ? " INVALID" : ""}`,
      );
    },
    point(point: ScalePoint) {
      points.push({ ...point, run: current });
      console.log(
        `run ${current + 1}/${runs} ${point.figure} [${point.series}] at ${point.size} ${point.sizeLabel}: ${round(point.value, 2)} ${point.unit}${point.valid === false ? " INVALID" : ""}`,
      );
    },
  };
}

const by = <T, K>(items: T[], key: (item: T) => K): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** The run whose value is the median's (for its note). */
const medianRun = <T extends { value: number }>(items: T[]): T | undefined => {
  const middle = median(items.map((item) => item.value));
  return [...items].sort((a, b) => Math.abs(a.value - middle) - Math.abs(b.value - middle))[0];
};

function summarizeFigures(
  figures: Array<Figure & { run: number }>,
  date: string,
  others: FigureSummary[],
): FigureSummary[] {
  const summaries = [...by(figures, (figure) => figure.id).values()].map((runs) => {
    const first = runs[0] as Figure;
    const values = runs.map((run) => run.value);
    const summary: FigureSummary = {
      id: first.id,
      figure: first.figure,
      unit: first.unit,
      runs: values,
      value: round(median(values), 2),
      min: Math.min(...values),
      max: Math.max(...values),
      target: targetText(first.target, first.unit),
      met: null,
      date,
    };
    const baselines = runs.flatMap((run) => (run.baseline === undefined ? [] : [run.baseline]));
    if (baselines.length === runs.length) {
      const ratios = runs.map((run) => round(run.value / (run.baseline as number), 3));
      Object.assign(summary, {
        baseline: round(median(baselines), 2),
        baselineRuns: baselines,
        ratio: round(median(ratios), 2),
        ratioRuns: ratios,
      });
    }
    const note = medianRun(runs)?.note;
    if (note) summary.note = note;
    return { summary, target: first.target, valid: runs.every((run) => run.valid !== false) };
  });
  const known = new Map(
    [...others, ...summaries.map(({ summary }) => summary)].map((s) => [s.id, s]),
  );
  for (const { summary, target, valid } of summaries) {
    if (target.of === "report") summary.met = valid;
    else if (target.of === "figure") {
      const other = known.get(target.figure);
      summary.met = other ? valid && meets(summary.value, target.op, other.value) : null;
    } else {
      const checked = target.of === "ratio" ? summary.ratio : summary.value;
      summary.met = checked !== undefined && valid && meets(checked, target.op, target.limit);
    }
  }
  return summaries.map(({ summary }) => summary);
}

/**
 * How a series grows: "flat" when the largest size costs at most 1.25x the smallest; "faster than
 * linear" when k (value ∝ size^k, smallest to largest) is above 1.15 or when each added unit costs
 * more than 1.5x as much from the middle size to the large one as from the small one to the
 * middle, the largest value beyond that by over a quarter of itself; "linear" when it costs 0.75x to 1.5x as much; otherwise "sublinear". A fixed cost (a
 * process start-up) lowers k but not the cost of each added unit.
 */
export function growthOf(
  points: Array<{ size: number; value: number }>,
  exponent: number,
): { growth: string; marginal: number[] } {
  const [small, middle, large] = points;
  if (!small || !middle || !large) return { growth: "n/a", marginal: [] };
  const marginal = [
    (middle.value - small.value) / (middle.size - small.size),
    (large.value - middle.value) / (large.size - middle.size),
  ];
  const [first = 0, second = 0] = marginal;
  if (large.value <= small.value * 1.25) return { growth: "flat", marginal };
  // Beyond 1.5x the first step's cost per unit, by more than a quarter of the largest value (so
  // that noise around a flat curve is not a defect).
  const steeper = large.value - (middle.value + 1.5 * first * (large.size - middle.size));
  if (exponent > 1.15 || (first > 0 && second > 1.5 * first && steeper > 0.25 * large.value)) {
    return { growth: "faster than linear", marginal };
  }
  return { growth: first > 0 && second >= 0.75 * first ? "linear" : "sublinear", marginal };
}

function summarizeScale(points: Array<ScalePoint & { run: number }>, date: string) {
  return [...by(points, (point) => point.id).values()].map((figurePoints): ScaleSummary => {
    const first = figurePoints[0] as ScalePoint;
    const series = [...by(figurePoints, (point) => point.series).values()].map((seriesPoints) => {
      const sized = [...by(seriesPoints, (point) => point.size).values()]
        .map((runs): ScalePointSummary => {
          const values = runs.map((run) => run.value);
          const note = medianRun(runs)?.note;
          return {
            size: (runs[0] as ScalePoint).size,
            runs: values,
            value: round(median(values), 3),
            min: Math.min(...values),
            max: Math.max(...values),
            ...(note ? { note } : {}),
          };
        })
        .sort((a, b) => a.size - b.size);
      const [small, large] = [sized[0], sized.at(-1)];
      const exponent =
        small && large && large.size > small.size && small.value > 0
          ? Math.log(large.value / small.value) / Math.log(large.size / small.size)
          : Number.NaN;
      const computed = growthOf(sized, exponent);
      const marginal = computed.marginal;
      const growth = seriesPoints.find((point) => point.growth)?.growth ?? computed.growth;
      return {
        name: (seriesPoints[0] as ScalePoint).series,
        reference: seriesPoints.some((point) => point.reference),
        points: sized,
        exponent: round(exponent, 2),
        marginal: marginal.map((value) => Number(value.toPrecision(3))),
        growth,
      };
    });
    return {
      id: first.id,
      figure: first.figure,
      unit: first.unit,
      sizeLabel: first.sizeLabel,
      series,
      valid: figurePoints.every((point) => point.valid !== false),
      chart: `bench/charts/${first.id}.svg`,
      date,
    };
  });
}

const formatNumber = (value: number) =>
  Math.abs(value) >= 100
    ? Math.round(value).toLocaleString("en-US")
    : String(Number(value.toPrecision(3)));
const spread = (summary: { min: number; max: number; runs: number[] }) =>
  summary.runs.length > 1 ? `${formatNumber(summary.min)}–${formatNumber(summary.max)}` : "";

function figureTable(figures: FigureSummary[], date: string): string {
  return [
    "| figure | value (median) | spread (min–max) | baseline | ratio | target | met | note |",
    "|---|---|---|---|---|---|---|---|",
    ...figures.map((figure) => {
      const met = figure.met === null ? "n/a" : figure.met ? "yes" : "**no**";
      const when =
        figure.date.slice(0, 10) === date.slice(0, 10) ? "" : ` (${figure.date.slice(0, 10)})`;
      return `| ${figure.id}. ${figure.figure} | ${formatNumber(figure.value)} ${figure.unit} | ${spread(figure)} | ${figure.baseline === undefined ? "" : formatNumber(figure.baseline)} | ${figure.ratio ?? ""} | ${figure.target} | ${met} | ${figure.note ?? ""}${when} |`;
    }),
  ].join("\n");
}

/** The notes of each series at its largest size. */
function scaleNotes(scale: ScaleSummary[]): string {
  return scale
    .flatMap((figure) =>
      figure.series.flatMap((series) => {
        const largest = series.points.at(-1);
        return largest?.note
          ? [
              `- ${figure.figure.split(" ")[0]} ${series.name}, at ${formatNumber(largest.size)}: ${largest.note}`,
            ]
          : [];
      }),
    )
    .join("\n");
}

function scaleTable(scale: ScaleSummary[]): string {
  const notes = scaleNotes(scale);
  return [
    "| figure | series | values at each size (median, min–max) | growth | chart |",
    "|---|---|---|---|---|",
    ...scale.flatMap((figure) =>
      figure.series.map((series, index) => {
        const values = series.points
          .map(
            (point) =>
              `${formatNumber(point.size)}: ${formatNumber(point.value)}${point.runs.length > 1 ? ` (${spread(point)})` : ""}`,
          )
          .join("; ");
        const verdict =
          series.growth === "faster than linear" ? `**${series.growth}**` : series.growth;
        const known = ["flat", "sublinear", "linear", "faster than linear", "n/a"];
        const growth = series.reference
          ? "reference"
          : !known.includes(series.growth)
            ? series.growth
            : `${verdict}: k ${series.exponent}; each added one ${series.marginal.map((value) => `${value >= 0 ? "+" : ""}${formatNumber(value)}`).join(", then ")} ${figure.unit}`;
        return `| ${index === 0 ? `${figure.figure}${figure.valid ? "" : " **INVALID**"}` : ""} | ${series.name} | ${values} ${figure.unit} | ${growth} | ${index === 0 ? `[svg](${figure.chart})` : ""} |`;
      }),
    ),
    ...(notes ? ["", notes] : []),
  ].join("\n");
}

async function readResults(): Promise<Results | undefined> {
  try {
    const results = JSON.parse(await readFile(RESULTS, "utf8")) as Partial<Results>;
    return Array.isArray(results.figures) && results.figures.every((figure) => "runs" in figure)
      ? ({ scale: [], ...results } as Results)
      : undefined;
  } catch {
    return undefined;
  }
}

const mergeById = <T extends { id: string }>(old: T[], fresh: T[]): T[] => {
  const freshIds = new Set(fresh.map((item) => item.id));
  const merged = [...old.filter((item) => !freshIds.has(item.id)), ...fresh];
  const order = (id: string) => [...old, ...fresh].findIndex((item) => item.id === id);
  return merged.sort((a, b) => order(a.id) - order(b.id));
};

/**
 * Prints the tables; with `save`, writes results.json, the charts and BENCHMARKS.md's results
 * section (merging into what is there when `merge`: a run of some faces only).
 */
export async function report(
  measured: ReturnType<typeof reporter>,
  options: { runs: number; save: boolean; merge: boolean; command: string },
): Promise<void> {
  const date = new Date().toISOString();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${round(totalmem() / 2 ** 30, 0)} GiB, Node ${process.versions.node}`;
  const previous = options.merge ? await readResults() : undefined;
  const figures = summarizeFigures(measured.figures, date, previous?.figures ?? []);
  const scale = summarizeScale(measured.points, date);
  const results: Results = {
    date,
    machine,
    runs: options.runs,
    figures: mergeById(previous?.figures ?? [], figures),
    scale: mergeById(previous?.scale ?? [], scale),
  };
  const tables = [
    figureTable(results.figures, date),
    results.scale.length > 0 ? `\n${SCALE_NOTE}\n\n${scaleTable(results.scale)}` : "",
  ].join("\n");
  console.log(`\n${figureTable(figures, date)}\n${scale.length ? `\n${scaleTable(scale)}` : ""}`);
  if (!options.save) return;
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  await mkdir(join(root, "bench/charts"), { recursive: true });
  for (const figure of scale) {
    const svg = lineChart({
      title: figure.figure,
      xLabel: figure.sizeLabel,
      yLabel: figure.unit,
      series: figure.series.map((series) => ({
        name: series.name,
        reference: series.reference,
        points: series.points.map((point) => ({
          x: point.size,
          y: point.value,
          low: point.min,
          high: point.max,
        })),
      })),
    });
    await writeFile(join(root, figure.chart), svg);
  }
  const charts = results.scale.map((figure) => `![${figure.id}](${figure.chart})`).join("\n");
  const how =
    options.runs === 1
      ? "one run each (`--quick`): a development figure, not a final one"
      : `each figure the median of ${options.runs} runs, the spread their min–max; "met" is decided on the median`;
  const markdown = await readFile(MARKDOWN, "utf8");
  await writeFile(
    MARKDOWN,
    `${markdown.split(MARKER)[0]}${MARKER}\nLast run: ${date.slice(0, 10)}, ${machine}, \`${options.command}\`: ${how}.\n\n${tables}\n${charts ? `\n${charts}\n` : ""}`,
  );
}
