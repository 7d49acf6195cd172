import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency, Movement } from '../../../domain/economy/currency.ts';
import { DomainError, InsufficientFundsError } from '../../../domain/shared/errors.ts';
import { lockPlayer } from '../../db/repositories/admin-player-detail.repository.ts';
import { adjustmentPage, lockAdjustment } from '../../db/repositories/wallet-adjustment.repository.ts';
import { WalletAdjustment, type AdjustmentStatus, type IWalletAdjustment } from '../../db/entities/wallet-adjustment.entity.ts';
import type { WalletService } from '../wallet/wallet.service.ts';
import { decodeCursor, pageOf, type Page } from './keyset.ts';
import type { Change } from './player-access.service.ts';
import { notFound } from './players.service.ts';

/** Why an operator changes a balance (the ledger entry's `reason_code`). */
export const ADJUSTMENT_REASONS = ['goodwill', 'correction', 'compensation', 'chargeback', 'fraud'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** The operator acting (from the admin token). */
export interface Operator {
  userId: string;
  username: string;
}

/** An operator's request to change a player's balance. */
export interface AdjustmentRequest {
  currency: Currency;
  /** signed: a credit > 0, a debit < 0 */
  amount: number;
  reason: AdjustmentReason;
  note: string;
  requestId?: string;
}

/** What an adjustment is before it is decided. */
type Adjustment = Pick<
  IWalletAdjustment,
  'id' | 'userId' | 'currency' | 'amount' | 'reason' | 'note' | 'requestedBy' | 'requestedByName' | 'requestId'
>;

/** An adjustment as the API answers it: applied (with its ledger entry) or waiting for approval. */
export type AdjustmentView = Omit<IWalletAdjustment, 'createdAt' | 'decidedAt'> & { createdAt: string; decidedAt: string | null };

/**
 * Wallet adjustments by operators: each is one `admin_adjustment` ledger entry through the wallet service (never below
 * zero: a debit past the balance is refused and nothing is written), recorded in `wallet_adjustments` as its source.
 * Above the approval threshold (absolute amount) it is stored `pending` until a second operator approves it; approval
 * applies it exactly once (its ledger idempotency key is the adjustment id), re-checking the balance.
 */
export class WalletAdjustmentsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly limits: { approvalThreshold: number; maxAmount: number },
  ) {}

  /** The largest absolute amount of one adjustment (the request schema's bound). */
  get maxAmount(): number {
    return this.limits.maxAmount;
  }

  /** Applies an adjustment at once, or stores it pending (`applied: false`) when it needs a second operator. */
  async request(em: EntityManager, by: Operator, userId: string, req: AdjustmentRequest): Promise<Change<AdjustmentView>> {
    if (!(await lockPlayer(em, userId))) throw notFound();
    const fields: Adjustment = {
      id: randomUUID(),
      userId,
      currency: req.currency,
      amount: req.amount,
      reason: req.reason,
      note: req.note,
      requestedBy: by.userId,
      requestedByName: by.username,
      requestId: req.requestId?.slice(0, 64) ?? null,
    };
    if (Math.abs(req.amount) > this.limits.approvalThreshold) {
      const adj = em.create(WalletAdjustment, { ...fields, status: 'pending' });
      await em.flush();
      return { before: null, after: { adjustment: toView(adj) }, result: toView(adj) };
    }
    // the row is created only once the ledger entry is written: a refused debit leaves nothing for a later flush
    const posted = await this.post(em, fields, by);
    const adj = em.create(WalletAdjustment, { ...fields, status: 'pending' });
    this.decide(adj, by, 'applied', posted.ledgerEntryId);
    await em.flush();
    return { before: { balance: posted.balanceBefore }, after: { adjustment: toView(adj), ...posted }, result: toView(adj) };
  }

  /** Approves a pending adjustment (not the requester's own) and applies it. */
  async approve(em: EntityManager, by: Operator, id: string): Promise<Change<AdjustmentView>> {
    const adj = await this.pending(em, id);
    if (adj.requestedBy === by.userId) {
      throw new DomainError('admin/self_approval', 'An adjustment needs the approval of another operator than the one who requested it.');
    }
    const before = toView(adj);
    const posted = await this.post(em, adj, by);
    this.decide(adj, by, 'applied', posted.ledgerEntryId);
    await em.flush();
    return {
      before: { adjustment: before, balance: posted.balanceBefore },
      after: { adjustment: toView(adj), ...posted },
      result: toView(adj),
    };
  }

  /** Rejects a pending adjustment: nothing is applied. */
  async reject(em: EntityManager, by: Operator, id: string): Promise<Change<AdjustmentView>> {
    const adj = await this.pending(em, id);
    const before = toView(adj);
    this.decide(adj, by, 'rejected', null);
    await em.flush();
    return { before: { adjustment: before }, after: { adjustment: toView(adj) }, result: toView(adj) };
  }

  /** A page of adjustments, newest first, optionally of one status. */
  async list(q: { status?: AdjustmentStatus; cursor?: string; limit: number }): Promise<Page<Record<string, unknown>>> {
    const after = decodeCursor(q.cursor, { value: 'timestamp', id: 'uuid' });
    const rows = await adjustmentPage(this.orm.em.fork() as EntityManager, { status: q.status, after, limit: q.limit });
    return pageOf(rows, q.limit, (r) => ({ value: String(r.sort_key), id: String(r.id) }));
  }

  /** Writes the adjustment's ledger entry (once per adjustment id); a debit past the balance is refused with 409. */
  private async post(em: EntityManager, adj: Adjustment, by: Operator) {
    const balanceBefore = (await this.wallet.balances(em, adj.userId))[adj.currency];
    const movement: Movement = {
      userId: adj.userId,
      currency: adj.currency,
      delta: adj.amount,
      reason: 'admin_adjustment',
      refType: 'wallet_adjustment',
      refId: adj.id,
      idempotencyKey: `admin_adjustment:${adj.id}`,
      actor: adj.requestedBy,
      meta: {
        operator_id: adj.requestedBy,
        operator_name: adj.requestedByName,
        reason_code: adj.reason,
        note: adj.note,
        request_id: adj.requestId,
        ...(adj.requestedBy === by.userId ? {} : { approved_by: by.userId, approved_by_name: by.username }),
      },
    };
    let entry;
    try {
      [entry] = await this.wallet.applyInTransaction(em, [movement]);
    } catch (err) {
      if (!(err instanceof InsufficientFundsError)) throw err;
      throw new DomainError('wallet/would_go_negative', `The debit of ${-adj.amount} ${adj.currency} is more than the balance.`, {
        currency: adj.currency,
        balance: balanceBefore,
        amount: adj.amount,
      });
    }
    return { balanceBefore, balance: entry.balanceAfter, ledgerEntryId: entry.id };
  }

  private async pending(em: EntityManager, id: string): Promise<IWalletAdjustment> {
    const adj = await lockAdjustment(em, id);
    if (!adj) throw new DomainError('resource/not_found', 'No wallet adjustment has this id.');
    if (adj.status !== 'pending')
      throw new DomainError('admin/not_pending', `This adjustment is already ${adj.status}.`, { status: adj.status });
    return adj;
  }

  private decide(adj: IWalletAdjustment, by: Operator, status: AdjustmentStatus, ledgerEntryId: number | null): void {
    adj.status = status;
    adj.ledgerEntryId = ledgerEntryId;
    adj.decidedBy = by.userId;
    adj.decidedByName = by.username;
    adj.decidedAt = new Date();
  }
}

function toView(a: IWalletAdjustment): AdjustmentView {
  return { ...a, amount: Number(a.amount), createdAt: new Date(a.createdAt).toISOString(), decidedAt: a.decidedAt?.toISOString() ?? null };
}
