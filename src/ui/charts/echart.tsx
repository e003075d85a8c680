/**
 * A small React face for one Apache ECharts instance, drawn with the SVG renderer (crisp at any
 * zoom, printable, and its bars are elements a test can find and click). Only the charts and
 * components registered by the caller (`echarts/core`'s `use`) end up in the bundle.
 */
import { init, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef } from 'react';

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  /** Called with the category index under a click anywhere in the plot (a bar or its band). */
  onCategoryClick?(index: number): void;
  label: string;
  describedBy?: string;
  testId?: string;
}

export function EChart({ option, height, onCategoryClick, label, describedBy, testId }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const onClick = useRef(onCategoryClick);
  onClick.current = onCategoryClick;

  useEffect(() => {
    const element = container.current!;
    const instance = init(element, null, { renderer: 'svg' });
    chart.current = instance;
    instance.getZr().on('click', (event) => {
      const point = [event.offsetX, event.offsetY];
      if (!instance.containPixel({ gridIndex: 0 }, point)) return;
      const [, index] = instance.convertFromPixel({ gridIndex: 0 }, point) as number[];
      if (index !== undefined && Number.isInteger(index) && index >= 0) onClick.current?.(index);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  // role="img": the chart is one picture to assistive technology; the table beside it holds the numbers.
  return <div ref={container} role="img" aria-label={label} aria-describedby={describedBy} data-testid={testId} className="echart" style={{ height }} />;
}
