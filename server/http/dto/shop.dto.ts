import { z } from 'zod';

export const PurchaseRequest = z
  .object({
    sku: z.string().min(1).max(40),
    quantity: z.number().int().min(1).max(100).default(1),
  })
  .strict();

export const PaymentWebhookBody = z
  .object({
    event_id: z.string().min(1).max(64),
    receipt_code: z.string().min(1).max(32),
    status: z.enum(['success', 'failed']),
  })
  .loose();
