import type { Pt } from '../geometry';

/**
 * One-to-one matching of a trainee's marks to a key's points: a mark may count for a key point
 * within `radius` (same units as the points), no mark or key point counts twice, and as many
 * pairs as possible are made — greedy nearest-first pairing can strand a mark whose only key
 * point was taken by a mark that had another, and would mark a trainee down for the order of
 * their clicks. Among the matchings of that largest size, the one with the least total
 * distance is chosen, so a mark pairs with the key point it was meant for.
 *
 * Method: a minimum-cost assignment (Hungarian algorithm) in which every pair within the radius
 * costs its distance minus a constant larger than any possible sum of distances, so one more
 * pair always outweighs any saving in distance. It runs on each connected group of nearby
 * points separately: marks far apart never compete, and a 500-nucleus Ki67 field stays small
 * groups. Deterministic for a given input order.
 */
export function matchPoints(answer: readonly Pt[], key: readonly Pt[], radius: number): Array<[number, number]> {
  if (!(radius >= 0)) return [];
  const candidates: Array<[number, number, number]> = [];
  for (let i = 0; i < answer.length; i++) {
    for (let j = 0; j < key.length; j++) {
      const d = Math.hypot(answer[i]![0] - key[j]![0], answer[i]![1] - key[j]![1]);
      // NaN and infinite coordinates never match anything.
      if (Number.isFinite(d) && d <= radius) candidates.push([i, j, d]);
    }
  }
  const matches: Array<[number, number]> = [];
  for (const group of groups(answer.length, key.length, candidates)) matches.push(...assign(group));
  return matches.sort((a, b) => a[0] - b[0]);
}

interface Group {
  readonly answers: number[];
  readonly keys: number[];
  readonly pairs: Array<[number, number, number]>;
}

/** Connected groups of the graph whose edges are the candidate pairs (union–find). */
function groups(nAnswers: number, nKeys: number, candidates: ReadonlyArray<[number, number, number]>): Group[] {
  // Nodes: answers 0…nAnswers−1, then keys.
  const parent = Array.from({ length: nAnswers + nKeys }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const [i, j] of candidates) parent[find(i)] = find(nAnswers + j);
  const byRoot = new Map<number, Group>();
  const groupOf = (node: number): Group => {
    const root = find(node);
    let g = byRoot.get(root);
    if (!g) byRoot.set(root, (g = { answers: [], keys: [], pairs: [] }));
    return g;
  };
  for (const c of candidates) groupOf(c[0]).pairs.push(c);
  for (const g of byRoot.values()) {
    g.answers.push(...new Set(g.pairs.map((p) => p[0])));
    g.keys.push(...new Set(g.pairs.map((p) => p[1])));
    g.answers.sort((a, b) => a - b);
    g.keys.sort((a, b) => a - b);
  }
  return [...byRoot.values()];
}

/** The best matching within one group, as [answer index, key index] pairs. */
function assign(g: Group): Array<[number, number]> {
  // The Hungarian algorithm below wants no more rows than columns.
  const flip = g.answers.length > g.keys.length;
  const rows = flip ? g.keys : g.answers;
  const cols = flip ? g.answers : g.keys;
  const rowAt = new Map(rows.map((r, k) => [r, k]));
  const colAt = new Map(cols.map((c, k) => [c, k]));
  const maxD = g.pairs.reduce((m, p) => Math.max(m, p[2]), 0);
  // Distances scaled to [0, 1]; a pair is worth −(rows + 1) on top, more than all distances together.
  const scale = maxD > 0 ? maxD : 1;
  const bonus = rows.length + 1;
  const cost = Array.from({ length: rows.length }, () => new Float64Array(cols.length));
  for (const [a, k, d] of g.pairs) {
    const r = rowAt.get(flip ? k : a)!;
    const c = colAt.get(flip ? a : k)!;
    cost[r]![c] = d / scale - bonus;
  }
  const rowOfCol = hungarian(cost, rows.length, cols.length);
  const out: Array<[number, number]> = [];
  for (let c = 0; c < cols.length; c++) {
    const r = rowOfCol[c]!;
    // A row left on a column it has no pair with (cost 0) is unmatched.
    if (r < 0 || cost[r]![c]! >= 0) continue;
    out.push(flip ? [cols[c]!, rows[r]!] : [rows[r]!, cols[c]!]);
  }
  return out;
}

/**
 * Minimum-cost assignment of every row to a distinct column (n ≤ m), O(n²·m), with row and
 * column potentials (the classic formulation, e.g. e-maxx.ru). Returns each column's row, or −1.
 */
function hungarian(cost: readonly Float64Array[], n: number, m: number): Int32Array {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: the row (1-based) on column j; 0 none
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowOfCol = new Int32Array(m).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) rowOfCol[j - 1] = p[j]! - 1;
  return rowOfCol;
}
