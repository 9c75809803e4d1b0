// When the page redraws its live views (charts, progress) during training. Logs arrive in bunches
// from the worker, hundreds of batches a second at small batch sizes; drawing once per animation
// frame, or per batch, would spend the CPU the training needs (the browser paints, rasterizes and
// composites each change). So the views are drawn in an animation frame, at most every LIVE_MS.

/** LIVE_MS is the shortest time between two draws of the live views: at most 10 a second. */
export const LIVE_MS = 100;

/**
 * frameThrottle returns request(): it asks for draw() in an animation frame at least ms after the
 * last one. Many requests in between make one draw; the page's own frames go on at full rate.
 */
export function frameThrottle(draw, ms = LIVE_MS, raf = f => requestAnimationFrame(f)) {
  let pending = false, last = -Infinity;
  const tick = now => {
    if (now - last < ms) { raf(tick); return; }
    pending = false;
    last = now;
    draw();
  };
  return () => {
    if (pending) return;
    pending = true;
    raf(tick);
  };
}
