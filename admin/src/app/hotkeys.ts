// Console-wide keys: `/` puts the cursor in the page's search box (the input marked data-search).
import { useEffect } from 'react';

/** While mounted, `/` (outside a text field) focuses the page's search input. */
export function useSearchHotkey() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
      const search = document.querySelector<HTMLInputElement>('input[data-search]');
      if (!search || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      search.focus();
      search.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
