import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { LiveOpsService } from '../../services/liveops/liveops.service.ts';
import type { ProfileService } from '../../services/liveops/profile.service.ts';
import type { StreakService } from '../../services/liveops/streak.service.ts';
import type { ApiRouter } from '../api.ts';
import { OptionalIdempotencyHeader, parseIdempotencyKey } from '../dto/idempotency.dto.ts';
import {
  claimBody,
  dashboardBody,
  eventBody,
  missionBody,
  participationBody,
  pendingBody,
  profileBody,
  rewardBody,
  streakBody,
  streakClaimBody,
  sessionBody,
  gameStatBody,
} from '../dto/liveops.dto.ts';

const IdParams = z.object({ id: z.uuid() });

/** Events, missions, streak, rewards, dashboard, profile and game history. */
export function liveopsRoutes(api: ApiRouter, d: { liveops: LiveOpsService; streak: StreakService; profile: ProfileService }) {
  const tags = ['live-ops'];
  // The dashboard's wire JSON by its ETag (a hash of the dashboard's content): a cached dashboard is mapped and
  // stringified once per change, not on every request.
  const dashboardJson = new LRUCache<string, string>({ max: 5_000 });
  api.route(
    {
      method: 'get',
      path: '/events',
      tags,
      auth: true,
      summary: 'Running events with your participation and progress',
      responses: { 200: 'events' },
    },
    async ({ principal }) => ({ status: 200, body: { events: (await d.liveops.events(principal.userId)).map(eventBody) } }),
  );
  api.route(
    {
      method: 'post',
      path: '/events/:id/participate',
      tags,
      auth: true,
      params: IdParams,
      summary: 'Join an event (its current period)',
      responses: { 200: 'participation', 404: 'resource/not_found', 409: 'event/not_active' },
    },
    async ({ principal, params }) => ({ status: 200, body: participationBody(await d.liveops.participate(principal.userId, params.id)) }),
  );
  api.route(
    {
      method: 'post',
      path: '/events/:id/claim',
      tags,
      auth: true,
      params: IdParams,
      headers: OptionalIdempotencyHeader,
      summary:
        'Claim a completed event: {reward_items, progress_version, new_balances, applied}; a repeat returns the same result with applied=false',
      responses: { 200: 'claimed', 400: 'request/invalid (e.g. a malformed Idempotency-Key)', 409: 'event/not_claimable' },
    },
    async ({ principal, params, req }) => ({
      status: 200,
      body: claimBody(await d.liveops.claimEvent(principal.userId, params.id, parseIdempotencyKey(req))),
    }),
  );
  api.route(
    {
      method: 'get',
      path: '/missions',
      tags,
      auth: true,
      summary: 'Daily, weekly and achievement missions with your progress this period',
      responses: { 200: 'missions' },
    },
    async ({ principal }) => ({ status: 200, body: { missions: (await d.liveops.missions(principal.userId)).map(missionBody) } }),
  );
  api.route(
    {
      method: 'post',
      path: '/missions/:id/claim',
      tags,
      auth: true,
      params: IdParams,
      headers: OptionalIdempotencyHeader,
      summary: 'Claim a completed mission (as events)',
      responses: { 200: 'claimed', 400: 'request/invalid (e.g. a malformed Idempotency-Key)', 409: 'event/not_claimable' },
    },
    async ({ principal, params, req }) => ({
      status: 200,
      body: claimBody(await d.liveops.claimMission(principal.userId, params.id, parseIdempotencyKey(req))),
    }),
  );
  api.route(
    {
      method: 'get',
      path: '/streak',
      tags,
      auth: true,
      summary: "Your daily streak, today's reward and whether it is claimable",
      responses: { 200: 'streak' },
    },
    async ({ principal }) => ({ status: 200, body: streakBody(await d.streak.view(principal.userId)) }),
  );
  api.route(
    {
      method: 'post',
      path: '/streak/claim',
      tags,
      auth: true,
      summary: "Claim today's streak reward (after playing today)",
      responses: { 200: 'claimed', 409: 'streak/not_claimable' },
    },
    async ({ principal }) => ({ status: 200, body: streakClaimBody(await d.streak.claim(principal.userId)) }),
  );
  api.route(
    {
      method: 'get',
      path: '/rewards/pending',
      tags,
      auth: true,
      summary: 'Claimable events and missions',
      responses: { 200: 'pending rewards' },
    },
    async ({ principal }) => ({ status: 200, body: { pending: (await d.liveops.pending(principal.userId)).map(pendingBody) } }),
  );
  api.route(
    {
      method: 'get',
      path: '/rewards/history',
      tags,
      auth: true,
      summary: 'Rewards paid to you, newest first',
      responses: { 200: 'history' },
    },
    async ({ principal }) => ({ status: 200, body: { rewards: (await d.liveops.history(principal.userId)).map(rewardBody) } }),
  );

  api.route(
    {
      method: 'get',
      path: '/dashboard',
      tags: ['lobby'],
      auth: true,
      summary:
        'The lobby in one call (profile, balances, events, missions, pending rewards, recent sessions, streak, shop highlights); strong ETag, 304 on If-None-Match',
      responses: { 200: 'dashboard', 304: 'not modified' },
    },
    async ({ principal, req, res }) => {
      const { etag, dashboard } = await d.profile.dashboard(principal.userId);
      const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
      if (req.get('if-none-match') === etag) return { status: 304, headers };
      let json = dashboardJson.get(etag);
      if (json === undefined) dashboardJson.set(etag, (json = JSON.stringify(dashboardBody(dashboard))));
      res.status(200).set(headers).type('json').send(json);
    },
  );
  api.route(
    {
      method: 'get',
      path: '/profile',
      tags: ['lobby'],
      auth: true,
      summary: 'Profile: level and XP, balances, per-game stats, streak',
      responses: { 200: 'profile' },
    },
    async ({ principal }) => ({ status: 200, body: profileBody(await d.profile.profile(principal.userId)) }),
  );
  api.route(
    {
      method: 'get',
      path: '/games/sessions/recent',
      tags: ['games'],
      auth: true,
      summary: 'Your recent game sessions with totals',
      responses: { 200: 'sessions' },
    },
    async ({ principal }) => ({ status: 200, body: { sessions: (await d.profile.recentSessions(principal.userId)).map(sessionBody) } }),
  );
  api.route(
    {
      method: 'get',
      path: '/games/stats/me',
      tags: ['games'],
      auth: true,
      summary: 'Your lifetime stats per game',
      responses: { 200: 'stats' },
    },
    async ({ principal }) => ({ status: 200, body: { stats: (await d.profile.stats(principal.userId)).map(gameStatBody) } }),
  );
}
