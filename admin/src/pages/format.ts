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
