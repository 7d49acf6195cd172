// The slot hall: the player's own 5×3 machine. Reels spin while the spin is in flight and stop, reel by reel, on
// the grid the server committed; paying lines are drawn, wins counted up, free spins played one after another.
// This file holds the scene's life and the spin sequence; the reels, the controls and the room wiring live beside it.
import type { Room } from '@colyseus/sdk';
import { SLOT_V1 } from '../../../../domain/games/slot/machine.ts';
import { leaveRoom } from '../../net/rooms.ts';
import { setBalances, toast } from '../../state/store.ts';
import { fmt, x100 } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { NeonScene } from '../base.ts';
import { SlotControls } from './slot.controls.ts';
import { describeSpinError, joinSlot, sendSpin, wireSlot } from './slot.net.ts';
import { SlotReels } from './slot.reels.ts';

export class SlotScene extends NeonScene {
  private room: Room | null = null;
  private spinning = false;
  private spins = 0;
  private reels: SlotReels | null = null;
  private controls: SlotControls | null = null;

  constructor() {
    super('slot');
  }

  protected async build(): Promise<void> {
    this.reels = new SlotReels(this, () => void this.spin());
    this.controls = new SlotControls(this.screen, () => void this.spin());
    this.onKey(this.controls.onKey);
    this.controls.setBetLevels([...SLOT_V1.betLevels]);
    this.setSpinning(false);

    this.room = await joinSlot();
    if (!this.active) {
      void leaveRoom(this.room);
      return;
    }
    const controls = this.controls;
    wireSlot(this.room, {
      machine: (levels) => controls.setBetLevels(levels),
      bigWin: (b) => toast(`Big win! ${b.username} won ${fmt(b.payout)} GOLD (${x100(b.multiplier)})`, 'reward'),
      state: (list) => controls.renderBigWins(list),
    });
    controls.spinButton.disabled = false;
  }

  protected override dispose(): void {
    void leaveRoom(this.room);
    this.room = null;
  }

  private setSpinning(on: boolean): void {
    this.spinning = on;
    setInfo('spinning', on);
    setInfo('spins', this.spins);
    if (this.controls) this.controls.spinButton.disabled = on || !this.room;
    this.reels?.spinButton.setEnabled(!on);
  }

  private async spin(): Promise<void> {
    const { room, reels, controls } = this;
    if (this.spinning || !room || !reels || !controls) return;
    this.setSpinning(true);
    reels.clear();
    const stopSpin = reels.start();
    try {
      const body = await sendSpin(room, Number(controls.bet.value));
      await stopSpin(body.outcome.grid);
      await reels.showWin(body.outcome, body.payout, body.bet);
      for (let i = 0; i < body.free_spins.length && this.active; i++) {
        reels.setFreeText(`FREE SPIN ${i + 1} / ${body.free_spins.length} · wins ×${SLOT_V1.freeSpinMultiplier}`);
        const fs = body.free_spins[i];
        const stop = reels.start();
        await stop(fs.outcome.grid);
        await reels.showWin(fs.outcome, fs.payout, 0);
      }
      if (body.free_spins.length) reels.setFreeText(`${body.free_spins.length} free spin(s) played`);
      reels.setWinText(body.total_payout > 0 ? `WIN ${fmt(body.total_payout)} GOLD` : 'No win');
      setBalances(body.balances);
      this.spins++;
      setInfo('lastPayout', body.total_payout);
      setInfo('lastRound', body.round_id);
      controls.addHistory(body);
    } catch (err) {
      await stopSpin(null);
      toast(describeSpinError(err), 'error');
    } finally {
      if (this.active) this.setSpinning(false);
    }
  }
}
