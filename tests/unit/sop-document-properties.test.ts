/**
 * The flowchart layout holds for any valid SOP, not only the seeds: generated SOPs (decisions with
 * several branches, loops back up, approvals, procedures, rules, long rows that force page breaks)
 * always lay out with sound geometry, and the arrows join exactly the steps the SOP's flow joins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutFlowchart } from '../../src/app/documents/flowchart-layout.js';
import { isFlowStep, successors, validateSop } from '../../src/engine/index.js';
import { expectSoundGeometry, logicalEdges } from '../support/flowchart-checks.js';
import { validSopArb } from '../support/sop-arbitrary.js';

const BRANCH_LABELS: Record<string, Record<string, string>> = { loop: { repeat: 'ya', exit: 'tidak' }, approval: { approved: 'ya', refused: 'tidak' } };

describe('flowchart layout of any valid SOP', () => {
  it('is sound and joins exactly the steps the flow joins, across page breaks', () => {
    fc.assert(
      fc.property(validSopArb(), (gen) => {
        const definition = validateSop(gen.text, 'generated.yaml').definition!;
        const layout = layoutFlowchart(definition);
        expectSoundGeometry(definition, layout);
        const expected: string[] = [];
        const letters = definition.steps.filter((s) => s.kind === 'procedure');
        letters.forEach((procedure, i) => {
          if (procedure.kind === 'procedure') expected.push(`entry:${String.fromCharCode(65 + i)} --> ${procedure.steps[0]}`);
        });
        for (const step of definition.steps) {
          if (!isFlowStep(step)) continue;
          for (const edge of successors(step)) {
            if (edge.target === null) continue;
            const label = edge.label === null ? '' : (BRANCH_LABELS[step.kind]?.[edge.label] ?? edge.label);
            expected.push(`${step.id} -${label}-> ${edge.target}`);
          }
        }
        expect(logicalEdges(layout)).toEqual(expected.sort());
      }),
      { numRuns: Number(process.env.DOC_RUNS ?? 100), endOnFailure: true },
    );
  });
});
