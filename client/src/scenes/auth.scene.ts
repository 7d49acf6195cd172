// Sign up / log in: DOM forms with labels; errors are the API's own messages (validation issues listed per field).
import { ApiError, api, describeError, saveSession } from '../net/api.ts';
import type { AuthResponse } from '../net/types.ts';
import { navigate, refreshDashboard } from '../app.ts';
import { busy, fill, h } from '../ui/dom.ts';
import { NeonScene } from './base.ts';

export class AuthScene extends NeonScene {
  private mode: 'login' | 'signup' = 'login';

  constructor() {
    super('auth', false);
  }

  protected build(): void {
    this.screen.classList.add('center');
    this.add.image(this.centerX, 120, 'logo').setScale(0.9);
    this.render();
  }

  private render(): void {
    const signup = this.mode === 'signup';
    const error = h('div', { class: 'error', role: 'alert', testid: 'auth-error' });
    const username = h('input', {
      id: 'username',
      name: 'username',
      autocomplete: 'username',
      required: true,
      testid: 'auth-username',
      maxLength: 20,
    });
    const password = h('input', {
      id: 'password',
      name: 'password',
      type: 'password',
      autocomplete: signup ? 'new-password' : 'current-password',
      required: true,
      testid: 'auth-password',
    });
    const submit = h('button', { type: 'submit', class: 'primary big', testid: 'auth-submit' }, signup ? 'Create account' : 'Log in');
    const form = h(
      'form',
      { class: 'form panel', 'aria-label': signup ? 'Sign up' : 'Log in', novalidate: true },
      h(
        'div',
        { class: 'tabs', role: 'tablist' },
        h(
          'button',
          { type: 'button', role: 'tab', 'aria-selected': String(!signup), testid: 'tab-login', onclick: () => this.switch('login') },
          'Log in',
        ),
        h(
          'button',
          { type: 'button', role: 'tab', 'aria-selected': String(signup), testid: 'tab-signup', onclick: () => this.switch('signup') },
          'Sign up',
        ),
      ),
      h('label', { for: 'username' }, 'Username', username),
      h('label', { for: 'password' }, 'Password', password),
      signup
        ? h('p', { class: 'muted small' }, '3–20 letters, digits or _; a password of 8 characters or more. New players get 1,000 GOLD.')
        : null,
      error,
      submit,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.textContent = '';
      void busy(submit, async () => {
        try {
          const res = await api<AuthResponse>('POST', signup ? '/auth/signup' : '/auth/login', {
            body: { username: username.value.trim(), password: password.value },
            anonymous: true,
          });
          saveSession(res);
          await refreshDashboard().catch(() => undefined);
          navigate('lobby');
        } catch (err) {
          error.textContent = messageOf(err);
          (err instanceof ApiError && /username/i.test(messageOf(err)) ? username : password).focus();
        }
      });
    });
    fill(this.screen, form);
    username.focus();
  }

  private switch(mode: 'login' | 'signup'): void {
    this.mode = mode;
    this.render();
  }
}

function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.body.issues?.length)
      return err.body.issues.map((i) => `${String(i.path ?? 'input').replace(/^body\./, '')}: ${i.message}`).join('; ');
    if (err.body.retry_after) return `${err.message} (try again in ${err.body.retry_after} s)`;
  }
  return describeError(err);
}
