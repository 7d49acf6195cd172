import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TAG_PATTERN } from '../../../../domain/admin/segments.ts';
import type { Clock } from '../../../../domain/shared/clock.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { playerTags } from '../../../db/repositories/player-tags.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tags on players (`vip`, `beta-tester`…): set by operators, operations and imports, tested by segment rules. */
export class TagsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /** Tags players (in the caller's transaction); unknown ids are ignored. Returns how many players were newly tagged. */
  async add(em: EntityManager, userIds: string[], tag: string): Promise<number> {
    return (await playerTags.add(em, checkIds(userIds), checkTag(tag), this.clock.now())).length;
  }

  /** Removes a tag from players (in the caller's transaction). Returns how many players had it. */
  async remove(em: EntityManager, userIds: string[], tag: string): Promise<number> {
    return (await playerTags.remove(em, checkIds(userIds), checkTag(tag))).length;
  }

  /** One player's tags, by name. */
  async ofPlayer(
    userId: string,
    em: EntityManager = this.orm.em.fork() as EntityManager,
  ): Promise<Array<{ tag: string; createdAt: Date }>> {
    return playerTags.ofPlayer(em, userId);
  }

  /** 404 `resource/not_found` unless `userId` is a player. */
  async assertPlayer(userId: string, em: EntityManager = this.orm.em.fork() as EntityManager): Promise<void> {
    if (!(await playerTags.isPlayer(em, userId))) throw new DomainError('resource/not_found', 'No player has this id.');
  }

  /** The tags in use and how many players carry each, most used first. */
  async inUse(limit = 200): Promise<Array<{ tag: string; players: number }>> {
    return playerTags.inUse(this.orm.em.fork() as EntityManager, limit);
  }
}

function checkTag(tag: string): string {
  if (!TAG_PATTERN.test(tag)) throw new DomainError('request/invalid', `Invalid tag "${tag.slice(0, 40)}": use 1-32 of a-z, 0-9, _ and -.`);
  return tag;
}

function checkIds(ids: string[]): string[] {
  const bad = ids.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new DomainError('request/invalid', `Invalid player id "${bad.slice(0, 40)}".`);
  return [...new Set(ids)];
}
