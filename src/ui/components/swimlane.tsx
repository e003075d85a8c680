/**
 * The SOP's flowchart in swimlanes (one column per pelaksana, one row per step, in document
 * order), drawn as SVG from the compiled definition: no diagram library and nothing fetched.
 * The current steps are highlighted; done steps carry their actual time against the budget.
 */
import type { DefinitionStep, SopDefinition, StepTiming } from '../api/types';
import { useI18n } from '../i18n/i18n';

const LANE_W = 190;
const ROW_H = 64;
const BOX_W = 160;
const BOX_H = 42;
const HEAD_H = 34;

function flowSteps(definition: SopDefinition): DefinitionStep[] {
  const flow = definition.steps.filter((s) => s.kind !== 'rule' && s.kind !== 'procedure');
  // Main flow first, then each procedure's steps: the off-page part of the printed chart.
  return [...flow.filter((s) => !s.procedure), ...flow.filter((s) => s.procedure)];
}

function edgesOf(step: DefinitionStep): Array<{ to: string; label: string | null }> {
  const out: Array<{ to: string | null | undefined; label: string | null }> = [];
  if (step.kind === 'task') out.push({ to: step.next, label: null });
  if (step.kind === 'decision') for (const [label, to] of Object.entries(step.branches ?? {})) out.push({ to, label });
  if (step.kind === 'loop') out.push({ to: step.repeat, label: '↺' }, { to: step.exit, label: null });
  if (step.kind === 'approval') out.push({ to: step.approved, label: null }, { to: step.refused, label: '✕' });
  return out.filter((e): e is { to: string; label: string | null } => typeof e.to === 'string');
}

function shorten(text: string, max = 44): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function Swimlane({ definition, activeSteps = [], timeline = [] }: { definition: SopDefinition; activeSteps?: string[]; timeline?: StepTiming[] }) {
  const { t, duration } = useI18n();
  const steps = flowSteps(definition);
  const lanes = definition.roles;
  const laneOf = (step: DefinitionStep) => Math.max(0, lanes.findIndex((r) => r.id === (step.role ?? step.roles?.[0])));
  const rowOf = new Map(steps.map((s, i) => [s.id, i]));
  const width = Math.max(lanes.length, 1) * LANE_W;
  const height = HEAD_H + steps.length * ROW_H + 10;
  const center = (step: DefinitionStep) => ({ x: laneOf(step) * LANE_W + LANE_W / 2, y: HEAD_H + rowOf.get(step.id)! * ROW_H + ROW_H / 2 });
  const done = new Map<string, StepTiming>();
  for (const e of timeline) if (e.completedAt) done.set(e.step, e);
  const byId = new Map(steps.map((s) => [s.id, s]));

  return (
    <div className="swimlane">
      <svg width={width} height={height} role="img" aria-label={t('case.flow')} viewBox={`0 0 ${width} ${height}`} data-testid="swimlane">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5a6a" /></marker>
        </defs>
        {lanes.map((lane, i) => (
          <g key={lane.id}>
            <rect x={i * LANE_W} y={0} width={LANE_W} height={height} fill={i % 2 ? '#f7f9fb' : '#ffffff'} stroke="#c9d2db" />
            <text x={i * LANE_W + LANE_W / 2} y={22} textAnchor="middle" fontWeight="600" fontSize="13" fill="#1b2733">{shorten(lane.title, 26)}</text>
          </g>
        ))}
        {steps.flatMap((step) => edgesOf(step).map((edge) => {
          const target = byId.get(edge.to);
          if (!target) return null;
          const a = center(step);
          const b = center(target);
          const back = b.y <= a.y;
          const path = back
            ? `M${a.x + BOX_W / 2},${a.y} C${a.x + BOX_W / 2 + 30},${a.y} ${b.x + BOX_W / 2 + 30},${b.y} ${b.x + BOX_W / 2},${b.y}`
            : `M${a.x},${a.y + BOX_H / 2} L${b.x},${b.y - BOX_H / 2}`;
          return (
            <g key={`${step.id}->${edge.to}`}>
              <path d={path} fill="none" stroke="#4a5a6a" strokeWidth="1.3" markerEnd="url(#arrow)" />
              {edge.label && <text x={(a.x + b.x) / 2 + 6} y={(a.y + b.y) / 2} fontSize="11" fill="#1b2733">{edge.label}</text>}
            </g>
          );
        }))}
        {steps.map((step) => {
          const { x, y } = center(step);
          const active = activeSteps.includes(step.id);
          const finished = done.get(step.id);
          const late = finished?.overdue;
          const fill = active ? '#fff4d6' : finished ? (late ? '#fde7e7' : '#e6f4ea') : '#ffffff';
          const stroke = active ? '#6b4a00' : finished ? (late ? '#a11b1b' : '#1d5e2f') : '#4a5a6a';
          const shape = step.kind === 'decision' || step.kind === 'loop' || step.kind === 'approval'
            ? <polygon points={`${x},${y - BOX_H / 2 - 4} ${x + BOX_W / 2},${y} ${x},${y + BOX_H / 2 + 4} ${x - BOX_W / 2},${y}`} fill={fill} stroke={stroke} strokeWidth={active ? 3 : 1.5} />
            : <rect x={x - BOX_W / 2} y={y - BOX_H / 2} width={BOX_W} height={BOX_H} rx={step.kind === 'end' ? BOX_H / 2 : 3} fill={fill} stroke={stroke} strokeWidth={active ? 3 : 1.5} />;
          const actual = finished?.elapsedMs != null ? `${duration(finished.elapsedMs)}${step.budgetMs ? ` / ${duration(step.budgetMs)}` : ''}` : step.time ?? '';
          return (
            <g key={step.id} data-step={step.id} data-state={active ? 'active' : finished ? 'done' : 'idle'}>
              <title>{step.activity}</title>
              {shape}
              <text x={x} y={y - 2} textAnchor="middle" fontSize="11" fill="#1b2733">{shorten(step.activity, step.kind === 'task' || step.kind === 'end' ? 27 : 20)}</text>
              <text x={x} y={y + 12} textAnchor="middle" fontSize="10" fill="#4a5a6a">{actual}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
