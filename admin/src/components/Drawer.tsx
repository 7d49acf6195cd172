// The detail drawer: slides in from the right over the page; Esc or the close button closes it, focus stays inside.
import { useRef, type ReactNode } from 'react';
import { useFocusTrap } from './focus-trap.ts';

interface DrawerProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/** A modal side panel holding one record's details. */
export function Drawer({ title, onClose, children }: DrawerProps) {
  const panel = useRef<HTMLElement>(null);
  useFocusTrap(panel, onClose);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <aside ref={panel} className="drawer" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} data-testid="drawer">
        <header>
          <h2>{title}</h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="drawer-body">{children}</div>
      </aside>
    </div>
  );
}
