// Great-circle travel estimates: what routes are costed with when no routing service is configured.
import { describe, expect, test } from 'vitest';
import { defaultGreatCircle, earthRadiusMetres, greatCircleMatrix, greatCircleTravel, haversineMetres, isValidLocation } from '../../domain/routing/geo.ts';

describe('haversine distance', () => {
  test('one degree along a meridian is R·π/180', () => {
    expect(haversineMetres({ lat: 10, lon: 20 }, { lat: 11, lon: 20 })).toBeCloseTo((earthRadiusMetres * Math.PI) / 180, 3);
  });

  test('New York to London is about 5,570 km, either way round', () => {
    const newYork = { lat: 40.7128, lon: -74.006 };
    const london = { lat: 51.5074, lon: -0.1278 };
    expect(haversineMetres(newYork, london) / 1000).toBeCloseTo(5570, -1);
    expect(haversineMetres(london, newYork)).toBe(haversineMetres(newYork, london));
  });

  test('antipodes are half the circumference apart; a point is 0 from itself', () => {
    expect(haversineMetres({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * earthRadiusMetres, 3);
    expect(haversineMetres({ lat: 48.85, lon: 2.35 }, { lat: 48.85, lon: 2.35 })).toBe(0);
  });
});

describe('travel estimate', () => {
  const a = { lat: 0, lon: 0 };
  const b = { lat: 0, lon: (10_000 / earthRadiusMetres) * (180 / Math.PI) }; // 10 km east along the equator

  test('roads are taken as 1.3 times the straight line, driven at 35 km/h, unless told otherwise', () => {
    expect(defaultGreatCircle).toEqual({ detourFactor: 1.3, speedKmh: 35 });
    const estimate = greatCircleTravel(a, b);
    expect(estimate.metres).toBeCloseTo(13_000, 6);
    expect(estimate.seconds).toBeCloseTo(13 / 35 * 3600, 6);
    const rural = greatCircleTravel(a, b, { detourFactor: 1.2, speedKmh: 60 });
    expect(rural.metres).toBeCloseTo(12_000, 6);
    expect(rural.seconds).toBeCloseTo(720, 6);
  });

  test('a detour factor below 1 or a speed of 0 is refused', () => {
    expect(() => greatCircleTravel(a, b, { detourFactor: 0.9 })).toThrow(/detourFactor/);
    expect(() => greatCircleTravel(a, b, { speedKmh: 0 })).toThrow(/speedKmh/);
  });

  test('the matrix lists the points in the order given, is symmetric and zero on the diagonal, and says it is an estimate', () => {
    const points = [{ id: 'p', ...a }, { id: 'q', ...b }, { id: 'r', lat: 1, lon: 1 }];
    const matrix = greatCircleMatrix(points);
    expect(matrix.pointIds).toEqual(['p', 'q', 'r']);
    expect(matrix.source).toBe('great-circle');
    expect(matrix.metres[1]).toBeCloseTo(13_000, 6);
    for (let i = 0; i < 3; i++) {
      expect(matrix.seconds[i * 3 + i]).toBe(0);
      for (let j = 0; j < 3; j++) expect(matrix.seconds[i * 3 + j]).toBe(matrix.seconds[j * 3 + i]);
    }
    expect(matrix.seconds[2]).toBeCloseTo(greatCircleTravel(a, { lat: 1, lon: 1 }).seconds, 9);
  });
});

test('valid locations are finite latitudes within ±90 and longitudes within ±180', () => {
  expect(isValidLocation({ lat: 40.7, lon: -74 })).toBe(true);
  expect(isValidLocation({ lat: -74, lon: 40.7 })).toBe(true);
  expect(isValidLocation({ lat: 91, lon: 0 })).toBe(false);
  expect(isValidLocation({ lat: 0, lon: 181 })).toBe(false);
  expect(isValidLocation({ lat: Number.NaN, lon: 0 })).toBe(false);
});
