import { z } from 'zod';
import { CURRENCIES } from '../../../domain/economy/currency.ts';
import { Balances } from './auth.dto.ts';

export const WalletResponse = z.object({ balances: Balances });

export const LedgerQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.coerce.number().int().positive().optional().describe('`next_cursor` of the previous page'),
    currency: z.enum(CURRENCIES).optional(),
  })
  .strict();

export const LedgerEntryResponse = z.object({
  id: z.number().int(),
  currency: z.enum(CURRENCIES),
  delta: z.number().int(),
  balance_after: z.number().int(),
  reason: z.string(),
  ref_type: z.string().nullable(),
  ref_id: z.string().nullable(),
  created_at: z.string(),
  hash: z.string().describe('SHA-256 (hex) of the previous entry’s hash in this currency and this entry’s fields'),
});

export const LedgerHead = z.object({
  currency: z.enum(CURRENCIES),
  entry_id: z.number().int().describe('the newest entry in this currency'),
  hash: z.string().describe('its hash (hex): the head of the currency’s hash chain'),
});

export const LedgerResponse = z.object({
  entries: z.array(LedgerEntryResponse),
  next_cursor: z.number().int().nullable(),
  heads: z.array(LedgerHead).describe('the head of each currency’s hash chain (currencies with entries), whatever the page and filter'),
});

/** Wire shapes of these answers, for clients (`import type`). */
export type LedgerEntryBody = z.infer<typeof LedgerEntryResponse>;
export type LedgerPageBody = z.infer<typeof LedgerResponse>;
