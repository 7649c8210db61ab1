/**
 * The quarters a plan item is carried out in, as one phrase (「第1、3季度」): a phone shows this in
 * one cell instead of four narrow dot columns that squeeze the product names to two characters a line.
 */
export function quartersLabel(quarters: readonly number[]): string {
  if (quarters.length === 0) return '未排季度';
  const sorted = [...new Set(quarters)].sort((a, b) => a - b);
  return `第${sorted.join('、')}季度`;
}
