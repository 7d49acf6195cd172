import type { SlotStats } from './rtp.ts';

/**
 * The exact statistics of slot-v1, as computed by computeSlotStats(SLOT_V1). A published version never changes, so
 * its figures are kept here instead of enumerating its 94.9 million spins (about a second of CPU) inside a running
 * server: that blocked the event loop of every room on the first pay-sheet request or metrics scrape.
 * test/domain/games/slot/rtp.test.ts checks these against the enumeration.
 */
export const SLOT_V1_STATS: Readonly<SlotStats> = Object.freeze({
  version: 'slot-v1',
  lines: 20,
  combinations: 94_851_081,
  rtp: 0.9585664156646109,
  baseGameRtp: 0.796582782224696,
  lineRtp: 0.7817083286589006,
  scatterRtp: 0.014874453565795417,
  freeSpinRtp: 0.16198363343991487,
  hitFrequency: 0.3553865769858754,
  volatility: 4.774927856337436,
  baseGameVolatility: 3.291072953934166,
  freeSpinTriggerProbability: 0.006204093762516001,
  expectedFreeSpinsPerTrigger: 10.92548220126294,
  expectedAwardPerSpin: 0.06347987747235057,
  freeSpinMeanPayout: 2.389748346674088,
  scatterCountProbabilities: Object.freeze([
    0.6168261171425131, 0.3150535311242262, 0.06191625797074469, 0.005921429614492216, 0.00027754032660945633, 0.000005123821414328425,
  ]) as number[],
});
