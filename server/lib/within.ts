/**
 * `p`, or a rejection after `ms`: a dead or stalled dependency must not hang the caller. `p` goes on; its outcome is
 * dropped (a late rejection is not left unhandled), and the timer ends with the race.
 */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
