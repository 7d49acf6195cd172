import { expect } from 'chai';
import { GroupCommit, type GroupCommitOptions, type Outcome } from '../../server/infra/group-commit.ts';

/** A group commit over plain functions that records every batch and every lone run, with batches finished by hand. */
function harness(opts: Partial<GroupCommitOptions> = {}, runBatch?: (reqs: number[]) => Promise<Array<Outcome<string>>>) {
  const batches: number[][] = [];
  const alone: number[] = [];
  const committed: number[] = [];
  const open: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const gc = new GroupCommit<number, string>(
    runBatch ??
      (async (reqs) => {
        batches.push(reqs);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise<void>((r) => open.push(r));
        inFlight--;
        return reqs.map((n) => (n < 0 ? { ok: false as const, error: new Error(`refused ${n}`) } : { ok: true as const, value: `r${n}` }));
      }),
    async (n) => {
      alone.push(n);
      if (n === 13) throw new Error('unlucky');
      return `alone${n}`;
    },
    { windowMs: 5, maxSize: 4, maxInFlight: 1, onCommitted: (size) => committed.push(size), ...opts },
  );
  /** Lets every batch finish (one at a time) until `p` settles. */
  const finish = async <T>(p: Promise<T>): Promise<T> => {
    let done = false;
    p.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    while (!done) {
      open.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    return p;
  };
  return { gc, batches, alone, committed, open, finish, maxInFlight: () => maxInFlight };
}

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 1));
};

describe('GroupCommit (the queue behind batched rounds)', () => {
  it('flushes a full batch at once and the rest after the window, keeping arrival order', async () => {
    const h = harness();
    const results = Array.from({ length: 6 }, (_, i) => h.gc.submit(i));
    expect(h.batches, 'the first four without waiting for the window').to.deep.equal([[0, 1, 2, 3]]);
    await until(() => h.open.length === 1);
    h.open.shift()!();
    await until(() => h.batches.length === 2);
    expect(h.batches[1]).to.deep.equal([4, 5]);
    h.open.shift()!();
    expect(await Promise.all(results)).to.deep.equal(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(h.committed).to.deep.equal([4, 2]);
  });

  it('never runs more batches at once than allowed; requests arriving meanwhile wait for the next batch', async () => {
    const h = harness({ maxInFlight: 2 });
    const results = Array.from({ length: 14 }, (_, i) => h.gc.submit(i));
    expect(
      h.batches.map((b) => b.length),
      'two full batches in flight, the rest queued',
    ).to.deep.equal([4, 4]);
    h.open.shift()!();
    await until(() => h.batches.length === 3);
    expect(h.batches[2]).to.deep.equal([8, 9, 10, 11]);
    await h.finish(Promise.all(results));
    expect(h.batches.flat()).to.deep.equal(Array.from({ length: 14 }, (_, i) => i));
    expect(h.maxInFlight()).to.equal(2);
  });

  it('gives each request its own outcome: a refused one rejects, the others resolve', async () => {
    const h = harness();
    const settled = await h.finish(Promise.allSettled([h.gc.submit(1), h.gc.submit(-2), h.gc.submit(3)]));
    expect(settled.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).to.equal('Error: refused -2');
    expect(h.committed).to.deep.equal([2]);
  });

  it('runs every request of a failed batch alone, in order, so only the failing one gets an error', async () => {
    const h = harness({}, async () => {
      throw new Error('batch rolled back');
    });
    const settled = await Promise.allSettled([12, 13, 14].map((n) => h.gc.submit(n)));
    expect(h.alone).to.deep.equal([12, 13, 14]);
    expect(settled.map((o) => (o.status === 'fulfilled' ? o.value : String(o.reason)))).to.deep.equal([
      'alone12',
      'Error: unlucky',
      'alone14',
    ]);
    expect(h.committed).to.deep.equal([1, 1]);
  });

  it('drain settles what is queued without waiting for the window', async () => {
    const h = harness({ windowMs: 60_000 });
    const result = h.gc.submit(7);
    const drained = h.gc.drain();
    await until(() => h.open.length === 1);
    h.open.shift()!();
    await drained;
    expect(await result).to.equal('r7');
  });
});
