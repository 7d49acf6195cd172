// Shop scene (being built).
import { h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class ShopScene extends NeonScene {
  constructor() { super('shop'); }

  protected build(): void {
    this.title('SHOP');
    this.screen.append(h('div', { class: 'panel' }, 'This screen is being built.'));
  }
}
