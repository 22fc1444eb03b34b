/** The width of every chart (SVG units): charts line up in the page and scale down together. */
export const CHART_WIDTH = 960;

/** Axis ticks at a round step (1, 2 or 5 times a power of ten) covering 0..max, about `count` of them. */
export function ticks(max: number, count: number): { values: number[]; decimals: number } {
  if (!(max > 0)) return { values: [0], decimals: 0 };
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const values: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) values.push(i * step);
  return { values, decimals: Math.max(0, -Math.floor(Math.log10(step))) };
}

/** SVG coordinates to a tenth of a pixel: shorter markup, same picture. */
export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
