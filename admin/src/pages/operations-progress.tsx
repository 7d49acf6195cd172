// A running step's progress: the job's items done out of its total, refreshed every second while it runs.
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';

interface JobProgressBody {
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/** A progress bar over a job's items. */
export function JobProgress({ jobId }: { jobId: string }) {
  const job = useQuery({
    queryKey: ['admin', 'jobs', 'one', jobId],
    queryFn: ({ signal }) => apiGet<JobProgressBody>(`/api/admin/jobs/${jobId}`, signal),
    refetchInterval: (q) => (['DONE', 'FAILED', 'CANCELED'].includes(q.state.data?.status ?? '') ? false : 1000),
  });
  const j = job.data;
  const done = j ? j.succeeded + j.failed + j.skipped : 0;
  return (
    <div className="job-progress" data-testid="job-progress">
      <progress max={j?.total || 1} value={done} aria-label="Job progress" />
      <small>{j ? `${done} / ${j.total} items · ${j.status}` : 'starting…'}</small>
    </div>
  );
}
