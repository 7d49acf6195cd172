// The rule builder: groups (all / any, negated or not) of conditions picked from a menu of facts, nested up to the
// server's depth limit. It edits the rule's JSON as is; the server validates it (the preview shows what it refuses).
import { FACT_MENU, factLabel, newLeaf, type Fact, type SegmentRule } from './segments-facts.ts';
import { LeafFields } from './segments-leaf.tsx';

/** Groups a rule may nest (the server refuses deeper ones). */
const MAX_GROUPS = 6;

interface NodeProps {
  node: SegmentRule;
  onChange: (node: SegmentRule) => void;
  onRemove?: () => void;
  tags: string[];
  /** groups above this node */
  depth: number;
  path: string;
}

/** The whole rule: its root group and everything under it. */
export function RuleBuilder({ rule, onChange, tags }: { rule: SegmentRule; onChange: (r: SegmentRule) => void; tags: string[] }) {
  return (
    <div className="rule-builder" data-testid="rule-builder">
      <RuleNode node={rule} onChange={onChange} tags={tags} depth={0} path="rule" />
    </div>
  );
}

/** A node with its "not" switch: `{not: x}` is shown as x, negated. */
function RuleNode({ node, onChange, onRemove, tags, depth, path }: NodeProps) {
  const negated = 'not' in node;
  const inner = 'not' in node ? node.not : node;
  const setInner = (x: SegmentRule) => onChange(negated ? { not: x } : x);
  const isGroup = 'all' in inner || 'any' in inner;
  const head = (
    <div className="node-head">
      <label className="not-switch">
        <input type="checkbox" checked={negated} onChange={() => onChange(negated ? inner : { not: inner })} data-testid={`${path}-not`} />
        not
      </label>
      {isGroup ? (
        <select
          aria-label="match"
          value={'all' in inner ? 'all' : 'any'}
          data-testid={`${path}-match`}
          onChange={(e) => setInner(e.target.value === 'all' ? { all: children(inner) } : { any: children(inner) })}
        >
          <option value="all">all of</option>
          <option value="any">any of</option>
        </select>
      ) : (
        <strong>{factLabel((inner as { fact: Fact }).fact)}</strong>
      )}
      {onRemove && (
        <button type="button" className="ghost small" aria-label="Remove" onClick={onRemove} data-testid={`${path}-remove`}>
          ✕
        </button>
      )}
    </div>
  );
  if (!isGroup) {
    return (
      <div className={`rule-leaf ${negated ? 'negated' : ''}`} data-testid={path}>
        {head}
        <LeafFields leaf={inner as Extract<SegmentRule, { fact: string }>} tags={tags} onChange={setInner} />
      </div>
    );
  }
  const list = children(inner);
  const setList = (next: SegmentRule[]) => setInner('all' in inner ? { all: next } : { any: next });
  const groups = depth + 1;
  return (
    <div className={`rule-group ${negated ? 'negated' : ''}`} data-testid={path}>
      {head}
      <div className="rule-children">
        {list.length === 0 && <p className="muted">{'all' in inner ? 'No condition: every player.' : 'No condition: no player.'}</p>}
        {list.map((child, i) => (
          <RuleNode
            key={i}
            node={child}
            tags={tags}
            depth={groups}
            path={`${path}-${i}`}
            onChange={(c) => setList(list.map((x, j) => (j === i ? c : x)))}
            onRemove={() => setList(list.filter((_, j) => j !== i))}
          />
        ))}
      </div>
      <div className="rule-add">
        <select
          aria-label="Add condition"
          value=""
          data-testid={`${path}-add`}
          onChange={(e) => e.target.value && setList([...list, newLeaf(e.target.value as Fact)])}
        >
          <option value="">+ condition…</option>
          {FACT_MENU.map((g) => (
            <optgroup key={g.group} label={g.group}>
              {g.facts.map((f) => (
                <option key={f.fact} value={f.fact}>
                  {f.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {groups < MAX_GROUPS && (
          <button type="button" className="ghost small" onClick={() => setList([...list, { any: [] }])} data-testid={`${path}-add-group`}>
            + group
          </button>
        )}
      </div>
    </div>
  );
}

function children(group: SegmentRule): SegmentRule[] {
  return 'all' in group ? group.all : 'any' in group ? group.any : [];
}
