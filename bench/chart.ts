// A small line chart as SVG, no dependency: log-scale x (the sizes: 100, 1,000, 10,000), linear y
// from 0, one line per series with its points and their spread (min-max) as whiskers, a legend.
// On a log x a linear cost looks convex, so each measured series also gets a faint dotted guide:
// the linear cost through its smallest and largest points. A middle point below its guide means
// faster than linear; on or above it, linear or better. The bench writes one chart per scale
// figure into bench/charts/.

export interface ChartSeries {
  name: string;
  /** Dashed: a reference (the upstream's own time), not a measured cost. */
  reference?: boolean;
  points: Array<{ x: number; y: number; low: number; high: number }>;
}

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

const WIDTH = 600;
const HEIGHT = 360;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

const xmlText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const format = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString("en-US") : String(Number(value.toPrecision(3)));

/** A round upper bound for the y axis and its tick step. */
function yScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  return { top: Math.ceil((max * 1.05) / step) * step, step };
}

export function lineChart(chart: Chart): string {
  const left = 64;
  const right = 40;
  const top = 36 + (chart.series.length + 1) * 16;
  const bottom = 48;
  const plotWidth = WIDTH - left - right;
  const plotHeight = HEIGHT - top - bottom;
  const points = chart.series.flatMap((series) => series.points);
  const xs = [...new Set(points.map((point) => point.x))].sort((a, b) => a - b);
  const [xMin = 1, xMax = 10] = [xs[0], xs.at(-1)];
  const span = Math.log10(xMax) - Math.log10(xMin) || 1;
  const x = (value: number) => left + ((Math.log10(value) - Math.log10(xMin)) / span) * plotWidth;
  const { top: yTop, step } = yScale(Math.max(...points.map((point) => point.high)));
  const y = (value: number) => top + plotHeight - (value / yTop) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${xmlText(`${chart.title}: ${chart.series.map((series) => `${series.name} ${series.points.map((point) => `${format(point.y)} at ${format(point.x)}`).join(", ")}`).join("; ")} (${chart.yLabel})`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="${Math.min(14, Math.floor((WIDTH - 20) / (0.62 * chart.title.length)))}" font-weight="bold">${xmlText(chart.title)}</text>`,
  ];
  // Grid and y ticks.
  for (let tick = 0; tick <= yTop + step / 2; tick += step) {
    parts.push(
      `<line x1="${left}" y1="${y(tick)}" x2="${left + plotWidth}" y2="${y(tick)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${format(tick)}</text>`,
    );
  }
  // x ticks at the sizes measured.
  for (const value of xs) {
    parts.push(
      `<line x1="${x(value)}" y1="${top + plotHeight}" x2="${x(value)}" y2="${top + plotHeight + 5}" stroke="#333"/>`,
      `<text x="${x(value)}" y="${top + plotHeight + 18}" text-anchor="middle">${format(value)}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<text x="${left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">${xmlText(chart.xLabel)} (log scale)</text>`,
    `<text transform="translate(16 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${xmlText(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const color = COLORS[index % COLORS.length];
    const dash = series.reference ? ' stroke-dasharray="6 4"' : "";
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${sorted.map((point) => `${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(" ")}"/>`,
    );
    for (const point of sorted) {
      if (point.high > point.low) {
        parts.push(
          `<line x1="${x(point.x)}" y1="${y(point.low)}" x2="${x(point.x)}" y2="${y(point.high)}" stroke="${color}" stroke-width="1.5"/>`,
        );
      }
      parts.push(
        `<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3.5" fill="${color}"><title>${xmlText(`${series.name}: ${format(point.y)} at ${format(point.x)}`)}</title></circle>`,
      );
    }
    const [first, last] = [sorted[0], sorted.at(-1)];
    if (!series.reference && first && last && sorted.length > 2) {
      const guide = Array.from({ length: 41 }, (_, step) => {
        const size = first.x * (last.x / first.x) ** (step / 40);
        const cost = first.y + ((last.y - first.y) * (size - first.x)) / (last.x - first.x);
        return `${x(size).toFixed(1)},${y(cost).toFixed(1)}`;
      });
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1" stroke-dasharray="1 3" opacity="0.7" points="${guide.join(" ")}"/>`,
      );
    }
    const legendX = left;
    const legendY = 38 + index * 16;
    parts.push(
      `<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 22}" y2="${legendY - 4}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 28}" y="${legendY}">${xmlText(series.name)}</text>`,
    );
  });
  const guideY = 38 + chart.series.length * 16;
  parts.push(
    `<line x1="${left}" y1="${guideY - 4}" x2="${left + 22}" y2="${guideY - 4}" stroke="#666" stroke-dasharray="1 3"/>`,
    `<text x="${left + 28}" y="${guideY}" fill="#555" font-size="11">linear between each line's ends: a middle point below it grows faster than linear</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
