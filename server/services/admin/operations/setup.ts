import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from '../../../../domain/shared/clock.ts';
import type { InboxService } from '../../inbox/inbox.service.ts';
import type { WalletService } from '../../wallet/wallet.service.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import type { PlayerAccessService } from '../player-access.service.ts';
import type { SegmentsService } from '../segments/segments.service.ts';
import type { TagsService } from '../segments/tags.service.ts';
import { OperationEffects } from './effects.ts';
import { operationJobHandlers } from './handlers.ts';
import { OperationsService } from './operations.service.ts';
import { OperationTargets } from './targets.ts';

/** Builds the operations service and registers its three job kinds with the job runtime (in every process). */
export function createOperations(d: {
  orm: MikroORM;
  clock: Clock;
  jobs: JobsService;
  segments: SegmentsService;
  tags: TagsService;
  inbox: InboxService;
  wallet: WalletService;
  playerAccess: PlayerAccessService;
  maxAmount: number;
}): OperationsService {
  const effects = new OperationEffects({ wallet: d.wallet, tags: d.tags, inbox: d.inbox, playerAccess: d.playerAccess });
  const after = {
    signOut: async (userIds: string[]) => {
      for (const id of userIds) await d.playerAccess.signOut(id, 'player.ban');
    },
    pushOnline: (userIds: string[], msg: { title: string; body: string; deepLink: string | null }) =>
      d.inbox.pushOnline(userIds, { ...msg, notificationId: null, dedupeKey: '' }),
  };
  for (const handler of operationJobHandlers(effects, after)) d.jobs.register(handler);
  const targets = new OperationTargets(d.segments, () => d.clock.now());
  return new OperationsService({ orm: d.orm, jobs: d.jobs, targets, effects, maxAmount: d.maxAmount });
}
