// One condition of the rule builder: the fields of its fact (ranges, dates, windows, currency, game, tag).
import type { ReactNode } from 'react';
import { GAMES, isSessionFact, REVENUE_CURRENCIES, SEGMENT_STATUSES, type SegmentLeaf } from './segments-facts.ts';

type Window = { days?: number; from?: string; to?: string };

/** A number input whose empty value is `undefined` (an absent bound). */
function NumberField({ label, value, onChange }: { label: string; value: number | undefined; onChange: (v: number | undefined) => void }) {
  return (
    <label className="field narrow">
      <span>{label}</span>
      <input
        type="number"
        min={0}
        step={1}
        value={value ?? ''}
        aria-label={label}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Math.trunc(Number(e.target.value)))}
      />
    </label>
  );
}

/** A date input over an ISO instant (midnight UTC). */
function DateField({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  return (
    <label className="field narrow">
      <span>{label}</span>
      <input
        type="date"
        aria-label={label}
        value={value ? value.slice(0, 10) : ''}
        onChange={(e) => onChange(e.target.value ? `${e.target.value}T00:00:00Z` : undefined)}
      />
    </label>
  );
}

function Select<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly T[] | Array<[T, string]>;
  onChange: (v: T) => void;
}) {
  const pairs = options.map((o) => (Array.isArray(o) ? o : [o, o])) as Array<[T, string]>;
  return (
    <label className="field narrow">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {pairs.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Range({ leaf, set }: { leaf: { min?: number; max?: number }; set: (patch: { min?: number; max?: number }) => void }) {
  return (
    <>
      <NumberField label="at least" value={leaf.min} onChange={(min) => set({ min })} />
      <NumberField label="at most" value={leaf.max} onChange={(max) => set({ max })} />
    </>
  );
}

function WindowFields({ window, onChange }: { window: Window; onChange: (w: Window) => void }) {
  const mode = window.days !== undefined ? 'days' : 'between';
  return (
    <>
      <Select
        label="window"
        value={mode}
        options={[
          ['days', 'last N days'],
          ['between', 'between dates'],
        ]}
        onChange={(m) =>
          onChange(
            m === 'days'
              ? { days: 7 }
              : {
                  from: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z',
                  to: new Date().toISOString().slice(0, 10) + 'T00:00:00Z',
                },
          )
        }
      />
      {mode === 'days' ? (
        <NumberField label="days" value={window.days} onChange={(days) => onChange({ days })} />
      ) : (
        <>
          <DateField label="from" value={window.from} onChange={(from) => onChange({ ...window, from })} />
          <DateField label="to (excl.)" value={window.to} onChange={(to) => onChange({ ...window, to })} />
        </>
      )}
    </>
  );
}

function DateRange({
  leaf,
  set,
}: {
  leaf: { from?: string; to?: string; within_days?: number; older_than_days?: number };
  set: (p: object) => void;
}) {
  const mode = leaf.within_days !== undefined ? 'within' : leaf.older_than_days !== undefined ? 'older' : 'between';
  const clear = { from: undefined, to: undefined, within_days: undefined, older_than_days: undefined };
  return (
    <>
      <Select
        label="when"
        value={mode}
        options={[
          ['within', 'in the last N days'],
          ['older', 'more than N days ago'],
          ['between', 'between dates'],
        ]}
        onChange={(m) =>
          set({
            ...clear,
            ...(m === 'within'
              ? { within_days: 7 }
              : m === 'older'
                ? { older_than_days: 30 }
                : { from: `${new Date().toISOString().slice(0, 10)}T00:00:00Z` }),
          })
        }
      />
      {mode === 'within' && <NumberField label="days" value={leaf.within_days} onChange={(within_days) => set({ within_days })} />}
      {mode === 'older' && (
        <NumberField label="days" value={leaf.older_than_days} onChange={(older_than_days) => set({ older_than_days })} />
      )}
      {mode === 'between' && (
        <>
          <DateField label="from" value={leaf.from} onChange={(from) => set({ from })} />
          <DateField label="to (excl.)" value={leaf.to} onChange={(to) => set({ to })} />
        </>
      )}
    </>
  );
}

/** The fields of one leaf; `onChange` gets the whole new leaf. */
export function LeafFields({ leaf, tags, onChange }: { leaf: SegmentLeaf; tags: string[]; onChange: (l: SegmentLeaf) => void }) {
  const set = (patch: object) => onChange(strip({ ...leaf, ...patch }) as SegmentLeaf);
  let fields: ReactNode;
  switch (leaf.fact) {
    case 'level':
      fields = <Range leaf={leaf} set={set} />;
      break;
    case 'status':
      fields = (
        <fieldset className="statuses" aria-label="statuses">
          {SEGMENT_STATUSES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={leaf.in.includes(s)}
                onChange={(e) => set({ in: e.target.checked ? [...leaf.in, s] : leaf.in.filter((x) => x !== s) })}
              />
              {s}
            </label>
          ))}
        </fieldset>
      );
      break;
    case 'created_at':
    case 'last_seen_at':
      fields = <DateRange leaf={leaf} set={set} />;
      break;
    case 'balance':
      fields = (
        <>
          <Select label="currency" value={leaf.currency} options={['GOLD', 'GEM'] as const} onChange={(currency) => set({ currency })} />
          <Range leaf={leaf} set={set} />
        </>
      );
      break;
    case 'has_tag':
    case 'lacks_tag':
      fields = (
        <label className="field narrow">
          <span>tag</span>
          <input
            aria-label="tag"
            list="segment-tags"
            value={leaf.tag}
            onChange={(e) => set({ tag: e.target.value.trim().toLowerCase() })}
          />
          <datalist id="segment-tags">
            {tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
      );
      break;
    default:
      fields = (
        <>
          {isSessionFact(leaf.fact) && (
            <Select
              label="game"
              value={('game' in leaf && leaf.game) || 'all'}
              options={[['all', 'all games'], ...GAMES.map((g): [string, string] => [g, g])]}
              onChange={(g) => set({ game: g === 'all' ? undefined : g })}
            />
          )}
          {leaf.fact === 'revenue' && (
            <Select label="currency" value={leaf.currency} options={REVENUE_CURRENCIES} onChange={(currency) => set({ currency })} />
          )}
          {'window' in leaf && <WindowFields window={leaf.window} onChange={(window) => set({ window: strip(window) })} />}
          <Range leaf={leaf as { min?: number; max?: number }} set={set} />
        </>
      );
  }
  return <div className="leaf-fields">{fields}</div>;
}

/** The object without its undefined keys (an emptied bound is absent, not null). */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
