import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { testEnv } from './test-env.ts';

/**
 * Test databases: migrations run once into a template, and each test file clones its own database from it
 * (CREATE DATABASE … TEMPLATE is ~15 ms; dropping is slow, so a throwaway cluster is simply deleted at the end).
 */
const created: string[] = [];

function urlFor(db: string): string {
  const u = new URL(testEnv.databaseUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const templateName = () => `neon_tmpl_${testEnv.runId}`;

/** Creates the template database and applies every migration to it (once per run). */
export async function createTemplate(): Promise<void> {
  await admin((c) => c.query(`create database ${templateName()}`));
  const orm = await MikroORM.init(ormOptions(urlFor(templateName()), 2));
  try {
    await orm.migrator.up();
  } finally {
    await orm.close(true);
  }
}

/** A new database cloned from the template; returns its URL. */
export async function freshDatabase(tag: string): Promise<string> {
  const name = `t_${testEnv.runId}_${tag
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 24)}_${created.length}`;
  await admin((c) => c.query(`create database ${name} template ${templateName()}`));
  created.push(name);
  return urlFor(name);
}

/** Reconciles every database this run created; returns the drift found per database. */
export async function reconcileAll(): Promise<string[]> {
  const problems: string[] = [];
  for (const db of created) {
    const orm = await MikroORM.init(ormOptions(urlFor(db), 1));
    try {
      const { drift } = await findDrift(orm.em.fork() as EntityManager);
      for (const d of drift) problems.push(`${db}: ${d.userId} ${d.currency} ${d.problem} (${d.detail})`);
    } finally {
      await orm.close(true);
    }
  }
  return problems;
}

/** Drops what this run created (only on a server the run did not provision itself). */
export async function dropAll(): Promise<void> {
  await admin(async (c) => {
    for (const db of [...created, templateName()]) await c.query(`drop database if exists ${db} with (force)`);
  });
}
