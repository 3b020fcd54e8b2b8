/**
 * A vessel's outline as cut: its lumen an oval (semi-axes r and r·asp, the major along `cs, sn`)
 * and its wall a band of even thickness round it. Vessels run with the fascicles they feed, so
 * a fascicle cut along shows them as long slits and one cut across as round profiles. Shared by
 * the cell placer (no tumour cell inside a wall) and the vessel painter, so the two agree.
 */
export interface VesselShape {
  readonly x: number;
  readonly y: number;
  /** Lumen radius along the oval's major axis. */
  readonly r: number;
  /** r plus the wall's thickness: the outline reaches this far along the major axis. */
  readonly wall: number;
  /** Direction of the major axis, and the minor over the major axis of the lumen. */
  readonly cs: number;
  readonly sn: number;
  readonly asp: number;
}

/** Where a point lies against a vessel's oval: its angle θ in the oval's frame and its
 * normalised radius ρ (the lumen's outline is ρ = r), and `grad`, |∇ρ|: (ρ − r) / grad is the
 * distance (µm, to first order) from the outline. */
export interface OvalPoint {
  theta: number;
  rho: number;
  grad: number;
}

export function newOvalPoint(): OvalPoint {
  return { theta: 0, rho: 0, grad: 1 };
}

export function ovalPoint(v: VesselShape, dx: number, dy: number, out: OvalPoint): OvalPoint {
  const ia = 1 / v.asp;
  const du = dx * v.cs + dy * v.sn;
  const dv = -dx * v.sn + dy * v.cs;
  const dn = dv * ia;
  const rho = Math.sqrt(du * du + dn * dn);
  out.rho = rho;
  out.theta = Math.atan2(dn, du);
  out.grad = rho > 1e-9 ? Math.sqrt(du * du + dn * ia * (dn * ia)) / rho : 1;
  return out;
}

/** Distance (µm, first order) of (dx, dy) from the centre outside the lumen's plain oval (no
 * wobble): the wall ends where this reaches wall − r. `o` is scratch, left holding the point. */
export function beyondLumen(v: VesselShape, dx: number, dy: number, o: OvalPoint): number {
  ovalPoint(v, dx, dy, o);
  return (o.rho - v.r) / o.grad;
}

/** A point at distance d outside the lumen's oval of radius `rl` (normalised) at angle θ, with
 * the outline's tangent direction there (radians, slide frame): where wall nuclei sit. */
export function alongOval(v: VesselShape, theta: number, rl: number, d: number): [number, number, number] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  // On the oval, and out along its normal (∝ (asp cos θ, sin θ) in the oval's frame).
  const nx = v.asp * c;
  const ny = s;
  const nl = Math.hypot(nx, ny);
  const du = rl * c + (d * nx) / nl;
  const dv = rl * v.asp * s + (d * ny) / nl;
  const tu = -s;
  const tv = v.asp * c;
  return [v.x + du * v.cs - dv * v.sn, v.y + du * v.sn + dv * v.cs, Math.atan2(tu * v.sn + tv * v.cs, tu * v.cs - tv * v.sn)];
}
