// Gacha scene (being built).
import { h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class GachaScene extends NeonScene {
  constructor() { super('gacha'); }

  protected build(): void {
    this.title('GACHA');
    this.screen.append(h('div', { class: 'panel' }, 'This screen is being built.'));
  }
}
