// Fairness scene (being built).
import { h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class FairnessScene extends NeonScene {
  constructor() { super('fairness'); }

  protected build(): void {
    this.title('FAIRNESS');
    this.screen.append(h('div', { class: 'panel' }, 'This screen is being built.'));
  }
}
