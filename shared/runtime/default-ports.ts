import { parseConfig } from '../config.js';
import { createEmbeddedPorts } from './create-embedded-ports.js';
import { usePortsFactory } from './ports.js';

// A function started on its own (e.g. `functions-framework --target=understand`) gets the ports
// described by its environment. A composition root may replace them with usePorts() first.
usePortsFactory(async () => createEmbeddedPorts(parseConfig()));
