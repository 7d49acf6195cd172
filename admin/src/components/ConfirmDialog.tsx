// A confirmation that names its target ("Ban player alice?"): nothing happens until the operator presses the
// confirm button itself; Cancel has the focus, so Enter or Esc never confirms by accident.
import { useRef, type ReactNode } from 'react';
import { useFocusTrap } from './focus-trap.ts';

interface ConfirmDialogProps {
  /** the question, naming the target: "Ban player alice?" */
  title: string;
  /** the button's label, a verb: "Ban" */
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

/** A modal yes/no question about one named target. */
export function ConfirmDialog({ title, confirmLabel, danger, busy, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useFocusTrap(box, onCancel, cancel);
  return (
    <div className="overlay center">
      <div ref={box} className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
        <h2 id="confirm-title">{title}</h2>
        {children}
        <div className="actions">
          <button ref={cancel} type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm} data-testid="confirm">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
