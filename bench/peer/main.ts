import OpenSeadragon from 'openseadragon';
import { createOSDAnnotator } from '@annotorious/openseadragon';
import '@annotorious/openseadragon/annotorious-openseadragon.css';
import { loadCase } from '../../src/app/case-data';
import { TilePool } from '../../src/viewer/tile-pool';
import { virtualTileSource } from '../../src/viewer/tile-sources';
import { umPerScreenPxAt } from '../../src/model/optics';
import type { BenchShape } from '../shapes';

/**
 * The benchmark's peer: the same OpenSeadragon viewer, drawer and virtual slide as Lamina,
 * with @annotorious/openseadragon drawing the annotations. Lamina points become small ellipses
 * (Annotorious 3.8 has no point shape).
 */
const params = new URLSearchParams(location.search);
// The same rectangle as Lamina's viewer on Lamina's page (the benchmark passes it).
const rect = (params.get('rect') ?? '').split(',').map(Number);
if (rect.length === 4 && rect.every(Number.isFinite)) {
  const [x, y, w, h] = rect as [number, number, number, number];
  Object.assign(document.getElementById('viewer')!.style, { inset: 'auto', left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${h}px` });
}
const { manifest, scenes } = loadCase();
const pool = new TilePool([...scenes.values()]);
const slide = manifest.slides[0]!;
const viewer = OpenSeadragon({
  element: document.getElementById('viewer')!,
  tileSources: virtualTileSource(slide, pool),
  drawer: 'canvas',
  showNavigationControl: false,
  minPixelRatio: 0.6,
  immediateRender: true,
  maxImageCacheCount: 600,
} as OpenSeadragon.Options);
const anno = createOSDAnnotator(viewer, { drawingEnabled: false });

function toAnnotorious(s: BenchShape) {
  if (s.type === 'point') {
    const [x, y] = s.points[0]!;
    const r = 8;
    return {
      id: s.id,
      bodies: [],
      target: { annotation: s.id, selector: { type: 'ELLIPSE', geometry: { cx: x, cy: y, rx: r, ry: r, bounds: { minX: x - r, minY: y - r, maxX: x + r, maxY: y + r } } } },
    };
  }
  const xs = s.points.map((p) => p[0]);
  const ys = s.points.map((p) => p[1]);
  return {
    id: s.id,
    bodies: [],
    target: {
      annotation: s.id,
      selector: { type: 'POLYGON', geometry: { points: s.points, bounds: { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) } } },
    },
  };
}

const w = window as unknown as Record<string, unknown>;
const opened = new Promise<void>((resolve) => viewer.addOnceHandler('open', () => resolve()));
const peer = {
  opened,
  load(shapes: BenchShape[]) {
    anno.setAnnotations(shapes.map(toAnnotorious) as never);
  },
  jumpTo(v: { x: number; y: number; z: number }) {
    const vp = viewer.viewport;
    vp.zoomTo(vp.imageToViewportZoom(slide.mpp / umPerScreenPxAt(v.z)), undefined, true);
    vp.panTo(vp.imageToViewportCoordinates(new OpenSeadragon.Point(v.x, v.y)), true);
  },
};
w['__peer'] = peer;

// The benchmark's clock: navigation → the first frame painted with the annotations, read from
// a file (the peer has no storage) while the slide opens, as Lamina reads IndexedDB.
if (params.has('x')) {
  const data = fetch(`/bench-annotations-${params.get('data') ?? ''}.json`).then((r) => r.json() as Promise<BenchShape[]>);
  void opened.then(async () => {
    peer.jumpTo({ x: Number(params.get('x')), y: Number(params.get('y')), z: Number(params.get('z')) });
    peer.load(await data);
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('peer:annotations-painted')));
  });
}
