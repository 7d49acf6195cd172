import type { ApiRouter } from '../api.ts';
import type { CrashChainService } from '../../services/games/crash-chain.service.ts';
import type { FairnessService } from '../../services/fairness/fairness.service.ts';
import {
  ClientSeedRequest,
  crashChainBody,
  CrashChainResponse,
  RotateRequest,
  RotateResponse,
  RoundIdParams,
  roundRecordBody,
  rotationBody,
  seedBody,
  SeedResponse,
} from '../dto/fairness.dto.ts';

/** Provable fairness: the player's seeds, rotation (reveals the old seed), and public round verification data. */
export function fairnessRoutes(api: ApiRouter, deps: { fairness: FairnessService; crash: CrashChainService }) {
  const tags = ['fairness'];
  api.route(
    {
      method: 'get',
      path: '/fairness/seeds',
      tags,
      auth: true,
      summary: 'The active server seed commitment, client seed and next nonce',
      responses: { 200: { description: 'seeds', schema: SeedResponse } },
    },
    async ({ principal }) => ({ status: 200, body: seedBody(await deps.fairness.current(principal.userId)) }),
  );

  api.route(
    {
      method: 'post',
      path: '/fairness/client-seed',
      tags,
      auth: true,
      summary: 'Set the client seed used by the following rounds',
      body: ClientSeedRequest,
      responses: { 200: { description: 'seeds', schema: SeedResponse }, 400: 'request/invalid' },
    },
    async ({ principal, body }) => ({ status: 200, body: seedBody(await deps.fairness.setClientSeed(principal.userId, body.client_seed)) }),
  );

  api.route(
    {
      method: 'post',
      path: '/fairness/rotate',
      tags,
      auth: true,
      summary: 'Reveal the current server seed and start a new one (nonce 0)',
      body: RotateRequest,
      responses: { 200: { description: 'the revealed seed and the new commitment', schema: RotateResponse } },
    },
    async ({ principal, body }) => ({ status: 200, body: rotationBody(await deps.fairness.rotate(principal.userId, body?.client_seed)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/fairness/rounds/:id',
      tags,
      summary: 'Everything needed to re-verify a round (no login needed)',
      params: RoundIdParams,
      responses: { 200: 'the round and its fairness data', 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: roundRecordBody(await deps.fairness.roundRecord(params.id)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/fairness/crash-chain',
      tags,
      summary: 'The crash hash chain: terminating hash, salt, length and rounds used',
      responses: { 200: { description: 'the active chain', schema: CrashChainResponse } },
    },
    async () => ({ status: 200, body: crashChainBody(await deps.crash.publicChain()) }),
  );
}
