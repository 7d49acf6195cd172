// The local test payment provider's dialog: the amount and receipt of a pending purchase with Pay, Decline and
// Later; while open, Esc closes it and Tab keeps the focus inside it.
import { h } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { usd } from './shop.format.ts';

/** One opened dialog: the purchase it pays for and its controls (they keep working on it after it closed). */
export class PaymentView {
  constructor(
    readonly receipt: string,
    readonly sku: string,
    readonly root: HTMLElement,
    private readonly dialog: HTMLElement,
    private readonly result: HTMLElement,
    private readonly buttons: HTMLButtonElement[],
  ) {}

  /** The dialog's state (waiting, sending, succeeded, failed, error) and its status line. */
  setState(state: string, text: string): void {
    this.dialog.dataset.state = state;
    this.result.textContent = text;
    setInfo('paySim', state);
  }

  get sending(): boolean {
    return this.dialog.dataset.state === 'sending';
  }

  /** Disables (while sending) or re-enables the buttons. */
  setBusy(busy: boolean): void {
    this.buttons.forEach((b) => {
      b.disabled = busy;
    });
  }

  /** After the decision: only a focused "Done" is left. */
  finish(): void {
    const [close] = this.buttons;
    this.buttons.forEach((b) => {
      b.hidden = b !== close;
      b.disabled = false;
    });
    close.textContent = 'Done';
    close.classList.add('primary');
    close.focus();
  }

  /** The buttons Tab cycles through. */
  focusable(): HTMLButtonElement[] {
    return [...this.dialog.querySelectorAll<HTMLButtonElement>('button')].filter((b) => !b.hidden && !b.disabled);
  }
}

export class PaymentDialog {
  /** the open dialog, or null */
  current: PaymentView | null = null;

  constructor(
    private readonly screen: HTMLElement,
    private readonly onDecide: (status: 'success' | 'failed') => void,
  ) {}

  /** Opens the dialog for `p`'s pending purchase (closing any other). */
  show(p: { sku: string; name: string }, receipt: string, amountCents: number): void {
    this.close();
    const result = h('p', { class: 'result', testid: 'pay-sim-status', role: 'status' }, 'The provider is waiting for your decision.');
    const pay = h(
      'button',
      { class: 'primary big', testid: 'pay-sim-pay', onclick: () => this.onDecide('success') },
      `Pay ${usd(amountCents)}`,
    );
    const decline = h('button', { testid: 'pay-sim-decline', onclick: () => this.onDecide('failed') }, 'Decline');
    const close = h('button', { class: 'ghost', testid: 'pay-sim-close', onclick: () => this.close() }, 'Later');
    const dialog = h(
      'div',
      {
        class: 'shop-modal',
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'pay-sim-title',
        testid: 'pay-sim',
        'data-state': 'waiting',
      },
      h('div', { class: 'provider' }, h('span', {}, 'NEONPAY · sandbox'), h('span', {}, 'development only · no real money')),
      h('h2', { id: 'pay-sim-title' }, 'Test payment provider'),
      h('p', { class: 'small muted flush' }, `Neon Club asks you to pay for ${p.name}.`),
      h('div', { class: 'amount' }, usd(amountCents)),
      h(
        'div',
        { class: 'receipt' },
        h('span', { class: 'small muted' }, 'Receipt '),
        h('span', { class: 'mono', testid: 'pay-sim-receipt' }, receipt),
      ),
      result,
      h('div', { class: 'actions' }, close, decline, pay),
    );
    const root = h(
      'div',
      {
        class: 'shop-backdrop',
        onclick: (e: Event) => {
          if (e.target === root) this.close();
        },
      },
      dialog,
    );
    this.current = new PaymentView(receipt, p.sku, root, dialog, result, [close, decline, pay]);
    this.screen.append(root);
    setInfo('paySim', 'waiting');
    pay.focus();
  }

  close(): void {
    if (!this.current) return;
    this.current.root.remove();
    this.current = null;
    setInfo('paySim', 'closed');
  }

  /** Esc closes the dialog; Tab cycles through its buttons. */
  readonly onKey = (e: KeyboardEvent): void => {
    if (!this.current) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusable = this.current.focusable();
    if (!focusable.length) return;
    const i = focusable.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.shiftKey ? (i <= 0 ? focusable.length - 1 : i - 1) : i === -1 || i === focusable.length - 1 ? 0 : i + 1;
    e.preventDefault();
    focusable[next].focus();
  };
}
