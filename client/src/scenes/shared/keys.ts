// Keyboard helpers shared by the game scenes' shortcuts.

/** True when the key press is meant for a text field (the field, not the game, handles it). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  const tag = t?.tagName ?? '';
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || !!t?.isContentEditable;
}

/** True for an auto-repeated press or one held with Ctrl, Meta or Alt (browser shortcuts, not game keys). */
export function isChord(e: KeyboardEvent): boolean {
  return e.repeat || e.ctrlKey || e.metaKey || e.altKey;
}
