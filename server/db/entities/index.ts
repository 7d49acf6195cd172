import { AuthSession, RefreshToken } from './auth-session.entity.ts';
import { LedgerEntry } from './ledger-entry.entity.ts';
import { User } from './user.entity.ts';
import { Wallet } from './wallet.entity.ts';

/** Every entity the ORM knows (the migrations are generated from these). */
export const entities = [User, Wallet, LedgerEntry, AuthSession, RefreshToken];
export { AuthSession, LedgerEntry, RefreshToken, User, Wallet };
export type { IUser, Role } from './user.entity.ts';
