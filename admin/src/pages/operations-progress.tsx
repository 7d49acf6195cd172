// A running step's progress: the job's items done out of its total (GET /api/admin/jobs/{id}), refreshed every second
// while it runs.
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';

/** What the progress bar reads of `GET /api/admin/jobs/{id}`. */
interface JobProgressBody {
  status: string;
  counts: { total: number; succeeded: number; failed: number; skipped: number };
}

/** A progress bar over a job's items. */
export function JobProgress({ jobId }: { jobId: string }) {
  const job = useQuery({
    queryKey: ['admin', 'jobs', 'one', jobId],
    queryFn: ({ signal }) => apiGet<JobProgressBody>(`/api/admin/jobs/${jobId}`, signal),
    refetchInterval: (q) => (['DONE', 'FAILED', 'CANCELED'].includes(q.state.data?.status ?? '') ? false : 1000),
  });
  const c = job.data?.counts;
  const done = c ? c.succeeded + c.failed + c.skipped : 0;
  return (
    <div className="job-progress" data-testid="job-progress">
      <progress max={c?.total || 1} value={done} aria-label="Job progress" />
      <small>{c ? `${done} / ${c.total} items · ${job.data?.status}` : 'starting…'}</small>
    </div>
  );
}
