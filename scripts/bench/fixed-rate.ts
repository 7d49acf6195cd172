// HTTP requests at a fixed rate, for the bench's latency figures.

/** Requests at a fixed rate for `seconds`; the exact p50 / p95 / p99 of their latencies (ms). */
export async function fixedRate(rate: number, seconds: number, request: (i: number) => Promise<Response>) {
  const lat: number[] = [];
  let errors = 0;
  const total = rate * Math.min(seconds, 10);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const at = started + (i * 1000) / rate;
      await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
      const t0 = performance.now();
      const res = await request(i);
      await res.arrayBuffer();
      if (res.status >= 400) errors++;
      lat.push(performance.now() - t0);
    }),
  );
  lat.sort((a, b) => a - b);
  const at = (q: number) => Math.round(lat[Math.floor(lat.length * q)] * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), errors, rate, seconds: Math.min(seconds, 10) };
}
