// Neon hands for rock-paper-scissors, drawn with Phaser Graphics (no image assets): each part is a capsule or a
// rounded block drawn outline-first, so overlapping fingers keep a bright edge. Hands point up, centred on 0,0,
// about 150 × 180 units (fingertips near y = -110, wrist near y = 70).
import type Phaser from 'phaser';
import type { RpsPick } from '../../../domain/games/rps/rules.ts';

export const HAND_COLORS: Record<RpsPick, number> = { rock: 0x3ef0ff, paper: 0xffc83d, scissors: 0xff3df2 };
const EDGE = 4;

type Part =
  | { kind: 'capsule'; x1: number; y1: number; x2: number; y2: number; r: number }
  | { kind: 'block'; x: number; y: number; w: number; h: number; r: number };
const cap = (x1: number, y1: number, x2: number, y2: number, r: number): Part => ({ kind: 'capsule', x1, y1, x2, y2, r });
const block = (x: number, y: number, w: number, h: number, r: number): Part => ({ kind: 'block', x, y, w, h, r });

/** Parts back to front. */
const SHAPES: Record<RpsPick, Part[]> = {
  rock: [
    block(-50, -46, 100, 104, 30),
    cap(-33, -40, -33, -6, 12),
    cap(-11, -44, -11, -6, 12.5),
    cap(11, -44, 11, -6, 12.5),
    cap(33, -40, 33, -6, 12),
    cap(-47, 16, 12, 4, 13),
  ],
  paper: [
    cap(36, 4, 50, -62, 11),
    cap(15, -4, 21, -90, 12),
    cap(-6, -4, -6, -100, 12.5),
    cap(-27, -2, -36, -86, 12),
    cap(-38, 34, -76, -6, 13),
    block(-47, -14, 94, 86, 26),
  ],
  scissors: [
    cap(-10, -12, -42, -104, 11.5),
    cap(12, -12, 38, -100, 12),
    block(-44, -28, 88, 88, 28),
    cap(12, -24, 12, 2, 11),
    cap(32, -20, 32, 2, 10.5),
    cap(-41, 24, 20, 14, 12.5),
  ],
};

function mix(a: number, b: number, t: number): number {
  const ch = (shift: number) => Math.round(((a >> shift) & 255) * (1 - t) + ((b >> shift) & 255) * t) << shift;
  return ch(16) | ch(8) | ch(0);
}

function drawPart(g: Phaser.GameObjects.Graphics, p: Part, grow: number): void {
  if (p.kind === 'block') {
    g.fillRoundedRect(p.x - grow, p.y - grow, p.w + 2 * grow, p.h + 2 * grow, p.r + grow);
    return;
  }
  const r = p.r + grow;
  const dx = p.x2 - p.x1,
    dy = p.y2 - p.y1,
    len = Math.hypot(dx, dy) || 1;
  const nx = (-dy / len) * r,
    ny = (dx / len) * r;
  g.fillCircle(p.x1, p.y1, r).fillCircle(p.x2, p.y2, r);
  g.beginPath()
    .moveTo(p.x1 + nx, p.y1 + ny)
    .lineTo(p.x2 + nx, p.y2 + ny)
    .lineTo(p.x2 - nx, p.y2 - ny)
    .lineTo(p.x1 - nx, p.y1 - ny)
    .closePath()
    .fillPath();
}

/** Draws a hand (or, for null, an empty "no pick" mark) into a cleared Graphics. */
export function drawHand(g: Phaser.GameObjects.Graphics, pick: RpsPick | null, color = pick ? HAND_COLORS[pick] : 0xff5a7a): void {
  g.clear();
  if (!pick) {
    g.lineStyle(8, color, 1).strokeCircle(0, -20, 62).lineBetween(-44, 24, 44, -64);
    return;
  }
  const body = mix(0x120b33, color, 0.22);
  const shine = mix(color, 0xffffff, 0.55);
  for (const p of SHAPES[pick]) {
    g.fillStyle(color, 1);
    drawPart(g, p, EDGE);
    g.fillStyle(body, 1);
    drawPart(g, p, 0);
  }
  // a soft highlight on the back of the hand
  g.fillStyle(shine, 0.18).fillEllipse(-10, 18, 58, 26);
}
