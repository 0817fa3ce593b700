import { emulatorsUnavailable, type EmulatorKind } from '../../functions/local/emulators/emulators.js';

/**
 * In a `before` hook: skip the block, printing why, when these emulators cannot run on this machine
 * (no Java, no Google Cloud CLI, or the component is not installed).
 */
export async function skipWithoutEmulators(ctx: Mocha.Context, kinds: EmulatorKind[] = ['firestore', 'pubsub']): Promise<void> {
  const reason = await emulatorsUnavailable(kinds);
  if (!reason) return;
  console.log(`      skipped (${kinds.join(' + ')} emulator): ${reason}`);
  ctx.skip();
}
