/**
 * The geometry of the statistics charts: small pure functions from figures to SVG coordinates.
 * Charts are drawn in a 360-unit-wide viewBox (the narrowest phone), scaled to the page width.
 */

/** Width of every chart's viewBox, in SVG units. */
export const CHART_WIDTH = 360;

/** Where the plot sits inside the viewBox. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Axis ticks: the axis runs from 0 to `max`, with a tick at each value of `ticks`. */
export interface Ticks {
  max: number;
  ticks: number[];
}

/**
 * Round ticks from 0 to at least `maxValue`: steps of 1, 2 or 5 times a power of ten, never
 * below 1 (persons are whole), about `target` of them. An empty axis runs from 0 to 1.
 */
export function niceTicks(maxValue: number, target = 4): Ticks {
  if (!(maxValue > 0)) return { max: 1, ticks: [0, 1] };
  const rough = maxValue / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const max = Math.ceil(maxValue / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { max, ticks };
}

/** A linear map from [d0, d1] to [r0, r1]; a zero-width domain maps everything to r0. */
export function scaleLinear(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0;
  return (value) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** Rounds a coordinate to one decimal, so the markup stays small and stable. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** An SVG path through the points, in order ("M x y L x y …"); empty for no points. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round1(p.x)} ${round1(p.y)}`).join(' ');
}

/** A closed area under the points down to `baseline` (for a filled series). */
export function areaPath(points: readonly { x: number; y: number }[], baseline: number): string {
  if (points.length === 0) return '';
  const first = points[0]!;
  const last = points.at(-1)!;
  return `${linePath(points)} L${round1(last.x)} ${round1(baseline)} L${round1(first.x)} ${round1(baseline)} Z`;
}

/**
 * At most `maxPoints` of the items, evenly spaced, always keeping the first and the last: a long
 * daily series drawn as a line needs no more points than the chart has room for.
 */
export function downsample<T>(items: readonly T[], maxPoints: number): T[] {
  if (items.length <= maxPoints || maxPoints < 2) return [...items];
  const stride = (items.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => items[Math.round(i * stride)]!);
}

/** About `count` evenly spaced indices into a series of `length`, first and last included. */
export function evenIndices(length: number, count: number): number[] {
  if (length <= 0) return [];
  if (length === 1 || count <= 1) return [0];
  const n = Math.min(count, length);
  return [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * (length - 1)) / (n - 1))))];
}

/** The points of a series of values spread evenly across the plot's width, 0 at its bottom. */
export function seriesPoints(values: readonly number[], plot: PlotArea, max: number): { x: number; y: number }[] {
  const x = scaleLinear(0, Math.max(1, values.length - 1), plot.left, plot.left + plot.width);
  const y = scaleLinear(0, max, plot.top + plot.height, plot.top);
  return values.map((v, i) => ({ x: x(i), y: y(v) }));
}

/** One horizontal bar: where its row starts, and how long the bar is. */
export interface BarBox {
  y: number;
  width: number;
}

/**
 * Horizontal bars for `values`, one row of `rowHeight` each from `top`, bar lengths scaled so
 * that `max` fills `width`. A non-zero value always gets at least a sliver (one unit) to be seen.
 */
export function horizontalBars(values: readonly number[], top: number, rowHeight: number, width: number, max: number): BarBox[] {
  const scale = scaleLinear(0, max, 0, width);
  return values.map((v, i) => ({ y: top + i * rowHeight, width: v > 0 ? Math.max(1, round1(scale(v))) : 0 }));
}
