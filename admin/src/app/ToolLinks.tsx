// The operators' tools served by the server itself, outside this console (behind the admin session cookie): plain
// links, each shown only with its permission.
import type { Permission } from '../../../domain/admin/rbac.ts';

const TOOLS: { label: string; href: string; permission: Permission; testid: string }[] = [
  { label: 'Room monitor', href: '/admin/monitor', permission: 'monitor:use', testid: 'nav-monitor' },
  { label: 'Queues', href: '/admin/queues', permission: 'queues:use', testid: 'nav-queues' },
];

/** Links to the room monitor and the queue board, for the permissions held. */
export function ToolLinks({ permissions }: { permissions: readonly string[] }) {
  return (
    <>
      {TOOLS.filter((t) => permissions.includes(t.permission)).map((t) => (
        <a key={t.href} href={t.href} className="tool" data-testid={t.testid}>
          {t.label} ↗
        </a>
      ))}
    </>
  );
}
