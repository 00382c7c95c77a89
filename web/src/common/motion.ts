/**
 * Chart animation options: a short draw-in, or none when the user's system asks for less
 * motion (prefers-reduced-motion) — the browser tests ask for that too, so their
 * screenshots show the whole chart, not a line caught half drawn.
 */
export function chartMotion(): { animation: false } | { animationDuration: number } {
  const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches
  return reduce ? { animation: false } : { animationDuration: 300 }
}
