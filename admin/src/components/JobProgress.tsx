// A job's progress bar: items done (succeeded, failed, skipped) out of its total, kept live by the job events stream,
// with a slow poll as a fallback while the job is active.
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import { useJobEvents } from '../api/job-events.ts';
import type { Job } from '../api/types.ts';

const ENDED = ['DONE', 'FAILED', 'CANCELED'];

/** The progress bar of the counts of a job (as in a list row). */
export function JobBar({ job }: { job: Pick<Job, 'status' | 'counts'> }) {
  const c = job.counts;
  const done = c.succeeded + c.failed + c.skipped;
  return (
    <div className="job-progress" data-testid="job-progress">
      <progress max={c.total || 1} value={done} aria-label="Job progress" />
      <small>
        {done} / {c.total} · {job.status}
        {c.failed > 0 && <> · {c.failed} failed</>}
      </small>
    </div>
  );
}

/** A live progress bar of one job (GET /api/admin/jobs/{id}, then its events). */
export function JobProgress({ jobId }: { jobId: string }) {
  useJobEvents();
  const job = useQuery({
    queryKey: ['admin', 'jobs', 'one', jobId],
    queryFn: ({ signal }) => apiGet<Job>(`/api/admin/jobs/${jobId}`, signal),
    refetchInterval: (q) => (ENDED.includes(q.state.data?.status ?? '') ? false : 5000),
  });
  return job.data ? <JobBar job={job.data} /> : <small>starting…</small>;
}
