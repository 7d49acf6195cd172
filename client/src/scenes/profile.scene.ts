// Profile scene (being built).
import { h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class ProfileScene extends NeonScene {
  constructor() { super('profile'); }

  protected build(): void {
    this.title('PROFILE');
    this.screen.append(h('div', { class: 'panel' }, 'This screen is being built.'));
  }
}
