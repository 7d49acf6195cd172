import type { EntityManager } from '@mikro-orm/postgresql';
import {
  currencyEffect,
  isCurrencyKind,
  operationLedgerKey,
  type OperationKind,
  type OperationParams,
} from '../../../../domain/admin/operations.ts';
import { credit, debit, type Currency } from '../../../../domain/economy/currency.ts';
import { InsufficientFundsError } from '../../../../domain/shared/errors.ts';
import { setPlayerStatus } from '../../../db/repositories/admin-player-detail.repository.ts';
import { grantItem } from '../../../db/repositories/inventory.repository.ts';
import { claimGrantKey } from '../../../db/repositories/reward-grant.repository.ts';
import { operationFacts as facts } from '../../../db/repositories/operation-players.repository.ts';
import type { WalletService } from '../../wallet/wallet.service.ts';
import type { PlayerAccessService } from '../player-access.service.ts';
import type { JobItemOutcome as ItemOutcome } from '../jobs/types.ts';

/** What an effect needs to know of its operation. */
export interface OperationSpec {
  id: string;
  kind: OperationKind;
  params: OperationParams;
  createdBy: string;
  createdByName: string;
}

/** The services the effects write through. */
export interface EffectDeps {
  wallet: WalletService;
  tags: {
    add(em: EntityManager, userIds: string[], tag: string): Promise<number>;
    remove(em: EntityManager, userIds: string[], tag: string): Promise<number>;
  };
  inbox?: {
    deliver(
      em: EntityManager,
      userIds: string[],
      msg: { notificationId: string | null; title: string; body: string; deepLink: string | null; dedupeKey: string },
    ): Promise<number>;
  };
  playerAccess: PlayerAccessService;
}

type Payload = Record<string, unknown>;
const ok = (result: Record<string, unknown>): ItemOutcome => ({ status: 'succeeded', result });

/**
 * What each kind of operation does to one player, in three forms: `plan` computes the effect (before and after)
 * without writing anything (previews and shadow runs), `apply` writes it, `undo` compensates an applied one from what
 * its apply recorded. Each runs inside the job item's transaction; money moves only through the wallet service with
 * the key `op:<operation>:<user>:<currency>` (`op-undo:` for the compensation), so a repeat never pays twice, and
 * never below zero: a debit that does not fit is reported on the item (`insufficient_balance`).
 */
export class OperationEffects {
  constructor(private readonly d: EffectDeps) {}

  async plan(em: EntityManager, op: OperationSpec, userId: string, payload: Payload): Promise<ItemOutcome> {
    const p = op.params;
    if (isCurrencyKind(op.kind)) {
      const [currency, amount] = [p.currency!, amountOf(op, payload)];
      const balance = (await this.d.wallet.balances(em, userId))[currency];
      const e = currencyEffect(op.kind, balance, amount);
      const result = { currency, before: balance, after: e.after, delta: op.kind === 'grant_currency' ? amount : -amount };
      // a debit that would not fit is planned as skipped (the apply tries it again and fails it if it still does not fit)
      return e.fits ? ok(result) : { status: 'skipped', result: { ...result, delta: 0 }, error: 'insufficient_balance' };
    }
    switch (op.kind) {
      case 'grant_item': {
        const held = await facts.itemQuantity(em, userId, p.item_id!);
        return ok({ item_id: p.item_id, before: held, after: held + p.quantity! });
      }
      case 'notify':
        return ok({ before: null, after: { title: p.title } });
      case 'tag_add':
      case 'tag_remove': {
        const tagged = await facts.hasTag(em, userId, p.tag!);
        return ok({ tag: p.tag, before: tagged, after: op.kind === 'tag_add' });
      }
      default: {
        const status = await facts.status(em, userId);
        return ok({ before: status, after: p.status });
      }
    }
  }

  async apply(em: EntityManager, op: OperationSpec, userId: string, payload: Payload): Promise<ItemOutcome> {
    const p = op.params;
    if (isCurrencyKind(op.kind)) return this.move(em, op, userId, { step: 'apply', delta: signed(op.kind, amountOf(op, payload)) });
    switch (op.kind) {
      case 'grant_item': {
        // the grant key makes the item exactly-once per operation and player, as the ledger key does for currency
        if (!(await claimItemGrant(em, 'op', op, userId))) return { status: 'skipped', error: 'already_applied' };
        const held = await facts.itemQuantity(em, userId, p.item_id!);
        await grantItem(em, userId, p.item_id!, p.quantity!, 'admin_operation');
        return ok({ item_id: p.item_id, quantity: p.quantity, before: held, after: held + p.quantity! });
      }
      case 'notify': {
        if (!this.d.inbox) throw new Error('notify operations need the inbox service');
        const msg = { notificationId: null, title: p.title!, body: p.body!, deepLink: p.deep_link ?? null, dedupeKey: `op:${op.id}` };
        const delivered = await this.d.inbox.deliver(em, [userId], msg);
        return delivered > 0 ? ok({ delivered }) : { status: 'skipped', result: { delivered }, error: 'already_delivered' };
      }
      case 'tag_add':
      case 'tag_remove': {
        const change = op.kind === 'tag_add' ? this.d.tags.add : this.d.tags.remove;
        const changed = (await change.call(this.d.tags, em, [userId], p.tag!)) > 0;
        return ok({ tag: p.tag, before: op.kind === 'tag_add' ? !changed : changed, after: op.kind === 'tag_add', changed });
      }
      default: {
        const before = await facts.lockStatus(em, userId);
        if (before === null) return { status: 'failed', error: 'player_not_found' };
        if (before !== p.status) await this.setStatus(em, userId, p.status!, p.reason!);
        return ok({ before, after: p.status, changed: before !== p.status });
      }
    }
  }

  /** Compensates what `apply` recorded for the player (`payload.applied`); reports an item it cannot take back. */
  async undo(em: EntityManager, op: OperationSpec, userId: string, payload: Payload): Promise<ItemOutcome> {
    const applied = (payload.applied ?? {}) as Record<string, unknown>;
    const p = op.params;
    if (isCurrencyKind(op.kind)) return this.move(em, op, userId, { step: 'undo', delta: -Number(applied.delta) });
    switch (op.kind) {
      case 'grant_item': {
        if ((await facts.itemQuantity(em, userId, p.item_id!)) < p.quantity!) return { status: 'skipped', error: 'insufficient_quantity' };
        if (!(await claimItemGrant(em, 'op-undo', op, userId))) return { status: 'skipped', error: 'already_undone' };
        // spent between the read and the update: the thrown error rolls the claim back, and the retry reports it
        if (!(await facts.takeItem(em, userId, p.item_id!, p.quantity!))) throw new Error('the item was spent during its undo');
        return ok({ item_id: p.item_id, quantity: -p.quantity! });
      }
      case 'tag_add':
      case 'tag_remove': {
        if (!applied.changed) return { status: 'skipped', error: 'unchanged' };
        const restore = op.kind === 'tag_add' ? this.d.tags.remove : this.d.tags.add;
        await restore.call(this.d.tags, em, [userId], p.tag!);
        return ok({ tag: p.tag, before: applied.after, after: applied.before });
      }
      case 'set_status': {
        if (!applied.changed) return { status: 'skipped', error: 'unchanged' };
        const now = await facts.lockStatus(em, userId);
        if (now !== applied.after) return { status: 'skipped', result: { status: now }, error: 'changed_since' };
        await this.setStatus(em, userId, String(applied.before), 'undo of a bulk operation');
        return ok({ before: now, after: applied.before });
      }
      default:
        return { status: 'skipped', error: 'not_undoable' };
    }
  }

  /** One ledger entry of the operation for the player; a debit past the balance fails the item and writes nothing. */
  private async move(
    em: EntityManager,
    op: OperationSpec,
    userId: string,
    m: { step: 'apply' | 'undo'; delta: number },
  ): Promise<ItemOutcome> {
    const currency = op.params.currency as Currency;
    const idempotencyKey = operationLedgerKey(m.step, op.id, userId, currency);
    const movement = (m.delta > 0 ? credit : debit)({
      userId,
      currency,
      amount: Math.abs(m.delta),
      reason: 'admin_operation',
      refType: 'operation',
      refId: op.id,
      idempotencyKey,
      actor: op.createdBy,
      meta: { operation_id: op.id, kind: op.kind, step: m.step, operator_id: op.createdBy, operator_name: op.createdByName },
    });
    try {
      const [entry] = await this.d.wallet.applyInTransaction(em, [movement]);
      return ok({
        currency,
        before: entry.balanceAfter - m.delta,
        after: entry.balanceAfter,
        delta: m.delta,
        ledger_entry_id: entry.id,
        idempotency_key: idempotencyKey,
      });
    } catch (err) {
      if (!(err instanceof InsufficientFundsError)) throw err;
      const balance = Number(err.details.balance);
      const result = { currency, before: balance, after: balance, delta: 0, wanted: m.delta };
      // an undo that cannot take the grant back is reported, not failed: the player keeps what they spent
      return { status: m.step === 'undo' ? 'skipped' : 'failed', result, error: 'insufficient_balance' };
    }
  }

  /** Sets a player's status; a ban goes through the ban path (sessions end; the job's end signs the player out). */
  private async setStatus(em: EntityManager, userId: string, status: string, reason: string): Promise<void> {
    if (status === 'banned') await this.d.playerAccess.ban(em, userId, reason);
    else await setPlayerStatus(em, userId, status);
  }
}

function amountOf(op: OperationSpec, payload: Payload): number {
  return Number(payload.amount ?? op.params.amount);
}

function signed(kind: 'grant_currency' | 'deduct_currency', amount: number): number {
  return kind === 'grant_currency' ? amount : -amount;
}

/** Claims the reward-grant key of an item grant (or its undo) for the player; false when it was claimed before. */
function claimItemGrant(em: EntityManager, step: 'op' | 'op-undo', op: OperationSpec, userId: string): Promise<boolean> {
  const { item_id, quantity } = op.params;
  return claimGrantKey(em, {
    grantKey: `${step}:${op.id}:${userId}:item`,
    userId,
    source: 'admin_operation',
    sourceId: op.id,
    bundle: { items: [{ item_id, quantity: step === 'op' ? quantity : -quantity! }] },
  });
}
