/** When a group commit flushes its queue and how many batches may commit at once. */
export interface GroupCommitOptions {
  /** longest a request waits for others to join its batch, in ms (0: the next timer tick) */
  windowMs: number;
  /** a batch is flushed as soon as this many requests are queued; 1 gives every request its own transaction */
  maxSize: number;
  /** batches committing at the same time; further requests queue until one finishes */
  maxInFlight: number;
  /** called with the number of requests of every committed transaction (a request retried alone counts 1) */
  onCommitted?: (size: number) => void;
}

/** What one request of a batch came to: its result, or the error that request alone gets. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Queued<Q, R> {
  req: Q;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: requests from any caller are queued and run together, many to a transaction, when `maxSize`
 * are waiting or `windowMs` after the first one arrived. A request's promise settles only after its batch's
 * transaction has finished, so a caller never sees a result that did not commit.
 *
 * `runBatch` either returns one outcome per request, in order (the transaction committed, or its fate is
 * final, e.g. unknown after a failed COMMIT), or throws, which means nothing of the batch committed: then
 * every request is run again alone with `runAlone`, one after another in their original order, so a request
 * that breaks the batch gets its own error and the others still commit.
 */
export class GroupCommit<Q, R> {
  private queue: Array<Queued<Q, R>> = [];
  private timer: NodeJS.Timeout | undefined;
  /** the queue's window has passed (or it is full) but every in-flight slot was taken */
  private due = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly runBatch: (reqs: Q[]) => Promise<Array<Outcome<R>>>,
    private readonly runAlone: (req: Q) => Promise<R>,
    private readonly opts: GroupCommitOptions,
  ) {}

  submit(req: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (this.queue.length >= this.opts.maxSize) this.due = true;
      if (this.due) this.flush();
      else
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.due = true;
          this.flush();
        }, this.opts.windowMs);
    });
  }

  /** Flushes what is queued at once and waits until every batch has finished (used on shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      this.due = this.queue.length > 0;
      this.flush();
      await Promise.race(this.inFlight);
    }
  }

  private flush(): void {
    while (this.due && this.queue.length > 0 && this.inFlight.size < this.opts.maxInFlight) {
      const batch = this.queue.splice(0, this.opts.maxSize);
      const run = this.run(batch).finally(() => {
        this.inFlight.delete(run);
        this.flush();
      });
      this.inFlight.add(run);
      // what is left was queued while every slot was busy: it is overdue only if it is still a full batch
      this.due = this.queue.length >= this.opts.maxSize;
    }
    if (this.queue.length === 0) {
      this.due = false;
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if (!this.due && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        this.flush();
      }, this.opts.windowMs);
    }
  }

  private async run(batch: Array<Queued<Q, R>>): Promise<void> {
    let outcomes: Array<Outcome<R>>;
    try {
      outcomes = await this.runBatch(batch.map((b) => b.req));
    } catch {
      // nothing committed: each request alone, in order (a player's rounds must apply in the order they came)
      for (const b of batch) {
        try {
          const value = await this.runAlone(b.req);
          this.opts.onCommitted?.(1);
          b.resolve(value);
        } catch (err) {
          b.reject(err);
        }
      }
      return;
    }
    const committed = outcomes.filter((o) => o.ok).length;
    if (committed > 0) this.opts.onCommitted?.(committed);
    outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.value) : batch[i].reject(o.error)));
  }
}
