// Reading TSPLIB instances and measuring tours exactly as TSPLIB does, so that our tour lengths can be
// compared with the published optima (test/integration/routing-tsplib-library.test.ts checks them
// against the real library's optimal tours).
import { describe, expect, test } from 'vitest';
import { parseTsplib, parseTsplibTour, TsplibFormatError, tsplibDistance, tsplibDistanceMatrix, tsplibTourLength, type TsplibInstance } from '../../domain/routing/tsplib.ts';

const instance = (edgeWeightType: TsplibInstance['edgeWeightType'], points: Array<[number, number]>): TsplibInstance => ({
  name: 't',
  comment: '',
  dimension: points.length,
  edgeWeightType,
  x: Float64Array.from(points.map((p) => p[0])),
  y: Float64Array.from(points.map((p) => p[1])),
});

const square = `NAME : square4
COMMENT : four corners of a 3x4 rectangle
TYPE : TSP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 3 0
3 3 4
4 0 4
EOF
`;

describe('parsing', () => {
  test('reads the header and the coordinates, node k at index k-1', () => {
    const parsed = parseTsplib(square);
    expect(parsed).toMatchObject({ name: 'square4', comment: 'four corners of a 3x4 rectangle', dimension: 4, edgeWeightType: 'EUC_2D' });
    expect(Array.from(parsed.x)).toEqual([0, 3, 3, 0]);
    expect(Array.from(parsed.y)).toEqual([0, 0, 4, 4]);
  });

  test('accepts the spellings found in the library: "KEY: value", CRLF, indented rows, exponents, nodes out of order, no EOF', () => {
    const text = ['NAME: odd', 'TYPE: TSP', 'DIMENSION: 3', 'EDGE_WEIGHT_TYPE: CEIL_2D', 'DISPLAY_DATA_TYPE: COORD_DISPLAY', 'NODE_COORD_SECTION', '  2 1.5e+01 2.0e0', ' 1 0 0', '3   7  -8'].join('\r\n');
    const parsed = parseTsplib(text);
    expect(parsed.edgeWeightType).toBe('CEIL_2D');
    expect(Array.from(parsed.x)).toEqual([0, 15, 7]);
    expect(Array.from(parsed.y)).toEqual([0, 2, -8]);
  });

  test.each([
    ['an asymmetric problem', square.replace('TYPE : TSP', 'TYPE : ATSP'), /TYPE ATSP is not supported/],
    ['explicit edge weights', 'NAME : x\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n1 0 3\n2 3 0\nEOF', /EDGE_WEIGHT_TYPE EXPLICIT is not supported: use one of EUC_2D, CEIL_2D, ATT, GEO/],
    ['a 3-D distance', square.replace('EUC_2D', 'EUC_3D'), /EDGE_WEIGHT_TYPE EUC_3D is not supported/],
    ['no DIMENSION', square.replace('DIMENSION : 4\n', ''), /DIMENSION must be a positive integer/],
    ['fewer nodes than DIMENSION', square.replace('4 0 4\n', ''), /NODE_COORD_SECTION has 3 nodes, DIMENSION says 4/],
    ['a node twice', square.replace('4 0 4', '3 0 4'), /line 10: node 3 appears twice/],
    ['a node number beyond DIMENSION', square.replace('4 0 4', '5 0 4'), /line 10: node number 5 is not between 1 and DIMENSION 4/],
    ['a row that is not "node x y"', square.replace('2 3 0', '2 3'), /line 8: expected "node x y"/],
    ['no coordinates', 'NAME : x\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nEOF', /NODE_COORD_SECTION is missing/],
  ])('refuses %s with a clear error', (_what, text, message) => {
    expect(() => parseTsplib(text)).toThrow(TsplibFormatError);
    expect(() => parseTsplib(text)).toThrow(message);
  });
});

describe('distances, rounded as TSPLIB specifies', () => {
  test('EUC_2D rounds the Euclidean distance to the nearest integer, halves up: nint(sqrt(dx² + dy²))', () => {
    const euc = instance('EUC_2D', [[0, 0], [3, 4], [1, 1], [1, 2], [1.5, 2], [2, 2]]);
    expect(tsplibDistance(euc, 0, 1)).toBe(5);
    expect(tsplibDistance(euc, 0, 2)).toBe(1); // 1.414
    expect(tsplibDistance(euc, 0, 3)).toBe(2); // 2.236
    expect(tsplibDistance(euc, 0, 4)).toBe(3); // exactly 2.5
    expect(tsplibDistance(euc, 0, 5)).toBe(3); // 2.828
  });

  test('CEIL_2D rounds up', () => {
    const ceil = instance('CEIL_2D', [[0, 0], [1, 1], [3, 4]]);
    expect(tsplibDistance(ceil, 0, 1)).toBe(2);
    expect(tsplibDistance(ceil, 0, 2)).toBe(5);
  });

  test('ATT (pseudo-Euclidean) rounds sqrt((dx² + dy²) / 10) and adds one when rounding went down', () => {
    const att = instance('ATT', [[0, 0], [10, 0], [30, 10], [0, 20]]);
    expect(tsplibDistance(att, 0, 1)).toBe(4); // 3.162 → 3 < 3.162 → 4
    expect(tsplibDistance(att, 0, 2)).toBe(10); // exactly 10
    expect(tsplibDistance(att, 0, 3)).toBe(7); // 6.325 → 6 < 6.325 → 7
  });

  test('GEO reads DDD.MM as degrees and minutes on a 6378.388 km sphere, truncating degrees towards zero', () => {
    // One degree of longitude on the equator: 6378.388 × 3.141592 / 180 = 111.32 km; TSPLIB adds 1 and truncates.
    const geo = instance('GEO', [[0, 0], [0, 1], [0, 0.3], [-1.7, 0]]);
    expect(tsplibDistance(geo, 0, 1)).toBe(112);
    expect(tsplibDistance(geo, 0, 2)).toBe(56); // 30 minutes: 55.66 km
    // -1.70 is 1 degree 70 minutes south (2.1667°: 241.2 km); rounding the degrees instead would say 1.5° (167).
    expect(tsplibDistance(geo, 0, 3)).toBe(242);
    expect(tsplibDistance(geo, 2, 2)).toBe(0);
  });

  test('the matrix is symmetric and the tour length is the sum of its closed tour', () => {
    const parsed = parseTsplib(square);
    const d = tsplibDistanceMatrix(parsed);
    expect(Array.from(d.subarray(0, 4))).toEqual([0, 3, 5, 4]);
    expect(d[2 * 4 + 0]).toBe(5);
    expect(tsplibTourLength(parsed, [0, 1, 2, 3])).toBe(14);
    expect(tsplibTourLength(parsed, [0, 2, 1, 3])).toBe(18);
  });

  test('a tour that misses or repeats a node is refused rather than measured', () => {
    const parsed = parseTsplib(square);
    expect(() => tsplibTourLength(parsed, [0, 1, 2])).toThrow(/visit all 4 nodes/);
    expect(() => tsplibTourLength(parsed, [0, 1, 1, 3])).toThrow(/each node once/);
  });
});

test('a .tour file becomes 0-based node indices', () => {
  const text = 'NAME : square4.opt.tour\nTYPE : TOUR\nDIMENSION : 4\nTOUR_SECTION\n1\n4 3\n2\n-1\nEOF\n';
  expect(parseTsplibTour(text)).toEqual([0, 3, 2, 1]);
  expect(() => parseTsplibTour('NAME : x\nEOF')).toThrow(/TOUR_SECTION is missing/);
});
