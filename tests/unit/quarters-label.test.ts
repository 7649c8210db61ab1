import { describe, expect, it } from 'vitest';
import { quartersLabel } from '../../src/lib/plan/quarters-label';

describe('quartersLabel', () => {
  it('names the quarters in order, once each', () => {
    expect(quartersLabel([3, 1, 3])).toBe('第1、3季度');
    expect(quartersLabel([2])).toBe('第2季度');
  });
  it('says so when no quarter is set', () => {
    expect(quartersLabel([])).toBe('未排季度');
  });
});
