import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

const cache = new WeakMap<object, Map<string, string>>();

/**
 * The SQL column list of some of an entity's properties, read from its MikroORM metadata, for the raw reads a
 * repository keeps: the entity stays the one declaration of the table's shape. `alias` prefixes each column.
 */
export function columnsOf<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  properties: readonly (keyof T & string)[],
  alias?: string,
): string {
  const key = `${alias ?? ''}|${properties.join(',')}`;
  let lists = cache.get(entity as object);
  if (!lists) cache.set(entity as object, (lists = new Map()));
  let list = lists.get(key);
  if (list === undefined) {
    const meta = em.getMetadata().get(entity);
    list = properties
      .map((p) => {
        const field = (meta.properties as Record<string, { fieldNames?: string[] } | undefined>)[p]?.fieldNames?.[0];
        if (!field) throw new Error(`${meta.className} has no property ${p}.`);
        return alias ? `${alias}.${field}` : field;
      })
      .join(', ');
    lists.set(key, list);
  }
  return list;
}
