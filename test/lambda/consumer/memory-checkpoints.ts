import { checkpointId, comparePositions } from '../../../lambda/consumer';
import type { CheckpointKey, CheckpointStore, RecordPosition } from '../../../lambda/consumer';

/** A checkpoint store in memory, with the same never-backwards rule as the DynamoDB one. */
export class MemoryCheckpoints implements CheckpointStore {
  public readonly positions = new Map<string, RecordPosition>();
  public saves = 0;

  public async load(keys: readonly CheckpointKey[]): Promise<Map<string, RecordPosition>> {
    const found = new Map<string, RecordPosition>();
    for (const key of keys) {
      const p = this.positions.get(checkpointId(key));
      if (p) found.set(checkpointId(key), p);
    }
    return found;
  }

  public async save(key: CheckpointKey, position: RecordPosition): Promise<void> {
    this.saves++;
    const id = checkpointId(key);
    const current = this.positions.get(id);
    if (!current || comparePositions(current, position) < 0) {
      this.positions.set(id, { sequenceNumber: position.sequenceNumber, subSequenceNumber: position.subSequenceNumber });
    }
  }
}
