// The entry of the Web Worker that loadKeras({worker: true}) starts (a
// worker thread in Node). It runs the keras runtime and answers the page.
import { serve } from './src/worker-server.mjs';
import { parentPort } from './src/env.mjs';

// No top-level await: a bundler's default worker format (Vite's is iife) cannot hold one.
parentPort().then(serve);
