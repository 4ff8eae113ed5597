// --topology: a preset name, a JSON topology file, or the saved text of a real `xl info -n`.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PRESET_NAMES, presetTopology } from '../hypervisor/presets.js';
import { TopologyError, type HostTopology } from '../hypervisor/topology.js';
import { MAX_TOPOLOGY_JSON_BYTES, topologyFromJson } from '../hypervisor/topology_json.js';
import { topologyFromXlInfo } from '../hypervisor/xl_info_text.js';

export function loadTopology(source: string): HostTopology {
  const preset = presetTopology(source);
  if (preset !== undefined) return preset;
  let size: number;
  try {
    size = statSync(source).size;
  } catch {
    throw new TopologyError(`'${source}' is neither a preset (${PRESET_NAMES.join(', ')}) nor a readable file`);
  }
  if (size > MAX_TOPOLOGY_JSON_BYTES) throw new TopologyError(`${source}: larger than ${MAX_TOPOLOGY_JSON_BYTES} bytes`);
  const text = readFileSync(source, 'utf8');
  const name = path.basename(source).replace(/\.[^.]*$/, '');
  try {
    return text.trimStart().startsWith('{') ? topologyFromJson(text, name) : topologyFromXlInfo(text, name);
  } catch (e) {
    if (e instanceof TopologyError) throw new TopologyError(`${source}: ${e.message}`);
    throw e;
  }
}
