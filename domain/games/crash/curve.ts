/**
 * The crash multiplier as a function of server time (DESIGN §4 "Crash"): m(t) = e^(k·t) with
 * k = ln 2 / 8000 per ms ≈ 8.664e-5 /ms, i.e. the multiplier doubles every 8 s (2.00x at 8 s, 4.00x at
 * 16 s, 10.00x at ≈ 26.6 s, 100x at ≈ 53.2 s). Computed as 2^(t / 8000), which is exact at whole doublings.
 */

/** Milliseconds for the multiplier to double. */
export const DOUBLING_MS = 8000;

/** The curve constant k in m(t) = e^(k·t), per millisecond. */
export const CURVE_K_PER_MS = Math.LN2 / DOUBLING_MS;

/** The multiplier at `elapsedMs` since the round started running, in hundredths: floor(100 × 2^(t/8000)), ≥ 100. */
export function multiplierAt(elapsedMs: number): number {
  if (!(elapsedMs > 0)) return 100;
  return Math.max(100, Math.floor(100 * 2 ** (elapsedMs / DOUBLING_MS)));
}

/**
 * The first whole millisecond at which the curve reaches `hundredths` (integer ≥ 100):
 * the smallest integer t with multiplierAt(t) ≥ hundredths.
 */
export function msToReach(hundredths: number): number {
  if (!Number.isFinite(hundredths) || hundredths <= 100) return 0;
  let t = Math.max(0, Math.ceil(DOUBLING_MS * Math.log2(hundredths / 100)));
  // the logarithm can be off by an ulp either way; settle on the exact first millisecond
  while (multiplierAt(t) < hundredths) t++;
  while (t > 0 && multiplierAt(t - 1) >= hundredths) t--;
  return t;
}
