// Crash scene (being built).
import { h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class CrashScene extends NeonScene {
  constructor() { super('crash'); }

  protected build(): void {
    this.title('CRASH');
    this.screen.append(h('div', { class: 'panel' }, 'This screen is being built.'));
  }
}
