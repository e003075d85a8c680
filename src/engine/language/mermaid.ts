/**
 * A Mermaid flowchart of an SOP with one swimlane (subgraph) per pelaksana, drawn with the five
 * symbols Permenpan RB 35/2012 allows: terminator, process, decision, arrow, off-page connector.
 */
import type { SopDefinition, SopStep } from './sop-types.js';
import { isFlowStep, successors } from './sop-types.js';

const LABEL_LIMIT = 80;

function nodeId(stepId: string): string {
  return `s_${stepId.replace(/-/g, '_')}`;
}

function label(text: string, suffix = ''): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = flat.length > LABEL_LIMIT ? `${flat.slice(0, LABEL_LIMIT - 1)}…` : flat;
  return `"${(short + suffix).replace(/"/g, '#quot;')}"`;
}

function shape(step: SopStep, id = nodeId(step.id)): string {
  const time = step.time ? ` (${step.time})` : '';
  switch (step.kind) {
    case 'decision':
    case 'loop':
    case 'approval':
      return `${id}{${label(step.activity, time)}}`;
    case 'end':
      return `${id}([${label(step.activity, time)}])`;
    case 'procedure':
      // Off-page connector: the on-demand procedure's entry.
      return `${id}>${label(step.activity, `${time} (sewaktu-waktu)`)}]`;
    case 'duty':
      return `${id}[${label(step.activity, `${time} (setiap ${step.every})`)}]`;
    default:
      return `${id}[${label(step.activity, time)}]`;
  }
}

/** A row's symbol in the lane of one of its other pelaksana (the row names several). */
function sharedId(stepId: string, role: string): string {
  return `${nodeId(stepId)}__${role.replace(/-/g, '_')}`;
}

export function toMermaid(definition: SopDefinition): string {
  const lines = ['flowchart TB', `  start([${label('Mulai')}])`];
  const shared: string[] = [];
  for (const role of definition.roles) {
    const members = definition.steps.filter((s) => s.roles.includes(role.id) && s.kind !== 'rule');
    if (members.length === 0) continue;
    lines.push(`  subgraph lane_${role.id.replace(/-/g, '_')}[${label(role.title)}]`);
    for (const step of members) {
      if (step.role === role.id) {
        lines.push(`    ${shape(step)}`);
      } else {
        // The same row in each of its pelaksana's lanes, joined without an arrow: done together.
        lines.push(`    ${shape(step, sharedId(step.id, role.id))}`);
        shared.push(`  ${nodeId(step.id)} -.- ${sharedId(step.id, role.id)}`);
      }
    }
    lines.push('  end');
  }
  for (const step of definition.steps) {
    if (step.role === undefined) lines.push(`  ${shape(step)}`);
  }
  const rules = definition.steps.filter((s) => s.kind === 'rule');
  if (rules.length > 0) {
    lines.push(`  subgraph rules[${label('Larangan')}]`);
    for (const rule of rules) lines.push(`    ${nodeId(rule.id)}[${label(rule.activity)}]`);
    lines.push('  end');
  }
  const edges = [`  start --> ${nodeId(definition.start)}`];
  for (const step of definition.steps) {
    if (step.kind === 'procedure' && step.steps[0]) edges.push(`  ${nodeId(step.id)} -.-> ${nodeId(step.steps[0])}`);
    // A duty comes round by itself beside the flow: drawn as a process returning to itself.
    if (step.kind === 'duty') edges.push(`  ${nodeId(step.id)} -->|${label(`setiap ${step.every}`)}| ${nodeId(step.id)}`);
    if (!isFlowStep(step)) continue;
    for (const edge of successors(step)) {
      const to = edge.target === null ? (step.procedure ? nodeId(step.procedure) : 'done') : nodeId(edge.target);
      const arrow = edge.target === null && step.procedure ? '-.->' : '-->';
      const text = step.kind === 'loop' && step.every !== undefined && edge.label === 'repeat' ? `repeat, setiap ${step.every}` : edge.label;
      edges.push(`  ${nodeId(step.id)} ${arrow}${text ? `|${text}|` : ''} ${to}`);
    }
  }
  // "Selesai" is drawn only when some flow simply runs out of rows.
  if (edges.some((e) => e.endsWith(' done'))) lines.push(`  done([${label('Selesai')}])`);
  return [...lines, ...edges, ...shared].join('\n') + '\n';
}
