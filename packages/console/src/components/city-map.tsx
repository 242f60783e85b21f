import type { LatLng } from "../api/types.js";

/** Something drawn on the map. */
export interface MapMarker {
  readonly id: string;
  readonly at: LatLng;
  readonly kind: "restaurant" | "home" | "courier" | "selected";
  readonly label: string;
}

const WIDTH = 600;
const HEIGHT = 380;
/** About 4 km across at Berlin's latitude: the demo city fits with room around it. */
const SPAN_KM = 4.5;
const KM_PER_DEG_LAT = 111.32;

/** An equirectangular projection around `centre`: fine at city scale, and needs no tile server. */
export function project(centre: LatLng, at: LatLng): { x: number; y: number } {
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((centre.lat * Math.PI) / 180);
  const scale = WIDTH / SPAN_KM;
  return { x: WIDTH / 2 + (at.lng - centre.lng) * kmPerDegLng * scale, y: HEIGHT / 2 - (at.lat - centre.lat) * KM_PER_DEG_LAT * scale };
}

export function unproject(centre: LatLng, x: number, y: number): LatLng {
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((centre.lat * Math.PI) / 180);
  const scale = WIDTH / SPAN_KM;
  const round = (n: number) => Math.round(n * 100_000) / 100_000;
  return { lat: round(centre.lat + (HEIGHT / 2 - y) / scale / KM_PER_DEG_LAT), lng: round(centre.lng + (x - WIDTH / 2) / scale / kmPerDegLng) };
}

const GLYPH: Record<MapMarker["kind"], string> = { restaurant: "R", home: "⌂", courier: "C", selected: "R" };

/**
 * A city map drawn from coordinates as SVG: a 500 m grid, the markers, and an optional route line. Clicking it
 * picks a point (the delivery address, a courier's position).
 */
export function CityMap(props: { centre: LatLng; markers: readonly MapMarker[]; route?: readonly LatLng[]; onPick?: (at: LatLng) => void; title: string }) {
  const { centre, markers, route, onPick, title } = props;
  const gridStep = WIDTH / SPAN_KM / 2;
  const lines = [];
  for (let x = (WIDTH / 2) % gridStep; x < WIDTH; x += gridStep) lines.push(<line key={`x${x}`} x1={x} y1={0} x2={x} y2={HEIGHT} />);
  for (let y = (HEIGHT / 2) % gridStep; y < HEIGHT; y += gridStep) lines.push(<line key={`y${y}`} x1={0} y1={y} x2={WIDTH} y2={y} />);
  const pick = (event: MouseEvent) => {
    if (onPick === undefined) return;
    const svg = event.currentTarget as SVGSVGElement;
    const box = svg.getBoundingClientRect();
    onPick(unproject(centre, ((event.clientX - box.left) / box.width) * WIDTH, ((event.clientY - box.top) / box.height) * HEIGHT));
  };
  const path = (route ?? []).map((p) => project(centre, p));
  return (
    <svg class={`map${onPick === undefined ? "" : " pickable"}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} onClick={pick}>
      <title>{title}</title>
      <rect class="map-land" x={0} y={0} width={WIDTH} height={HEIGHT} />
      <path class="map-river" d={`M0 ${HEIGHT * 0.62} C ${WIDTH * 0.3} ${HEIGHT * 0.5}, ${WIDTH * 0.55} ${HEIGHT * 0.78}, ${WIDTH} ${HEIGHT * 0.58}`} />
      <g class="map-grid">{lines}</g>
      {path.length > 1 ? <polyline class="map-route" points={path.map((p) => `${p.x},${p.y}`).join(" ")} /> : null}
      {markers.map((m) => {
        const p = project(centre, m.at);
        return (
          <g key={`${m.kind}-${m.id}`} class={`marker marker-${m.kind}`} transform={`translate(${p.x} ${p.y})`} data-marker={m.kind}>
            <circle r={m.kind === "courier" ? 11 : 10} />
            <text class="glyph" y={4}>
              {GLYPH[m.kind]}
            </text>
            <text class="label" x={14} y={4}>
              {m.label}
            </text>
          </g>
        );
      })}
      <text class="map-scale" x={10} y={HEIGHT - 10}>
        grid 500 m
      </text>
    </svg>
  );
}
