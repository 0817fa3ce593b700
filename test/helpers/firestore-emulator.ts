import { skipWithoutEmulators } from './emulators.js';
import { randomBytes } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { startEmulator, type RunningEmulator } from '../../functions/local/emulators/emulators.js';

export interface FirestoreEmulatorContext {
  /** The running emulator (set once the `before` hook has run). */
  readonly emulator: RunningEmulator;
  /**
   * A new client, terminated after the test. By default on a project of its own, so tests never
   * see each other's documents; pass `projectId` to share one.
   */
  firestore(projectId?: string): Firestore;
  /** Delete every document of a project through the emulator's REST endpoint. */
  clear(projectId: string): Promise<void>;
}

/** A client for the emulator, configured through settings only (no FIRESTORE_EMULATOR_HOST in the environment). */
export function emulatorClient(host: string, projectId: string): Firestore {
  return new Firestore({
    projectId,
    host,
    ssl: false,
    customHeaders: { Authorization: 'Bearer owner' },
    // Known up front, so the auth library never probes the metadata server (tests stay on loopback).
    universeDomain: 'googleapis.com',
  });
}

/**
 * Call inside a `describe`: starts one Firestore emulator for that block (skipping it, with the
 * reason printed, when the emulator cannot run here), and terminates the clients each test made.
 */
export function useFirestoreEmulator(): FirestoreEmulatorContext {
  let running: RunningEmulator | undefined;
  let clients: Firestore[] = [];

  before(async function () {
    await skipWithoutEmulators(this, ['firestore']);
    running = await startEmulator('firestore');
  });

  afterEach(async () => {
    const done = clients;
    clients = [];
    await Promise.all(done.map((c) => c.terminate()));
  });

  after(async () => {
    await running?.stop();
    running = undefined;
  });

  const emulator = (): RunningEmulator => {
    if (!running) throw new Error('the Firestore emulator is not running (use the context inside tests and hooks)');
    return running;
  };
  return {
    get emulator() {
      return emulator();
    },
    firestore(projectId = `test-${randomBytes(6).toString('hex')}`) {
      const client = emulatorClient(emulator().host, projectId);
      clients.push(client);
      return client;
    },
    async clear(projectId: string) {
      const url = `http://${emulator().host}/emulator/v1/projects/${encodeURIComponent(projectId)}/databases/(default)/documents`;
      const res = await fetch(url, { method: 'DELETE' });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`clearing ${projectId} failed: HTTP ${res.status}`);
    },
  };
}
