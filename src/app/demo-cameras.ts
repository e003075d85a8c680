/**
 * Demo cameras for `npm start`: ffmpeg test patterns published to the embedded media server and
 * registered in the demo organisations, plus one camera that never answers, so a newcomer sees a
 * real check (with a failure), snapshots and a relay. Each is tethered and stops with Alur.
 */
import type { FfmpegBinaries } from '../adapters/cameras/ffmpeg-binaries.js';
import { testPatternArgs } from '../adapters/cameras/test-pattern.js';
import { spawnTethered, type TetheredProcess } from '../adapters/cameras/tethered-process.js';
import type { MediaServer } from '../adapters/media/media-server.js';
import { SYSTEM } from './accounts.js';
import type { Alur } from './alur.js';
import { addCamera, camerasOf, deleteCamera } from './cameras.js';

const LIVE = [
  { organization: 'kota-tarakan', name: 'Simpang Grand', key: 'simpang-grand', location: 'Jl. Yos Sudarso' },
  { organization: 'kota-tarakan', name: 'Pelabuhan Malundung', key: 'pelabuhan-malundung', location: 'Pelabuhan Malundung' },
  { organization: 'kota-pontianak', name: 'Simpang Tanjungpura', key: 'simpang-tanjungpura', location: 'Jl. Tanjungpura' },
];
// Published by nobody: the media server accepts the connection and never sends a frame.
const DEAD = { organization: 'kota-tarakan', name: 'Jembatan Besi', key: 'jembatan-besi', location: 'Jembatan Besi' };

async function register(alur: Alur, camera: { organization: string; name: string; location: string }, streamUrl: string): Promise<void> {
  const existing = (await camerasOf(alur, SYSTEM, camera.organization)).find((c) => c.name === camera.name);
  if (existing?.streamUrl === streamUrl) return;
  // The media server's port may have changed since the last start.
  if (existing) await deleteCamera(alur, SYSTEM, camera.organization, existing.id);
  await addCamera(alur, SYSTEM, camera.organization, { name: camera.name, location: camera.location, streamUrl });
}

export async function startDemoCameras(alur: Alur, bin: FfmpegBinaries, server: MediaServer): Promise<{ names: string[]; stop(): Promise<void> }> {
  const processes: TetheredProcess[] = [];
  for (const camera of LIVE) {
    const proc = spawnTethered(bin.ffmpeg, testPatternArgs(server.publishUrl('cam', camera.key)));
    proc.stdout.resume();
    proc.stderr.resume();
    processes.push(proc);
    await register(alur, camera, server.playUrl('cam', camera.key));
  }
  await register(alur, DEAD, server.publishUrl('cam', DEAD.key));
  return {
    names: [...LIVE, DEAD].map((c) => `${c.name} (${c.organization})`),
    async stop() {
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
}
