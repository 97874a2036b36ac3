/**
 * The one ECharts hook of the web client: registers only the parts Dudao uses (bar, line, pie, grid, tooltip,
 * legend, mark lines, canvas renderer), follows the container's size, disposes the chart with the component, and reports
 * clicks so every chart can drill down to the list behind a number.
 */
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import {
  BarChart,
  LineChart,
  PieChart,
  type BarSeriesOption,
  type LineSeriesOption,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

/** What a click on a bar, point or slice says: its index on the category axis, its series and its name. */
export interface ChartClick {
  dataIndex: number;
  seriesIndex: number;
  seriesName: string;
  name: string;
}

/** Returns a callback ref for the chart's container; `onClick` (optional) is told of clicks on the data. */
export function useEChart<T extends HTMLElement = HTMLDivElement>(
  option: ChartOption,
  onClick?: (click: ChartClick) => void,
) {
  const [el, setEl] = useState<T | null>(null);
  const [chart, setChart] = useState<echarts.EChartsType | null>(null);
  // The latest handler, without re-binding the chart's event on every render.
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    setChart(instance);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => instance.resize());
    });
    observer.observe(el);
    instance.on('click', (p) => {
      const params = p as { dataIndex?: number; seriesIndex?: number; seriesName?: string; name?: string };
      if (typeof params.dataIndex !== 'number') return;
      clickRef.current?.({
        dataIndex: params.dataIndex,
        seriesIndex: params.seriesIndex ?? 0,
        seriesName: params.seriesName ?? '',
        name: params.name ?? '',
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      instance.dispose();
      setChart(null);
    };
  }, [el]);

  useEffect(() => {
    chart?.setOption(option, { notMerge: true });
  }, [chart, option]);

  return setEl;
}
