/**
 * A small ECharts hook: registers only the parts Dudao uses (bar, pie, grid, tooltip, legend,
 * canvas renderer), follows the container's size, and disposes the chart with the component.
 */
import { useEffect, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** Returns a callback ref for the chart's container. */
export function useEChart<T extends HTMLElement = HTMLDivElement>(option: ChartOption) {
  const [el, setEl] = useState<T | null>(null);
  const [chart, setChart] = useState<echarts.EChartsType | null>(null);

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
