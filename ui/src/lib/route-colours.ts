// Colours that tell routes and groups apart on a map and in lists (distinct at a glance, readable
// with white text), chosen by position or, for group keys, by a stable hash of the key.
export const routeColours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#0f3d56', '#b42318'];

export function colourAt(index: number): string {
  return routeColours[index % routeColours.length]!;
}

export function colourOfKey(key: string | null): string {
  if (!key) return '#5f6b7a';
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return colourAt(hash);
}

/** "12.4 km". */
export function formatDistance(metres: number): string {
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres)} m`;
}
