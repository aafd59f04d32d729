// A uPlot chart that fills its box: created once per option set, fed new data without
// rebuilding, resized with its container. uPlot draws on its own canvas and sets sizes
// through CSSOM (no inline style markup), so it runs under the app's strict CSP; its
// stylesheet is bundled with the app's CSS.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  /** Options without width and height (the box decides them). */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  testId?: string;
}


export function UPlotChart({ options, data, testId }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const size = () => ({ width: Math.max(160, el.clientWidth), height: Math.max(80, el.clientHeight) });
    const u = new uPlot({ ...options, ...size() }, latest.current, el);
    plot.current = u;
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => u.setSize(size()));
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [options]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="run-chart" ref={box} data-testid={testId} data-points={data[0]?.length ?? 0} title="Drag to zoom; double-click to show everything" />;
}
