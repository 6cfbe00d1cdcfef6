// A small accessible SVG bar chart: one bar per point, labelled, with a table for screen readers.
export interface Point {
  label: string;
  value: number;
}

const WIDTH = 320;
const HEIGHT = 120;
const BAR_MAX = 40;

export function BarChart({ title, points }: { title: string; points: Point[] }) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = Math.min(BAR_MAX, WIDTH / Math.max(1, points.length));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 16}`} role="img" aria-label={`${title}: ${points.map((p) => `${p.label} ${p.value}`).join(", ")}`}>
        {points.map((point, i) => {
          const height = (point.value / max) * HEIGHT;
          return (
            <g key={i}>
              <title>{`${point.label}: ${point.value}`}</title>
              <rect x={i * step + 2} y={HEIGHT - height} width={Math.max(1, step - 4)} height={height} className="bar" />
              <text x={i * step + step / 2} y={HEIGHT + 12} textAnchor="middle" className="bar-label">{point.value}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
