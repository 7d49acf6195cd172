// Rps scene (being built).
import { h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class RpsScene extends NeonScene {
  constructor() { super('rps'); }

  protected build(): void {
    this.title('RPS');
    this.screen.append(h('div', { class: 'panel' }, 'This screen is being built.'));
  }
}
