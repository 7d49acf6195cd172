import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { OPERATOR_ROLES, PERMISSIONS, ROLE_PERMISSIONS, can, isOperatorRole } from '../../../domain/admin/rbac.ts';

/** The roles × permissions table as docs/operators.md prints it. */
function matrixMarkdown(): string {
  const rows = PERMISSIONS.map(
    (p) => `| \`${p}\` | ${OPERATOR_ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? '✓' : '')).join(' | ')} |`,
  );
  return [`| permission | ${OPERATOR_ROLES.join(' | ')} |`, `|---|${OPERATOR_ROLES.map(() => ':-:').join('|')}|`, ...rows].join('\n');
}

describe('RBAC table', () => {
  it('gives each role at least what the role below it holds', () => {
    for (let i = 1; i < OPERATOR_ROLES.length; i++) {
      const below = ROLE_PERMISSIONS[OPERATOR_ROLES[i - 1]];
      for (const p of below) expect(can(OPERATOR_ROLES[i], p), `${OPERATOR_ROLES[i]} ${p}`).to.equal(true);
    }
  });

  it('gives a player and unknown roles nothing', () => {
    for (const p of PERMISSIONS) {
      expect(can('player', p)).to.equal(false);
      expect(can('root', p)).to.equal(false);
    }
    expect(isOperatorRole('player')).to.equal(false);
    expect(isOperatorRole('support')).to.equal(true);
  });

  it('is the table docs/operators.md shows', () => {
    const doc = readFileSync(new URL('../../../docs/operators.md', import.meta.url), 'utf8').replace(/ +\|/g, ' |');
    expect(doc, 'regenerate the table in docs/operators.md from domain/admin/rbac.ts').to.include(matrixMarkdown().replace(/ +\|/g, ' |'));
  });
});
