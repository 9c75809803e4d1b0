// keras.callbacks.BackupAndRestore: the training state (weights, optimizer
// state, the epoch count) saved at each epoch end (or every save_freq
// batches) and restored when a fit starts, so an interrupted fit run again
// carries on from the epoch after the last backup; removed when training
// ends normally. Keras: keras/src/callbacks/backup_and_restore.py.
//
// Where it goes: in Node a directory (a path or file://) holding latest/
// (model.json + shards, TF.js's format with the optimizer; the epoch rides
// in userDefinedMetadata) and, with double_checkpoint, latest.bkp/; in a
// browser an indexeddb:// or localstorage:// name.

import { Callback, BEFORE_FIT } from '../callbacks.mjs';
import { parseArgs } from '../args.mjs';
import { ValueError, NotImplementedError } from '../errors.mjs';
import { modelDoors } from './worker_io.mjs';
import { describe } from '../tensor.mjs';
import { isNode, nodeModule } from '../env.mjs';
import { saveHandlerFor, loadHandlerFor, filePath } from './router.mjs';
import { artifactsIn, artifactsOut } from './save.mjs';
import { listModels, removeModel } from './browser.mjs';

const WHERE = 'BackupAndRestore';
/** META is the userDefinedMetadata key of the backup's record {epoch, batch}. */
const META = 'keraswasm_backup';

/**
 * BackupAndRestore(backup_dir, {save_freq, double_checkpoint,
 * delete_checkpoint}) backs the training state up to backup_dir.
 *
 * Porting notes: Keras writes latest.weights.h5 and training_metadata.json;
 * here the state is TF.js's Layers format (which TF.js loads too). The
 * random state is not saved, in Keras neither: a resumed fit equals the
 * uninterrupted one to the bit only without shuffle and dropout. The
 * restore runs when fit starts, before every callback's on_train_begin
 * (Keras restores in this callback's on_train_begin, so callbacks before it
 * see the weights from before the restore). Weights are matched by position,
 * as Keras 3's weights files are, so a new model of the same config
 * restores the backup.
 */
export class BackupAndRestore extends Callback {
  static argNames = ['backup_dir', 'save_freq', 'double_checkpoint', 'delete_checkpoint'];

  constructor(...args) {
    super();
    const h = args[0];
    if (h !== null && typeof h === 'object' && (typeof h.save === 'function' || typeof h.load === 'function')) {
      throw new NotImplementedError(`${WHERE}: an IOHandler as backup_dir is not implemented (a handler cannot say whether a backup exists, nor remove it); give a directory in Node or an indexeddb:// or localstorage:// name`);
    }
    const { backup_dir: dir, save_freq: freq = 'epoch', double_checkpoint: double = false, delete_checkpoint: del = true, ...rest } =
      parseArgs(WHERE, BackupAndRestore.argNames, args);
    for (const k of Object.keys(rest)) {
      if (k === 'save_before_preemption') throw new NotImplementedError(`${WHERE}: save_before_preemption (tf.keras 2, for TPU preemption) is not implemented; Keras 3 has no such argument`);
      throw new TypeError(`${WHERE}: unknown argument ${k}; it takes ${BackupAndRestore.argNames.join(', ')}`);
    }
    if (dir === undefined || dir === null || dir === '') throw new ValueError(`${WHERE}: Empty \`backup_dir\` argument passed; give a directory (Node) or an indexeddb:// or localstorage:// name`);
    if (typeof dir !== 'string') {
      throw new TypeError(`${WHERE}: backup_dir must be a directory or URL string; received ${describe(dir)}`);
    }
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new ValueError(`${WHERE}: Invalid value for argument \`save_freq\`. Received: save_freq=${describe(freq)}. Expected either 'epoch' or an integer value > 0`);
    }
    if (typeof double !== 'boolean') throw new TypeError(`${WHERE}: double_checkpoint must be true or false`);
    if (typeof del !== 'boolean') throw new TypeError(`${WHERE}: delete_checkpoint must be true or false`);
    this.store = storeFor(dir, double);
    this.backup_dir = dir;
    this.save_freq = freq;
    this.double_checkpoint = double;
    this.delete_checkpoint = del;
    this.currentEpoch = 0;
    this.batchesSinceSave = 0;
    this.lastBatch = 0;
  }

  /** [BEFORE_FIT] restores the backup into model, if there is one; it returns the epoch to start from, or undefined. */
  async [BEFORE_FIT](model) {
    const doors = modelDoors(model);
    if (doors === null || refusal(doors, this.save_freq)) return undefined; // on_train_begin refuses
    const names = this.double_checkpoint ? ['latest', 'latest.bkp'] : ['latest'];
    let firstError = null;
    for (const name of names) {
      if (!(await this.store.exists(name))) continue;
      try {
        const a = await loadHandlerFor(this.store.url(name), WHERE).load();
        const rec = a?.userDefinedMetadata?.[META];
        if (!rec || !Number.isInteger(rec.epoch) || rec.epoch < 0) {
          throw new ValueError(`${WHERE}: ${this.store.url(name)} holds a model without a backup record; it was not written by BackupAndRestore`);
        }
        const [json, bytes] = artifactsIn(a, WHERE);
        await doors.call('loadTFJSState', json, bytes, WHERE);
        return rec.epoch;
      } catch (e) {
        firstError ??= e; // with double_checkpoint, the older backup is tried next, as Keras does
      }
    }
    if (firstError) throw firstError;
    return undefined;
  }

  on_train_begin() {
    const doors = this.model ? modelDoors(this.model) : null;
    const why = doors === null ? null : refusal(doors, this.save_freq);
    if (why) throw new NotImplementedError(`${WHERE}: ${why}`);
  }

  on_epoch_begin(epoch) { this.currentEpoch = epoch; }

  async on_train_batch_end(batch) {
    this.lastBatch = batch;
    if (this.save_freq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.save_freq) {
      this.batchesSinceSave = 0;
      // Keras: a backup within an epoch records that epoch, so a restore runs it again from its start.
      await this.save({ epoch: this.currentEpoch, batch });
    }
  }

  async on_epoch_end(epoch) {
    this.currentEpoch = epoch + 1;
    this.lastBatch = 0;
    if (this.save_freq === 'epoch') await this.save({ epoch: epoch + 1, batch: 0 });
  }

  async on_train_end() {
    if (this.delete_checkpoint) await this.store.removeAll();
  }

  /** save writes the model with its optimizer and the record {epoch, batch} as the latest backup. */
  async save(rec) {
    const a = artifactsOut(await modelDoors(this.model).call('saveTFJS', true, false, WHERE));
    a.userDefinedMetadata = { [META]: rec };
    if (this.double_checkpoint) await this.store.keepPrevious();
    await saveHandlerFor(this.store.url('latest'), WHERE).save(a);
  }
}

/**
 * refusal says why a backup cannot be made of the model doors reach, or
 * null. In worker mode the worker waits for epoch-level hooks (each is a
 * round trip, worker-server.mjs), so a backup at an epoch end holds that
 * epoch's state; a batch hook is not waited for, so a backup every
 * save_freq batches would hold a later one.
 */
function refusal(doors, freq) {
  if (doors.parallel) return 'with workers > 1 the fit runs on the page across workers and does not restore a backup; load with workers: 1';
  if (doors.remote && freq !== 'epoch') {
    return `save_freq=${freq} (a backup every ${freq} batches) is not implemented in worker mode: the worker does not wait for batch hooks, so the backup would not hold that batch's state; use save_freq: 'epoch', or load with loadKeras() without worker: true`;
  }
  return null;
}

/** storeFor returns where the backups of dir live: {url(name), exists(name), keepPrevious(), removeAll()}. */
function storeFor(dir, double) {
  const m = /^(indexeddb|localstorage):\/\/(.+)$/i.exec(dir);
  if (m) {
    if (double) throw new NotImplementedError(`${WHERE}: double_checkpoint=true is implemented for a directory in Node; in a browser store keep one backup (double_checkpoint: false)`);
    const url = () => dir;
    return {
      url,
      async exists() { return Object.hasOwn(await listModels(WHERE), dir); },
      async keepPrevious() {},
      async removeAll() { if (Object.hasOwn(await listModels(WHERE), dir)) await removeModel(dir, WHERE); },
    };
  }
  const path = filePath(dir);
  if (path === null) {
    throw new ValueError(`${WHERE}: backup_dir '${dir}' is not a directory nor an indexeddb:// or localstorage:// name`);
  }
  if (!isNode) throw new NotImplementedError(`${WHERE}: '${dir}' is a directory, and files can be written only in Node; in a browser use indexeddb://name or localstorage://name`);
  if (/\.(keras|h5|json)$/.test(path)) throw new ValueError(`${WHERE}: backup_dir is a directory, which it fills with model.json and its shards; received the file name '${dir}'`);
  const fs = () => nodeModule('node:fs/promises');
  const join = (name) => `${path.replace(/\/+$/, '')}/${name}`;
  return {
    url: join,
    async exists(name) { return (await fs()).stat(`${join(name)}/model.json`).then(() => true, () => false); },
    async keepPrevious() {
      const f = await fs();
      if (!(await this.exists('latest'))) return;
      await f.rm(join('latest.bkp'), { recursive: true, force: true });
      await f.rename(join('latest'), join('latest.bkp'));
    },
    // Keras removes the whole backup_dir.
    async removeAll() { await (await fs()).rm(path, { recursive: true, force: true }); },
  };
}
