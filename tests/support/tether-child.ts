/** A process that starts a tethered ffmpeg (a test pattern into nothing), prints its process group, and waits to be killed. */
import { resolveFfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import { spawnTethered } from '../../src/adapters/cameras/tethered-process.js';

const bin = resolveFfmpegBinaries({ pathVariable: process.env.PATH ?? '' });
const proc = spawnTethered(bin.ffmpeg, ['-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-f', 'null', '-']);
proc.stdout.resume();
process.stdout.write(`${JSON.stringify({ group: proc.pid })}\n`);
setInterval(() => {}, 1_000);
