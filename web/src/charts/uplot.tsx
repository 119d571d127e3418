/**
 * A Preact wrapper of uPlot: the canvas is decorative (aria-hidden) and the figure's caption says
 * in words what it shows, so screen readers and keyboard users lose nothing. The chart follows its
 * container's width (375 px phones included) and takes new data without being rebuilt.
 */
import { useEffect, useRef } from "preact/hooks";
import type { ComponentChildren } from "preact";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartProps {
  /** uPlot options without the size (the wrapper sets it). Rebuilt when `optionsKey` changes. */
  readonly options: Omit<uPlot.Options, "width" | "height">;
  readonly optionsKey: string;
  readonly data: uPlot.AlignedData;
  readonly height?: number;
  /** The caption: what the chart shows, in words (also its accessible description). */
  readonly caption: ComponentChildren;
}

export function Chart({ options, optionsKey, data, height = 220, caption }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const width = Math.max(200, el.clientWidth);
    const u = new uPlot({ ...options, width, height, legend: { show: false } }, latest.current, el);
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // rebuilt on the options' key only: new data goes through setData below
  }, [optionsKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure class="chart">
      <div ref={box} class="chart-canvas" aria-hidden="true" />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** Bars drawn by uPlot's own path builder. */
export function bars(size = 0.7): uPlot.Series.PathBuilder | undefined {
  return uPlot.paths.bars?.({ size: [size, 48] });
}

/** Colours with enough contrast on the page's background (and for colour-blind readers: blue/orange). */
export const COLORS = { member: "#1c5d99", candidate: "#c25e00", line: "#1b1f24", grid: "#d9e2ec" } as const;
