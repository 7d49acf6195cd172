// How the pages write numbers and times.
const integer = new Intl.NumberFormat('en-US');

/** An integer amount with thousands separators. */
export function amount(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : integer.format(n);
}

/** An ISO time as `YYYY-MM-DD HH:MM` UTC. */
export function time(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '–';
}

/** A signed integer amount: `+500`, `-1,200`. */
export function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${integer.format(n)}`;
}

/** A price in its currency: USD from cents (`$4.99`), GOLD and GEM as whole units (`1,200 GOLD`). */
export function price(n: number | null | undefined, currency: string): string {
  if (n === null || n === undefined) return '–';
  return currency === 'USD' ? `$${(n / 100).toFixed(2)}` : `${integer.format(n)} ${currency}`;
}

/** A duration in milliseconds, short: `850 ms`, `3.2 s`, `4 min`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A ratio as a percentage with two decimals (`96.50%`). */
export function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(2)}%`;
}
