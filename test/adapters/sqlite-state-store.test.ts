import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore } from '../../shared/adapters/sqlite-state-store.js';
import { stateStoreContract } from '../contract/state-store.contract.js';

stateStoreContract('SQLite (embedded)', async () => new SqliteStateStore(path.join(mkdtempSync(path.join(tmpdir(), 'vividly-state-')), 'state.sqlite')));
