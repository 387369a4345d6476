/**
 * A seeded generator of numbers in [0, 1) (Park and Miller's minimal standard), so that a failing randomized test can
 * be replayed from its seed. Every product stays below 2^53, so the arithmetic is exact.
 */
export function seededRandom(seed: number): () => number {
  const MODULUS = 2_147_483_647;
  let x = (Math.abs(Math.floor(seed)) % (MODULUS - 1)) + 1;
  return () => {
    x = (x * 48_271) % MODULUS;
    return (x - 1) / (MODULUS - 1);
  };
}
