import { parseConfig } from '../config.js';
import { createPorts } from './create-ports.js';
import { usePortsFactory } from './ports.js';

// A function started on its own (deployed, or `functions-framework --target=understand`) gets the
// ports its environment describes: embedded by default, cloud adapters when VIVIDLY_* say so.
// A composition root may replace them with usePorts() first.
usePortsFactory(async () => createPorts(parseConfig()));
