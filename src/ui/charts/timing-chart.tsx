/**
 * The timing dashboard's chart: one band per row of the timing table (a step, or a step in one
 * group), in SOP order from the top, with the median waiting and work times, the median and p90
 * from available to completed (red for a step with overdue executions), the step's mutu baku as a
 * line and the longest time as a point. Axis labels and tooltips come from the i18n catalogue,
 * durations in the chosen language. Loaded on demand, so ECharts is its own chunk.
 */
import { BarChart, ScatterChart } from 'echarts/charts';
import { GridSimpleComponent, LegendPlainComponent, TooltipComponent } from 'echarts/components';
import { use, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useId, useMemo } from 'react';
import { useI18n, type I18n } from '../i18n/i18n';
import type { TimingRowView } from '../pages/audit-page';
import { EChart } from './echart';

use([BarChart, ScatterChart, GridSimpleComponent, LegendPlainComponent, TooltipComponent, SVGRenderer]);

/** Colours with at least 3:1 contrast on white (WCAG 1.4.11); red matches the table's overdue ink. */
export const CHART_COLOURS = {
  wait: '#6b7785', work: '#1f7a6d', median: '#0b5cad', p90: '#5b8fd0',
  lateMedian: '#a11b1b', lateP90: '#d64545', budget: '#1b2733', max: '#4a5a6a',
} as const;

const BAND_PX = 64;
const STEPS_MS = [1, 5, 15, 30].map((s) => s * 1000).concat([1, 2, 5, 10, 15, 30].map((m) => m * 60_000), [1, 2, 3, 6, 12].map((h) => h * 3_600_000), [1, 2, 7].map((d) => d * 86_400_000));

/** A tick interval in whole time units giving at most about six ticks. */
export function niceTimeInterval(maxMs: number): number {
  return STEPS_MS.find((step) => maxMs / step <= 6) ?? Math.ceil(maxMs / 6 / 86_400_000) * 86_400_000;
}

export function isLate(row: TimingRowView): boolean {
  return row.overdue > 0;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function categoryLabel(row: TimingRowView, grouped: boolean): string {
  const activity = row.activity.length > 34 ? `${row.activity.slice(0, 33)}…` : row.activity;
  return grouped ? `${row.row}. ${activity}\n${row.group ?? ''}` : `${row.row}. ${activity}`;
}

function tooltipHtml(row: TimingRowView, { t, duration, percent }: I18n): string {
  const line = (label: string, value: string) => `<tr><th scope="row" style="text-align:left;font-weight:400;padding-right:1em">${escapeHtml(label)}</th><td style="text-align:right">${escapeHtml(value)}</td></tr>`;
  return [
    `<strong>${escapeHtml(`${row.row}. ${row.activity}`)}</strong>`,
    `<div>${escapeHtml(`${row.sopId} · ${t('sops.revision', { n: row.revision })}${row.group ? ` · ${row.group}` : ''}`)}</div>`,
    '<table>',
    line(t('audit.col.budget'), row.budgetMs != null ? duration(row.budgetMs) : '–'),
    line(t('audit.col.count'), String(row.count)),
    line(t('audit.series.wait'), duration(row.medianWaitMs)),
    line(t('audit.tip.maxWait'), duration(row.maxWaitMs)),
    line(t('audit.series.work'), duration(row.medianWorkMs)),
    line(t('audit.col.median'), duration(row.medianMs)),
    line(t('audit.col.p90'), duration(row.p90Ms)),
    line(t('audit.col.max'), duration(row.maxMs)),
    line(t('audit.col.within'), row.withinBudget != null ? percent(row.withinBudget) : '–'),
    line(t('audit.col.overdue'), String(row.overdue)),
    '</table>',
    `<div>${escapeHtml(t('audit.tip.click'))}</div>`,
  ].join('');
}

export function buildTimingOption(rows: TimingRowView[], grouped: boolean, i18n: I18n): EChartsCoreOption {
  const { t, duration } = i18n;
  const maxMs = Math.max(1000, ...rows.map((r) => Math.max(r.maxMs, r.budgetMs ?? 0)));
  const interval = niceTimeInterval(maxMs);
  // The series' colour is the legend's; a late row's bar overrides it with red. No hover recolouring:
  // the axis shadow marks the row under the pointer, and red keeps meaning late.
  const bar = (name: string, values: number[], colour: string, lateColour = colour) => ({
    type: 'bar', name, barGap: '10%', barCategoryGap: '22%', cursor: 'pointer', itemStyle: { color: colour }, emphasis: { disabled: true },
    data: values.map((value, i) => (isLate(rows[i]!) && lateColour !== colour ? { value, itemStyle: { color: lateColour } } : value)),
  });
  return {
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif', color: '#1b2733' },
    legend: { top: 0, textStyle: { color: '#1b2733' } },
    grid: { left: 8, right: 24, top: 40, bottom: 40, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: (params: Array<{ dataIndex: number }>) => tooltipHtml(rows[params[0]!.dataIndex]!, i18n) },
    xAxis: {
      type: 'value', min: 0, max: Math.ceil(maxMs / interval) * interval, interval,
      name: t('audit.axis.time'), nameLocation: 'middle', nameGap: 26,
      axisLabel: { formatter: (ms: number) => duration(ms), color: '#1b2733' },
    },
    yAxis: {
      type: 'category', inverse: true, data: rows.map((r) => categoryLabel(r, grouped)),
      axisLabel: { color: '#1b2733', width: 260, overflow: 'truncate' }, axisTick: { alignWithLabel: true },
    },
    series: [
      bar(t('audit.series.wait'), rows.map((r) => r.medianWaitMs), CHART_COLOURS.wait),
      bar(t('audit.series.work'), rows.map((r) => r.medianWorkMs), CHART_COLOURS.work),
      bar(t('audit.col.median'), rows.map((r) => r.medianMs), CHART_COLOURS.median, CHART_COLOURS.lateMedian),
      bar(t('audit.col.p90'), rows.map((r) => r.p90Ms), CHART_COLOURS.p90, CHART_COLOURS.lateP90),
      {
        type: 'scatter', name: t('audit.col.budget'), symbol: 'rect', symbolSize: [3, BAND_PX * 0.8], z: 5, cursor: 'pointer',
        itemStyle: { color: CHART_COLOURS.budget }, data: rows.map((r) => r.budgetMs ?? '-'),
      },
      {
        type: 'scatter', name: t('audit.col.max'), symbol: 'diamond', symbolSize: 10, z: 4, cursor: 'pointer',
        itemStyle: { color: CHART_COLOURS.max }, data: rows.map((r) => r.maxMs),
      },
    ],
  };
}

export function TimingChart({ rows, grouped, onSelect }: { rows: TimingRowView[]; grouped: boolean; onSelect(row: TimingRowView): void }) {
  const i18n = useI18n();
  const descriptionId = useId();
  const option = useMemo(() => buildTimingOption(rows, grouped, i18n), [rows, grouped, i18n]);
  const late = rows.filter(isLate).map((r) => `${r.row}. ${r.activity}${r.group ? ` (${r.group})` : ''}`);
  return (
    <figure className="timing-chart">
      <EChart
        option={option} height={rows.length * BAND_PX + 90} testId="timing-chart"
        label={i18n.t('audit.chartLabel', { n: rows.length })} describedBy={descriptionId}
        onCategoryClick={(index) => rows[index] && onSelect(rows[index])}
      />
      <figcaption id={descriptionId} className="muted small">
        {i18n.t('audit.chartDescription', { late: late.length > 0 ? late.join('; ') : i18n.t('audit.chartNoLate') })}
      </figcaption>
    </figure>
  );
}
